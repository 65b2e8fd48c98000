import { z } from 'zod';
import { coded } from './messages/errors.ts';
import { Id, IsoDate, Pagination } from './common.ts';

/** Hierarchy levels, top to bottom. Industrial unions sit beside provincial federations. */
export const ORG_LEVELS = ['national', 'provincial', 'industrial', 'city', 'county', 'grassroots'] as const;
export const OrgLevel = z.enum(ORG_LEVELS);
export type OrgLevel = z.infer<typeof OrgLevel>;

/** How deep a level sits; a child must sit strictly deeper than its parent. */
export const LEVEL_RANK: Record<OrgLevel, number> = {
  national: 0,
  provincial: 1,
  industrial: 1,
  city: 2,
  county: 3,
  grassroots: 4,
};

export const ORG_KINDS = [
  'federation', // 总工会
  'industrial_union', // 产业工会
  'port_union', // 口岸工会
  'union_committee', // 工会委员会
  'enterprise_union', // 企业工会
  'institution_union', // 事业单位工会
  'organ_union', // 机关工会
] as const;
export const OrgKind = z.enum(ORG_KINDS);
export type OrgKind = z.infer<typeof OrgKind>;

export const RegionCode = z.string().refine((value) => /^\d{6}$/.test(value), coded('orgs.region_code.format'));
const OrgName = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const ShortName = z.string().trim().min(1).max(30, 'must be at most 30 characters');

export const Org = z.object({
  id: z.number().int(),
  parentId: z.number().int().nullable(),
  name: z.string(),
  shortName: z.string().nullable(),
  level: OrgLevel,
  kind: OrgKind,
  regionCode: z.string().nullable(),
  status: z.enum(['active', 'closed']),
  closedOn: z.string().nullable(),
  depth: z.number().int(),
  childCount: z.number().int(),
});
export type Org = z.infer<typeof Org>;

export const OrgSubtreeCounts = z.object({
  organizations: z.number().int(),
  grassrootsUnions: z.number().int(),
  activeMembers: z.number().int(),
  cadres: z.number().int(),
});
export const OrgDetail = Org.extend({ subtree: OrgSubtreeCounts });

export const OrgCreate = z
  .object({
    parentId: Id,
    name: OrgName,
    shortName: ShortName.optional(),
    level: OrgLevel,
    kind: OrgKind,
    regionCode: RegionCode.optional(),
  })
  .strict();
export const OrgUpdate = z
  .object({
    name: OrgName.optional(),
    shortName: ShortName.nullable().optional(),
    kind: OrgKind.optional(),
    regionCode: RegionCode.nullable().optional(),
  })
  .strict();
export const OrgMove = z.object({ parentId: Id }).strict();
export const OrgClose = z.object({ closedOn: IsoDate.optional() }).strict();

export const OrgSearchQuery = Pagination.extend({
  q: z.string().trim().max(100).optional(),
  within: Id.optional(),
  level: OrgLevel.optional(),
  includeClosed: z.stringbool().default(false),
}).strict();
export const OrgChildrenQuery = Pagination.extend({ includeClosed: z.stringbool().default(false) }).strict();
