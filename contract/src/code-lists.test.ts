import { describe, expect, it } from 'vitest';
import { codeListLabel, codeListValue, EDUCATION_LEVELS, ETHNIC_GROUPS, POLITICAL_STATUSES } from './code-lists.ts';
import { PersonUpdate } from './people.ts';

describe('the national code lists', () => {
  it('hold the 56 ethnic groups of GB/T 3304 with 其他 and 外国血统, and the 13 political statuses of GB/T 4762', () => {
    expect(ETHNIC_GROUPS.filter((e) => Number(e.code) <= 56)).toHaveLength(56);
    expect(ETHNIC_GROUPS.map((e) => e.zh)).toEqual(expect.arrayContaining(['汉族', '基诺族', '其他', '外国血统中国籍人士']));
    expect(POLITICAL_STATUSES).toHaveLength(13);
    expect(new Set(ETHNIC_GROUPS.map((e) => e.zh)).size).toBe(ETHNIC_GROUPS.length);
    expect(EDUCATION_LEVELS.map((e) => e.zh)).toEqual(expect.arrayContaining(['初中', '高中', '中专', '大专', '本科', '硕士研究生']));
  });

  it('read a value written any usual way as its Chinese name, and refuse one not in the list', () => {
    expect(codeListValue('ethnicity', '回')).toBe('回族');
    expect(codeListValue('ethnicity', ' manchu ')).toBe('满族');
    expect(codeListValue('ethnicity', '03')).toBe('回族');
    expect(codeListValue('politicalStatus', '中国共产党党员')).toBe('中共党员');
    expect(codeListValue('education', '大学本科')).toBe('本科');
    expect(codeListValue('employmentForm', 'Agency work')).toBe('劳务派遣');
    expect(codeListValue('education', '幼儿园')).toBeNull();
    expect(PersonUpdate.parse({ ethnicity: 'Hui', education: '大学专科' })).toEqual({ ethnicity: '回族', education: '大专' });
    const refused = PersonUpdate.safeParse({ politicalStatus: '积极分子' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['politicalStatus']);
  });

  it('show a value stored before the lists, and not in them, as it is', () => {
    expect(codeListLabel('education', '函授本科', 'en')).toBe('函授本科');
    expect(codeListLabel('education', '本科', 'en')).toBe("Bachelor's degree");
  });
});
