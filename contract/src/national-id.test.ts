import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { birthDateFromNationalId, genderFromNationalId, isMobilePhone, maskNationalId, nationalIdCheckCharacter, nationalIdProblem } from './national-id.ts';

// The example number printed in GB 11643-1999 itself.
const STANDARD_EXAMPLE = '11010519491231002X';

describe('national ID numbers (GB 11643)', () => {
  it('accepts the standard\'s own example and a lower-case x', () => {
    expect(nationalIdProblem(STANDARD_EXAMPLE)).toBeNull();
    expect(nationalIdProblem(STANDARD_EXAMPLE.toLowerCase())).toBeNull();
    expect(birthDateFromNationalId(STANDARD_EXAMPLE)).toBe('1949-12-31');
    expect(genderFromNationalId(STANDARD_EXAMPLE)).toBe('female');
  });

  it('takes a birth date of China\'s today as real before 08:00 there, when the UTC day is still yesterday', () => {
    const first17 = '110105' + '20261205' + '002';
    const bornToday = first17 + nationalIdCheckCharacter(first17);
    expect(nationalIdProblem(bornToday, new Date('2026-12-05T07:30:00+08:00'))).toBeNull();
    expect(nationalIdProblem(bornToday, new Date('2026-12-04T23:30:00+08:00'))).toBe('birth_date');
  });

  it('names what is wrong', () => {
    expect(nationalIdProblem('11010519491231002')).toBe('length'); // 17 digits: a spreadsheet dropped the last one
    expect(nationalIdProblem('1101051949123100XX')).toBe('characters');
    expect(nationalIdProblem('99010519491231002X')).toBe('region');
    expect(nationalIdProblem('110105194902300021')).toBe('birth_date'); // 30 February
    expect(nationalIdProblem('110105194912310021')).toBe('check_digit');
    expect(nationalIdProblem('110105209912310021', new Date('2026-01-01'))).toBe('birth_date'); // born in the future
  });

  it('accepts every number whose check character is computed, and rejects any single changed digit', () => {
    const body = fc.tuple(
      fc.constantFrom('110105', '150781', '410122', '310115', '659001'),
      fc.date({ min: new Date('1930-01-01'), max: new Date('2008-12-31'), noInvalidDate: true }),
      fc.integer({ min: 0, max: 999 }),
    ).map(([region, date, seq]) => region + date.toISOString().slice(0, 10).replaceAll('-', '') + String(seq).padStart(3, '0'));
    fc.assert(fc.property(body, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (first17, position, delta) => {
      const id = first17 + nationalIdCheckCharacter(first17);
      expect(nationalIdProblem(id)).toBeNull();
      const changedDigit = String((Number(id[position]) + delta) % 10);
      const changed = id.slice(0, position) + changedDigit + id.slice(position + 1);
      // A single changed digit always breaks the check (or the region / date it lives in).
      expect(nationalIdProblem(changed)).not.toBeNull();
    }), { numRuns: 500 });
  });

  it('masks all but the region prefix and the last four characters', () => {
    expect(maskNationalId(STANDARD_EXAMPLE)).toBe('1101**********002X');
  });
});

describe('mobile phone numbers', () => {
  it('accepts 11 digits starting 13-19 and nothing else', () => {
    expect(isMobilePhone('13812345678')).toBe(true);
    expect(isMobilePhone('19912345678')).toBe(true);
    for (const bad of ['12812345678', '1381234567', '138123456789', '+8613812345678', '138 1234 5678', '']) expect(isMobilePhone(bad)).toBe(false);
  });
});
