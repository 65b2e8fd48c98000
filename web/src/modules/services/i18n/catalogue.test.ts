import { describe, expect, it } from 'vitest';
import { messageArguments } from '@workers-home/contract/messages';
import { createTranslator } from '../../../shared/i18n/translator.ts';
import { servicesEn } from './en.ts';
import { servicesZhCN } from './zh-CN.ts';

// The services catalogue loads with its pages (useServicesT), outside the shared catalogue's test.
describe('the services catalogue', () => {
  it('has every key in both languages, each a valid ICU message with the same arguments', () => {
    expect(Object.keys(servicesEn).sort()).toEqual(Object.keys(servicesZhCN).sort());
    const zh = servicesZhCN as Record<string, string>;
    const en = servicesEn as Record<string, string>;
    const problems: string[] = [];
    for (const key of Object.keys(zh)) {
      const [zhArgs, enArgs] = [messageArguments(zh[key]!, 'zh-CN'), messageArguments(en[key]!, 'en')];
      if (zhArgs.join() !== enArgs.join()) problems.push(`${key}: zh-CN {${zhArgs.join(', ')}}, en {${enArgs.join(', ')}}`);
    }
    expect(problems).toEqual([]);
  });

  it('says the upload\'s counts and progress with grouping, plurals and percent', () => {
    const en = createTranslator(servicesEn, 'en');
    const zh = createTranslator(servicesZhCN, 'zh-CN');
    expect(en('enrol.confirmValid', { count: 1 })).toBe('Enrol only the 1 valid row');
    expect(en('enrol.report.toEnrol', { count: 1234 })).toBe('1,234 members to enrol');
    expect(zh('enrol.report.toEnrol', { count: 1234 })).toBe('可参保 1,234 人');
    expect(en('enrol.uploading', { share: 0.5 })).toBe('Uploading 50%');
    expect(zh('enrol.uploading', { share: 0.5 })).toBe('正在上传 50%');
  });
});
