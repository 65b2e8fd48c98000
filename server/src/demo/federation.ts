import type { OrgKind, OrgLevel } from '@workers-home/contract';

/**
 * The organizations named in shared/seed-facts.md, at their levels, with real GB/T 2260
 * region codes. `grassroots` asks the generator for that many grassroots unions below.
 * `key` names the organizations the demo accounts and tests refer to.
 */
export interface DemoOrg {
  key?: string;
  name: string;
  shortName?: string;
  level: OrgLevel;
  kind: OrgKind;
  regionCode?: string;
  grassroots?: number;
  children?: DemoOrg[];
}

const county = (name: string, regionCode: string, grassroots: number, kind: OrgKind = 'federation', key?: string): DemoOrg => ({
  ...(key ? { key } : {}), name, level: 'county', kind, regionCode, grassroots,
});

export const DEMO_FEDERATION: DemoOrg = {
  key: 'acftu', name: '中华全国总工会', shortName: '全总', level: 'national', kind: 'federation',
  children: [
    {
      key: 'inner-mongolia', name: '内蒙古自治区总工会', shortName: '内蒙古总工会', level: 'provincial', kind: 'federation', regionCode: '150000',
      children: [
        {
          key: 'hulunbuir', name: '呼伦贝尔市总工会', level: 'city', kind: 'federation', regionCode: '150700',
          children: [
            county('满洲里市总工会', '150781', 12, 'federation', 'manzhouli'),
            county('新巴尔虎右旗总工会', '150727', 6),
            county('新巴尔虎左旗总工会', '150726', 6),
            county('海拉尔区总工会', '150702', 10),
          ],
        },
        {
          key: 'xilingol', name: '锡林郭勒盟工会', level: 'city', kind: 'federation', regionCode: '152500',
          children: [county('二连浩特口岸工会联合会', '152501', 10, 'port_union', 'erenhot'), county('锡林浩特市总工会', '152502', 8)],
        },
        { name: '巴彦淖尔市总工会', level: 'city', kind: 'federation', regionCode: '150800', children: [county('临河区总工会', '150802', 8)] },
        { name: '兴安盟工会', level: 'city', kind: 'federation', regionCode: '152200', children: [county('阿尔山市总工会', '152202', 6, 'federation', 'arxan')] },
        {
          name: '阿拉善盟工会', level: 'city', kind: 'federation', regionCode: '152900',
          children: [county('策克口岸经济开发区工会委员会', '152923', 5, 'union_committee', 'zeke'), county('额济纳旗总工会', '152923', 5)],
        },
      ],
    },
    {
      key: 'shanghai', name: '上海市总工会', shortName: '上海总工会', level: 'provincial', kind: 'federation', regionCode: '310000',
      children: [
        { name: '上海市教育工会', level: 'city', kind: 'industrial_union', regionCode: '310000', grassroots: 14 },
        { name: '上海市卫生健康工会', level: 'city', kind: 'industrial_union', regionCode: '310000', grassroots: 12 },
        { name: '上海市建设交通工会', level: 'city', kind: 'industrial_union', regionCode: '310000', grassroots: 12 },
        { key: 'pudong', name: '浦东新区总工会', level: 'city', kind: 'federation', regionCode: '310115', grassroots: 20 },
        { name: '徐汇区总工会', level: 'city', kind: 'federation', regionCode: '310104', grassroots: 12 },
        { name: '黄浦区总工会', level: 'city', kind: 'federation', regionCode: '310101', grassroots: 10 },
      ],
    },
    {
      key: 'henan', name: '河南省总工会', shortName: '河南总工会', level: 'provincial', kind: 'federation', regionCode: '410000',
      children: [
        {
          key: 'zhengzhou', name: '郑州市总工会', level: 'city', kind: 'federation', regionCode: '410100',
          children: [county('中牟县总工会', '410122', 36, 'federation', 'zhongmou'), county('新郑市总工会', '410184', 16, 'federation', 'xinzheng'), county('巩义市总工会', '410181', 12)],
        },
      ],
    },
    {
      key: 'xpcc', name: '新疆生产建设兵团总工会', shortName: '兵团总工会', level: 'provincial', kind: 'federation', regionCode: '659001',
      children: [{ name: '第八师石河子市总工会', level: 'city', kind: 'federation', regionCode: '659001', grassroots: 12 }],
    },
    { key: 'railway', name: '中国铁路工会全国委员会', shortName: '铁路工会', level: 'industrial', kind: 'industrial_union', grassroots: 12 },
    { name: '中国民航工会全国委员会', shortName: '民航工会', level: 'industrial', kind: 'industrial_union', grassroots: 10 },
    { name: '中国金融工会全国委员会', shortName: '金融工会', level: 'industrial', kind: 'industrial_union', grassroots: 10 },
    { name: '中央和国家机关工会联合会', shortName: '国家机关工会联合会', level: 'industrial', kind: 'organ_union', grassroots: 10 },
  ],
};

/** Sign-in names of the demo accounts; all share DEMO_PASSWORD. */
export const DEMO_PASSWORD = 'WorkersHome2026';
export const DEMO_ACCOUNTS = [
  { username: 'admin', displayName: '全总系统管理员', role: 'admin', orgKey: 'acftu' },
  { username: 'nmg.admin', displayName: '内蒙古总工会管理员', role: 'admin', orgKey: 'inner-mongolia' },
  { username: 'zhongmou.admin', displayName: '中牟县总工会管理员', role: 'admin', orgKey: 'zhongmou' },
  { username: 'grassroots.admin', displayName: '基层工会管理员', role: 'admin', orgKey: 'zhongmou-first-grassroots' },
  { username: 'member', displayName: '会员（演示）', role: 'member', orgKey: 'zhongmou-first-grassroots' },
] as const;
