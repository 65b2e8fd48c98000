import { z } from 'zod';
import { Id, Pagination } from './common.ts';

/**
 * News: each publishing organization's newsroom (server/src/modules/news). Articles carry the
 * fields the union press prints (intro title 引题, title, subtitle 副题, source, reporters,
 * correspondents, photographers, editor in charge 责任编辑); the body is rich HTML, sanitized
 * by the server whatever the client sends.
 */

/** Times on the portal and in the console are China's. */
export const NEWS_TIME_ZONE = 'Asia/Shanghai';
/** The widths (px) each body photo is resized to once, for srcset. */
export const NEWS_IMAGE_WIDTHS = [480, 960, 1600] as const;
/** The largest photo accepted. */
export const NEWS_IMAGE_MAX_BYTES = 20 * 1024 * 1024;

/**
 * draft → submitted → published (or returned → draft again) → withdrawn; `scheduled` is a
 * publication the chief editor set for a time (a durable job publishes it).
 */
export const ArticleStatus = z.enum(['draft', 'submitted', 'returned', 'scheduled', 'published', 'withdrawn']);
export type ArticleStatus = z.infer<typeof ArticleStatus>;

export const NEWS_CHANNELS = ['union-news', 'training', 'campaigns', 'services', 'grassroots', 'notices'] as const;
export const NewsChannel = z.enum(NEWS_CHANNELS);
export type NewsChannel = z.infer<typeof NewsChannel>;

const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const Names = z.array(Text(40)).max(20);
const DateTime = z.iso.datetime({ offset: true, message: 'must be a date and time with a time zone, e.g. 2024-05-20T09:00:00+08:00' });

const ArticleFields = z.object({
  introTitle: Text(120).nullable(),
  title: Text(120),
  subtitle: Text(120).nullable(),
  source: Text(60).nullable(),
  reporters: Names,
  correspondents: Names,
  photographers: Names,
  editorInCharge: Text(40).nullable(),
  channel: NewsChannel,
  tags: z.array(Text(20)).max(10),
  summary: Text(400).nullable(),
  /** Rich HTML; stored after the server's allow-list sanitizer. */
  bodyHtml: z.string().max(300_000, 'must be at most 300000 characters'),
  /** An image uploaded for this organization, shown in lists and Open Graph. */
  coverImageId: Id.nullable(),
});

export const ArticleCreate = ArticleFields.partial().required({ title: true, channel: true }).extend({ orgId: Id }).strict();
/** `version`: the version the editor started from; a newer one saved meanwhile is a 409. */
export const ArticleUpdate = ArticleFields.partial().extend({ version: z.number().int().min(1) }).strict();

export const Article = ArticleFields.extend({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  orgSlug: z.string(),
  status: ArticleStatus,
  version: z.number().int(),
  /** When it was (or is to be) published. */
  publishedAt: z.string().nullable(),
  /** The chief editor's comment when it was returned. */
  returnComment: z.string().nullable(),
  updatedAt: z.string(),
  createdAt: z.string(),
  /** The public address once published. */
  url: z.string().nullable(),
  /** The article this one reprints (转载), if any. */
  reprintOf: z.number().int().nullable(),
  /** The name of the organization whose article this one reprints ("转载自 …"), if any. */
  reprintFrom: z.string().nullable(),
});
export type Article = z.infer<typeof Article>;

export const ArticleSummary = Article.pick({
  id: true, orgId: true, orgName: true, status: true, version: true, introTitle: true, title: true, channel: true, publishedAt: true, updatedAt: true, url: true,
  reprintOf: true, reprintFrom: true,
});
export type ArticleSummary = z.infer<typeof ArticleSummary>;

export const ArticleListQuery = Pagination.extend({
  orgId: Id.optional(),
  status: ArticleStatus.optional(),
  channel: NewsChannel.optional(),
  q: z.string().trim().max(50).optional(),
}).strict();

/** submit (editor) · publish, return, withdraw (chief editor). `at`: a publication time in the future. */
export const ArticleAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit'), version: z.number().int().min(1) }).strict(),
  z.object({ action: z.literal('publish'), version: z.number().int().min(1), at: DateTime.optional() }).strict(),
  z.object({ action: z.literal('return'), version: z.number().int().min(1), comment: Text(1000) }).strict(),
  z.object({ action: z.literal('withdraw'), version: z.number().int().min(1), comment: Text(1000).optional() }).strict(),
]);
export type ArticleAction = z.infer<typeof ArticleAction>;

/** Propose an article to the newsroom of an organization above its own (its city or province): a copy waits there for its chief editor. */
export const ReprintInput = z.object({ toOrgId: Id }).strict();
/** The copy a proposal made: it waits in the newsroom of `orgId`. */
export const Reprint = z.object({ id: z.number().int(), orgId: z.number().int() });
export type Reprint = z.infer<typeof Reprint>;

/**
 * A newsroom an article may be proposed to: one of an organization above the article's own,
 * nearest first. Newsrooms are public (the portal lists them all), so this tells nothing else
 * of the tree above.
 */
export const ReprintTarget = z.object({
  orgId: z.number().int(),
  /** The organization's name (the newsroom's, on the portal). */
  name: z.string(),
  /** Its portal address /news/<slug>/. */
  slug: z.string(),
  /** This article was proposed there already: a second proposal is refused (409). */
  proposed: z.boolean(),
});
export type ReprintTarget = z.infer<typeof ReprintTarget>;

export const ArticleVersion = z.object({
  version: z.number().int(),
  status: ArticleStatus,
  action: z.string(),
  comment: z.string().nullable(),
  actor: z.string().nullable(),
  at: z.string(),
  title: z.string(),
  bodyHtml: z.string(),
});
export type ArticleVersion = z.infer<typeof ArticleVersion>;

export const NewsImage = z.object({
  id: z.number().int(),
  orgId: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  /** The address of each size, widest last. */
  sizes: z.array(z.object({ width: z.number().int(), url: z.string() })),
  /** The <img> to put in a body (src and srcset). */
  src: z.string(),
  srcset: z.string(),
});
export type NewsImage = z.infer<typeof NewsImage>;
export const ImageUploadQuery = z.object({ orgId: Id }).strict();

// Harmful-content reports (举报) ---------------------------------------------------------------

export const ReportReason = z.enum(['illegal', 'false', 'infringing', 'other']);
export type ReportReason = z.infer<typeof ReportReason>;
export const ReportStatus = z.enum(['open', 'answered', 'closed']);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const Report = z.object({
  id: z.number().int(),
  articleId: z.number().int(),
  articleTitle: z.string(),
  orgId: z.number().int(),
  reason: ReportReason,
  description: z.string(),
  contact: z.string().nullable(),
  status: ReportStatus,
  answer: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
});
export type Report = z.infer<typeof Report>;
export const ReportListQuery = Pagination.extend({ orgId: Id.optional(), status: ReportStatus.optional() }).strict();
export const ReportAnswer = z.object({ answer: Text(2000), close: z.boolean().default(false) }).strict();

// Newsrooms --------------------------------------------------------------------------------------

export const NewsroomSettings = z.object({
  /** The portal address /news/<slug>/. */
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or hyphens'),
  hotline: Text(40).nullable(),
  email: z.email().nullable(),
}).strict();
export const Newsroom = NewsroomSettings.extend({ orgId: z.number().int(), orgName: z.string(), url: z.string() });
export type Newsroom = z.infer<typeof Newsroom>;
