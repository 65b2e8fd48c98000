/**
 * The national code lists the roster's coded fields are chosen from. A person's stored value is the
 * list's Chinese name (as rosters write it); `en` is its English label; `code` its number in the
 * standard. Values stored before the lists existed, and not in them, stay readable as they are.
 */
export interface CodeListEntry {
  readonly code: string;
  readonly zh: string;
  readonly en: string;
  /** Other ways a roster writes it (full names, older names), accepted by the import. */
  readonly aliases?: readonly string[];
}

const entries = (rows: ReadonlyArray<readonly [string, string, string, ...string[]]>): readonly CodeListEntry[] =>
  rows.map(([code, zh, en, ...aliases]) => ({ code, zh, en, ...(aliases.length ? { aliases } : {}) }));

/** 民族: GB/T 3304, the 56 ethnic groups with 其他 (97) and 外国血统中国籍人士 (98). */
export const ETHNIC_GROUPS = entries([
  ['01', '汉族', 'Han', '汉'], ['02', '蒙古族', 'Mongol', '蒙古'], ['03', '回族', 'Hui', '回'], ['04', '藏族', 'Tibetan', '藏'],
  ['05', '维吾尔族', 'Uyghur', '维吾尔'], ['06', '苗族', 'Miao', '苗'], ['07', '彝族', 'Yi', '彝'], ['08', '壮族', 'Zhuang', '壮'],
  ['09', '布依族', 'Bouyei', '布依'], ['10', '朝鲜族', 'Korean', '朝鲜'], ['11', '满族', 'Manchu', '满'], ['12', '侗族', 'Dong', '侗'],
  ['13', '瑶族', 'Yao', '瑶'], ['14', '白族', 'Bai', '白'], ['15', '土家族', 'Tujia', '土家'], ['16', '哈尼族', 'Hani', '哈尼'],
  ['17', '哈萨克族', 'Kazakh', '哈萨克'], ['18', '傣族', 'Dai', '傣'], ['19', '黎族', 'Li', '黎'], ['20', '傈僳族', 'Lisu', '傈僳'],
  ['21', '佤族', 'Va', '佤'], ['22', '畲族', 'She', '畲'], ['23', '高山族', 'Gaoshan', '高山'], ['24', '拉祜族', 'Lahu', '拉祜'],
  ['25', '水族', 'Sui', '水'], ['26', '东乡族', 'Dongxiang', '东乡'], ['27', '纳西族', 'Naxi', '纳西'], ['28', '景颇族', 'Jingpo', '景颇'],
  ['29', '柯尔克孜族', 'Kyrgyz', '柯尔克孜'], ['30', '土族', 'Tu', '土'], ['31', '达斡尔族', 'Daur', '达斡尔'], ['32', '仫佬族', 'Mulao', '仫佬'],
  ['33', '羌族', 'Qiang', '羌'], ['34', '布朗族', 'Blang', '布朗'], ['35', '撒拉族', 'Salar', '撒拉'], ['36', '毛南族', 'Maonan', '毛南'],
  ['37', '仡佬族', 'Gelao', '仡佬'], ['38', '锡伯族', 'Xibe', '锡伯'], ['39', '阿昌族', 'Achang', '阿昌'], ['40', '普米族', 'Pumi', '普米'],
  ['41', '塔吉克族', 'Tajik', '塔吉克'], ['42', '怒族', 'Nu', '怒'], ['43', '乌孜别克族', 'Uzbek', '乌孜别克'], ['44', '俄罗斯族', 'Russian', '俄罗斯'],
  ['45', '鄂温克族', 'Evenki', '鄂温克'], ['46', '德昂族', 'De\'ang', '德昂'], ['47', '保安族', 'Bonan', '保安'], ['48', '裕固族', 'Yugur', '裕固'],
  ['49', '京族', 'Gin', '京'], ['50', '塔塔尔族', 'Tatar', '塔塔尔'], ['51', '独龙族', 'Derung', '独龙'], ['52', '鄂伦春族', 'Oroqen', '鄂伦春'],
  ['53', '赫哲族', 'Hezhen', '赫哲'], ['54', '门巴族', 'Monba', '门巴'], ['55', '珞巴族', 'Lhoba', '珞巴'], ['56', '基诺族', 'Jino', '基诺'],
  ['97', '其他', 'Other', '其他民族', '其他未识别民族'], ['98', '外国血统中国籍人士', 'Chinese citizen of foreign origin', '外国血统'],
]);

