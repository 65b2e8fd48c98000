import type { MembershipStatus } from '@workers-home/contract';
import type { MessageKey } from '../../../shared/i18n/catalogue.ts';

export const STATUS_LABEL: Record<MembershipStatus, MessageKey> = {
  active: 'memberStatus.active', transferred_out: 'memberStatus.transferred_out', left: 'memberStatus.left',
};
export const GENDER_LABEL: Record<'male' | 'female', MessageKey> = { male: 'gender.male', female: 'gender.female' };

/** Age bands of the member list's filter, as ageMin / ageMax. */
export const AGE_BANDS: Array<{ key: string; ageMin?: number; ageMax?: number }> = [
  { key: '-30', ageMax: 30 },
  { key: '31-40', ageMin: 31, ageMax: 40 },
  { key: '41-50', ageMin: 41, ageMax: 50 },
  { key: '51-60', ageMin: 51, ageMax: 60 },
  { key: '61-', ageMin: 61 },
];
