import type { ErrorCode } from './messages/error-codes.ts';

/**
 * Mainland China resident identity numbers (GB 11643-1999): 6-digit region code,
 * 8-digit birth date, 3-digit sequence (odd for men), and a check character.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
// First two digits: the province-level region (GB/T 2260), plus 8x for Hong Kong, Macao and Taiwan residence permits.
const PROVINCE_PREFIXES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

export type NationalIdProblem = 'length' | 'characters' | 'region' | 'birth_date' | 'check_digit';

/** The error code of each problem (texts in messages/errors-*.ts). */
export const NATIONAL_ID_CODES = {
  length: 'people.id_number.length',
  characters: 'people.id_number.characters',
  region: 'people.id_number.region',
  birth_date: 'people.id_number.birth_date',
  check_digit: 'people.id_number.check_digit',
} as const satisfies Record<NationalIdProblem, ErrorCode>;

export function nationalIdCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Upper-cases a trailing x and strips surrounding white space. */
export function normalizeNationalId(value: string): string {
  return value.trim().toUpperCase();
}

// Today's calendar day in China (YYYY-MM-DD), whatever the zone of the machine: a birth date may not lie after it.
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Returns what is wrong with the number, or null when it is valid. */
export function nationalIdProblem(raw: string, today: Date = new Date()): NationalIdProblem | null {
  const value = normalizeNationalId(raw);
  if (value.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(value)) return 'characters';
  if (!PROVINCE_PREFIXES.has(value.slice(0, 2))) return 'region';
  const birth = birthDateFromNationalId(value);
  if (!birth || birth < '1900-01-01' || birth > CHINA_DAY.format(today)) return 'birth_date';
  if (nationalIdCheckCharacter(value.slice(0, 17)) !== value[17]) return 'check_digit';
  return null;
}

/** The birth date (YYYY-MM-DD) encoded in an 18-character number, or null if it is not a real date. */
export function birthDateFromNationalId(value: string): string | null {
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
}

/** Gender encoded by the sequence number: odd for male, even for female. */
export function genderFromNationalId(value: string): 'male' | 'female' {
  return Number(value[16]) % 2 === 1 ? 'male' : 'female';
}

/** Shows the region prefix and the last four characters: 1501**********123X. */
export function maskNationalId(value: string): string {
  return value.slice(0, 4) + '*'.repeat(Math.max(0, value.length - 8)) + value.slice(-4);
}

/** Mainland mobile numbers: 11 digits starting with 1 and a second digit 3-9. */
export function isMobilePhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value);
}