/** 政治面貌: GB/T 4762, by the short names rosters use (the full names are accepted too). */
export const POLITICAL_STATUSES = entries([
  ['01', '中共党员', 'Member of the Communist Party of China', '中国共产党党员', '党员'],
  ['02', '中共预备党员', 'Probationary member of the Communist Party of China', '中国共产党预备党员', '预备党员'],
  ['03', '共青团员', 'Member of the Communist Youth League', '中国共产主义青年团团员', '团员'],
  ['04', '民革党员', 'Member of the Revolutionary Committee of the Kuomintang', '中国国民党革命委员会会员', '民革会员'],
  ['05', '民盟盟员', 'Member of the China Democratic League', '中国民主同盟盟员'],
  ['06', '民建会员', 'Member of the China National Democratic Construction Association', '中国民主建国会会员'],
  ['07', '民进会员', 'Member of the China Association for Promoting Democracy', '中国民主促进会会员'],
  ['08', '农工党党员', 'Member of the Chinese Peasants\' and Workers\' Democratic Party', '中国农工民主党党员'],
  ['09', '致公党党员', 'Member of the China Zhi Gong Party', '中国致公党党员'],
  ['10', '九三学社社员', 'Member of the Jiusan Society'],
  ['11', '台盟盟员', 'Member of the Taiwan Democratic Self-Government League', '台湾民主自治同盟盟员'],
  ['12', '无党派人士', 'Without party affiliation', '无党派民主人士'],
  ['13', '群众', 'Ordinary citizen'],
]);

/** 学历: the education levels the roster uses (after GB/T 4658), highest first. */
export const EDUCATION_LEVELS = entries([
  ['11', '博士研究生', 'Doctorate', '博士'],
  ['14', '硕士研究生', 'Master\'s degree', '硕士', '研究生'],
  ['21', '本科', 'Bachelor\'s degree', '大学本科'],
  ['31', '大专', 'Junior college', '大学专科', '专科'],
  ['41', '中专', 'Secondary vocational school', '中等专科', '中等专业学校', '职业高中', '职高'],
  ['44', '技工学校', 'Technical school', '技校'],
  ['61', '高中', 'Senior high school', '普通高中'],
  ['71', '初中', 'Junior high school', '初级中学'],
  ['81', '小学', 'Primary school'],
  ['90', '其他', 'Other'],
]);

/** 就业形态: how the person is employed (GLOSSARY.md), including 新就业形态 (e.g. delivery riders). */
export const EMPLOYMENT_FORMS = entries([
  ['1', '全日制', 'Full-time', '全日制用工'],
  ['2', '非全日制', 'Part-time', '非全日制用工'],
  ['3', '劳务派遣', 'Agency work', '派遣'],
  ['4', '新就业形态', 'New form of employment (platform work)', '新就业形态劳动者'],
  ['5', '灵活就业', 'Flexible employment'],
  ['9', '其他', 'Other'],
]);

export const CODE_LISTS = {
  ethnicity: ETHNIC_GROUPS,
  politicalStatus: POLITICAL_STATUSES,
  education: EDUCATION_LEVELS,
  employmentForm: EMPLOYMENT_FORMS,
} as const;
export type CodedField = keyof typeof CODE_LISTS;
export const CODED_FIELDS = Object.keys(CODE_LISTS) as CodedField[];

const squash = (value: string) => value.trim().replace(/\s+/g, ' ').toLowerCase();
const lookups = new Map<CodedField, Map<string, string>>(
  CODED_FIELDS.map((field) => [field, new Map(CODE_LISTS[field].flatMap((e) => [e.zh, e.en, e.code, ...(e.aliases ?? [])].map((k) => [squash(k), e.zh] as const)))]),
);

/**
 * The list's value (its Chinese name) for what a person or a file wrote: the Chinese name, a full or
 * older name, the English label or the standard's number. Null when the list has no such entry.
 */
export function codeListValue(field: CodedField, written: string): string | null {
  return lookups.get(field)!.get(squash(written)) ?? null;
}

/** True when the value is one of the list's Chinese names (as stored). */
export function isCodeListValue(field: CodedField, value: string): boolean {
  return CODE_LISTS[field].some((e) => e.zh === value);
}

/** The label of a stored value in a language; a value not in the list (stored before the lists) shows as it is. */
export function codeListLabel(field: CodedField, value: string, locale: 'zh-CN' | 'en'): string {
  const entry = CODE_LISTS[field].find((e) => e.zh === value);
  return entry ? (locale === 'en' ? entry.en : entry.zh) : value;
}
