import type { OrgKind, OrgLevel } from '@workers-home/contract';
import type { MessageKey } from '../../../shared/i18n/catalogue.ts';

export const LEVEL_LABEL: Record<OrgLevel, MessageKey> = {
  national: 'orgLevel.national', provincial: 'orgLevel.provincial', industrial: 'orgLevel.industrial',
  city: 'orgLevel.city', county: 'orgLevel.county', grassroots: 'orgLevel.grassroots',
};
export const KIND_LABEL: Record<OrgKind, MessageKey> = {
  federation: 'orgKind.federation', industrial_union: 'orgKind.industrial_union', port_union: 'orgKind.port_union',
  union_committee: 'orgKind.union_committee', enterprise_union: 'orgKind.enterprise_union',
  institution_union: 'orgKind.institution_union', organ_union: 'orgKind.organ_union',
};
/** Tag colours whose text keeps WCAG AA contrast on their own background. */
export const LEVEL_COLOR: Record<OrgLevel, string> = {
  national: 'red', provincial: 'magenta', industrial: 'purple', city: 'geekblue', county: 'blue', grassroots: 'default',
};
