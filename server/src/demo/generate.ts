import { maskNationalId, nationalIdCheckCharacter } from '@workers-home/contract';

/** A small deterministic PRNG (mulberry32): the same seed gives the same federation every time. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Random = ReturnType<typeof createRandom>;

// Common surnames, the most frequent first and repeated so they come up more often.
const SURNAMES = '王李张刘陈杨黄赵吴周王李张刘陈杨徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤';
const GIVEN_MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣然志国建文海东晨阳峰亮成';
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞燕玲桂英秀兰萍红琳颖倩婷雪慧佳梅琴云洁璐瑶欣怡晶丹月蕾莉';
const MONGOLIAN_MALE = ['巴特尔', '额尔敦', '那仁', '宝音', '苏和', '朝鲁', '阿拉坦', '巴图'];
const MONGOLIAN_FEMALE = ['其其格', '乌云', '斯琴', '苏日娜', '萨仁', '托娅', '高娃', '娜仁'];

export function makeName(random: Random, gender: 'male' | 'female', mongolian: boolean): string {
  if (mongolian) return random.pick(gender === 'male' ? MONGOLIAN_MALE : MONGOLIAN_FEMALE);
  const chars = gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
  const given = random.chance(0.3) ? random.pick([...chars]) : random.pick([...chars]) + random.pick([...chars]);
  return random.pick([...SURNAMES]) + given;
}

/** A valid 18-character number for the region, birth date and gender, unused so far. */
export function makeNationalId(random: Random, regionCode: string, birthDate: string, gender: 'male' | 'female', taken: Set<string>): string {
  for (;;) {
    const sequence = random.int(0, 499) * 2 + (gender === 'male' ? 1 : 0);
    const first17 = regionCode + birthDate.replaceAll('-', '') + String(sequence).padStart(3, '0');
    const id = first17 + nationalIdCheckCharacter(first17);
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

const PHONE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155', '158', '159', '166', '177', '180', '182', '185', '186', '187', '188', '189', '199'];
export function makePhone(random: Random): string {
  return random.pick(PHONE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, '0');
}

export function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function randomDate(random: Random, fromYear: number, toYear: number): string {
  return isoDate(random.int(fromYear, toYear), random.int(1, 12), random.int(1, 28));
}

/** "中牟县总工会" -> "中牟县": the place a federation's grassroots unions are named after. */
export function placeOf(orgName: string): string {
  return orgName.replace(/(总工会|工会联合会|口岸工会联合会|工会委员会|工会|经济开发区)$/u, '').replace(/(教育|卫生健康|建设交通)$/u, '');
}

const BRANDS = ['宏远', '金穗', '华兴', '瑞丰', '恒通', '正大', '新天地', '远景', '中原', '北方', '鑫源', '华能', '龙腾', '博达', '天成', '绿源'];
const INDUSTRIES = ['机械制造', '食品', '物流', '建材', '纺织', '汽车零部件', '农牧业', '新能源', '电子科技', '化工', '商贸', '建筑工程'];

/** A plausible grassroots union name for an organization of the given kind in a place. */
export function grassrootsName(random: Random, parentName: string, index: number): { name: string; kind: 'enterprise_union' | 'institution_union' | 'organ_union' } {
  const place = placeOf(parentName);
  if (parentName.includes('教育')) return { name: `${place}第${index + 1}中学工会`, kind: 'institution_union' };
  if (parentName.includes('卫生')) return { name: `${place}第${index + 1}人民医院工会`, kind: 'institution_union' };
  if (parentName.includes('铁路')) return { name: `${random.pick(['北京', '呼和浩特', '郑州', '上海', '乌鲁木齐', '哈尔滨'])}局集团${random.pick(['机务段', '车务段', '工务段', '电务段', '客运段'])}第${index + 1}工会`, kind: 'enterprise_union' };
  if (parentName.includes('民航')) return { name: `${random.pick(['首都', '浦东', '白塔', '新郑', '地窝堡'])}机场第${index + 1}分公司工会`, kind: 'enterprise_union' };
  if (parentName.includes('金融')) return { name: `${random.pick(['工商银行', '农业银行', '建设银行', '中国银行'])}${random.pick(['北京', '内蒙古', '河南', '上海'])}分行第${index + 1}支行工会`, kind: 'enterprise_union' };
  if (parentName.includes('机关')) return { name: `国家机关第${index + 1}机关工会`, kind: 'organ_union' };
  // Index 0 is always the county hospital: a stable grassroots union for the demo accounts.
  if (index === 0) return { name: `${place}人民医院工会`, kind: 'institution_union' };
  const roll = random.next();
  if (roll < 0.12) return { name: `${place}第${index}中学工会`, kind: 'institution_union' };
  if (roll < 0.18) return { name: `${place}${random.pick(['快递物流行业', '网约配送行业', '货车司机'])}联合工会`, kind: 'enterprise_union' };
  if (roll < 0.24) return { name: `${place}${random.pick(['税务局', '人社局', '市场监管局', '供电公司', '自然资源局', '交通运输局'])}工会委员会`, kind: 'organ_union' };
  return { name: `${place}${random.pick(BRANDS)}${random.pick(INDUSTRIES)}有限公司工会委员会`, kind: 'enterprise_union' };
}

export { maskNationalId };
