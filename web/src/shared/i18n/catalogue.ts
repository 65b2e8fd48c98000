import { auditEn } from '../../modules/audit/i18n/en.ts';
import { auditZhCN } from '../../modules/audit/i18n/zh-CN.ts';
import { authEn } from '../../modules/auth/i18n/en.ts';
import { authZhCN } from '../../modules/auth/i18n/zh-CN.ts';
import { figuresEn } from '../../modules/figures/i18n/en.ts';
import { figuresZhCN } from '../../modules/figures/i18n/zh-CN.ts';
import { orgsEn } from '../../modules/orgs/i18n/en.ts';
import { orgsZhCN } from '../../modules/orgs/i18n/zh-CN.ts';
import { peopleEn } from '../../modules/people/i18n/en.ts';
import { peopleZhCN } from '../../modules/people/i18n/zh-CN.ts';
import { consoleEn } from '../../console/i18n/en.ts';
import { consoleZhCN } from '../../console/i18n/zh-CN.ts';
import { memberAppEn } from '../../member-app/i18n/en.ts';
import { memberAppZhCN } from '../../member-app/i18n/zh-CN.ts';
import { sharedEn } from './en.ts';
import { sharedZhCN } from './zh-CN.ts';

/**
 * The words `t()` knows: the shared ones and those of each module's catalogue
 * (`<module>/i18n/{zh-CN,en}.ts`, the same shape everywhere). Keys carry their module's
 * prefix ('orgs.title'), so they never collide. Training keeps its catalogue out of this
 * one (useTrainingT) so the console's first pages do not carry it.
 */
const zhCN = { ...sharedZhCN, ...consoleZhCN, ...authZhCN, ...orgsZhCN, ...peopleZhCN, ...auditZhCN, ...figuresZhCN, ...memberAppZhCN };
export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
const en: Messages = { ...sharedEn, ...consoleEn, ...authEn, ...orgsEn, ...peopleEn, ...auditEn, ...figuresEn, ...memberAppEn };

export const CATALOGUE = { 'zh-CN': zhCN, en } as const;
