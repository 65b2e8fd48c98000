import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NEWS_CHANNELS, ReportReason, type NewsChannel } from '@workers-home/contract';
import type { House } from '../../house/module.ts';
import { AppError } from '../../errors.ts';
import { buildFeed } from './feeds.ts';
import { newsroomBySlug, publishingNewsrooms, type Newsroom } from './newsrooms.ts';
import { articleBody, articleList, CHANNEL_NAMES, escape, page, pager, searchForm } from './portal-html.ts';
import { isNewsMedia, listPublished, neighbours, PAGE_SIZE, publishedArticle, sitemapEntries } from './portal-data.ts';
import { portalCache } from './portal-cache.ts';
import { fileReport } from './reports.ts';
import { imageAttributes } from './body.ts';

const HTML = 'text/html; charset=utf-8';
const FEED_ITEMS = 20;
const isChannel = (value: string): value is NewsChannel => (NEWS_CHANNELS as readonly string[]).includes(value);
const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;
const pageOf = (request: FastifyRequest) => {
  const n = Number((request.query as Record<string, string | undefined>).page ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
};

class NotFound extends Error {}

/**
 * The public portal at /news/ (server-rendered, no script), its feeds, sitemap and photos, and
 * the report form. Published pages and feeds are answered from the portal cache, which every
 * publication and withdrawal clears.
 */
export default function newsPortal(app: FastifyInstance, house: House) {
  const { pool, secrets } = house.services;
  const config = { access: 'public' as const };
  // The app's default referrer policy (no-referrer) makes a browser send "Origin: null" with the
  // report form's post, which the cross-site check must refuse; same-origin keeps referrers from
  // leaving the site and lets the form name its origin.
  app.addHook('onSend', (_request, reply, payload, done) => { reply.header('referrer-policy', 'same-origin'); done(null, payload); });
  const schema = { hide: true };

  /** Answers from the cache, or renders, stores and answers; a render that finds nothing is the portal's 404 page. */
  async function cached(request: FastifyRequest, reply: FastifyReply, render: () => Promise<{ body: string; type: string }>) {
    const key = `${request.host} ${request.url}`;
    let entry = portalCache.get(key);
    if (!entry) {
      let rendered: { body: string; type: string };
      try {
        rendered = await render();
      } catch (error) {
        if (error instanceof NotFound) return notFoundPage(request, reply);
        throw error;
      }
      const body = Buffer.from(rendered.body);
      entry = portalCache.set(key, { body, type: rendered.type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
    }
    reply.header('cache-control', 'public, max-age=60').header('etag', entry.etag).type(entry.type);
    if (request.headers['if-none-match'] === entry.etag) return reply.code(304).send();
    return reply.send(entry.body);
  }

  function notFoundPage(request: FastifyRequest, reply: FastifyReply) {
    return reply.code(404).type(HTML).header('cache-control', 'no-store').send(page({
      title: '页面不存在', description: '', url: originOf(request) + request.url.split('?')[0], origin: originOf(request), feeds: [],
      body: '<h1>页面不存在</h1><p>稿件可能已撤下。<a href="/news/">返回新闻首页</a></p>',
    }));
  }

  const feedLinks = (origin: string, base: string, title: string): Array<[string, string, string]> => [[title, `${origin}${base}feed.rss`, `${origin}${base}feed.atom`]];

  async function newsroomOr404(slug: string): Promise<Newsroom> {
    const newsroom = await newsroomBySlug(pool, slug);
    if (!newsroom) throw new NotFound();
    return newsroom;
  }

  async function listPage(request: FastifyRequest, newsroom: Newsroom | undefined, channel: NewsChannel | undefined) {
    const origin = originOf(request);
    const n = pageOf(request);
    const base = `/news/${newsroom ? `${newsroom.slug}/` : ''}${channel ? `${channel}/` : ''}`;
    const { items, total } = await listPublished(pool, { ...(newsroom ? { orgId: newsroom.orgId } : {}), ...(channel ? { channel } : {}), page: n });
    const heading = `${newsroom?.name ?? '职工之家'}${channel ? ` · ${CHANNEL_NAMES[channel]}` : ' · 新闻'}`;
    const rooms = !newsroom && !channel ? await publishingNewsrooms(pool) : [];
    const roomLinks = rooms.length ? `<p class="meta">各级工会新闻：${rooms.map((r) => `<a href="/news/${r.slug}/">${escape(r.name)}</a>`).join(' · ')}</p>` : '';
    const cover = items.find((a) => a.cover)?.cover;
    return {
      type: HTML,
      body: page({
        title: heading, description: `${heading}：各级工会的新闻稿件`, url: origin + base, origin, newsroom, type: 'website',
        feeds: feedLinks(origin, base, heading), ...(cover ? { image: imageAttributes(cover).src } : {}),
        body: `<h1 style="font-size:20px">${escape(heading)}</h1>${searchForm()}${roomLinks}${articleList(items, !newsroom)}${pager(base, n, total, PAGE_SIZE)}
<p class="meta">订阅：<a href="${base}feed.rss">RSS</a> · <a href="${base}feed.atom">Atom</a></p>`,
      }),
    };
  }

  async function feed(request: FastifyRequest, newsroom: Newsroom | undefined, channel: NewsChannel | undefined, format: 'rss' | 'atom') {
    const origin = originOf(request);
    const base = `/news/${newsroom ? `${newsroom.slug}/` : ''}${channel ? `${channel}/` : ''}`;
    const { items } = await listPublished(pool, { ...(newsroom ? { orgId: newsroom.orgId } : {}), ...(channel ? { channel } : {}), page: 1, pageSize: FEED_ITEMS });
    const title = `${newsroom?.name ?? '职工之家'}${channel ? ` · ${CHANNEL_NAMES[channel]}` : ' · 新闻'}`;
    const built = buildFeed({ title, link: origin + base, rss: `${origin}${base}feed.rss`, atom: `${origin}${base}feed.atom`, origin }, items);
    return format === 'rss'
      ? { type: 'application/rss+xml; charset=utf-8', body: built.rss2() }
      : { type: 'application/atom+xml; charset=utf-8', body: built.atom1() };
  }

  app.get('/news/', { schema, config }, (request, reply) => cached(request, reply, () => listPage(request, undefined, undefined)));
  app.get('/news', { schema, config }, (_request, reply) => reply.redirect('/news/', 301));
  app.get('/news/feed.rss', { schema, config }, (request, reply) => cached(request, reply, () => feed(request, undefined, undefined, 'rss')));
  app.get('/news/feed.atom', { schema, config }, (request, reply) => cached(request, reply, () => feed(request, undefined, undefined, 'atom')));

  app.get('/news/search', { schema, config }, async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).q;
    const q = (typeof raw === 'string' ? raw : '').trim().slice(0, 50);
    const origin = originOf(request);
    const n = pageOf(request);
    const { items, total } = q ? await listPublished(pool, { q, page: n }) : { items: [], total: 0 };
    const result = q ? `<p class="meta">“${escape(q)}”共 ${total} 篇</p>${articleList(items, true)}${pager('/news/search', n, total, PAGE_SIZE, `&q=${encodeURIComponent(q)}`)}` : '';
    return reply.type(HTML).header('cache-control', 'no-cache').send(page({
      title: q ? `搜索：${q}` : '搜索新闻', description: '搜索各级工会的新闻', url: `${origin}/news/search`, origin, feeds: feedLinks(origin, '/news/', '职工之家 · 新闻'),
      body: `<h1 style="font-size:20px">搜索新闻</h1>${searchForm(q)}${result}`,
    }));
  });

  app.get('/news/sitemap.xml', { schema, config }, (request, reply) => cached(request, reply, async () => {
    const origin = originOf(request);
    const entries = await sitemapEntries(pool);
    const urls = entries.map((e) => `<url><loc>${escape(`${origin}/news/${e.slug}/articles/${e.id}`)}</loc><lastmod>${e.updatedAt.toISOString()}</lastmod></url>`).join('');
    return { type: 'application/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/news/</loc></url>${urls}</urlset>` };
  }));
  app.get('/robots.txt', { schema, config }, (request, reply) => reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=3600')
    .send(`User-agent: *\nAllow: /news/\nDisallow: /api/\nDisallow: /app/\nSitemap: ${originOf(request)}/news/sitemap.xml\n`));

  // The photos: stored once per size and never changed, so cached for good.
  app.get<{ Params: { key: string } }>('/news/media/:key.jpg', { schema, config }, async (request, reply) => {
    const { key } = request.params;
    if (!/^[0-9a-f]{32}$/.test(key) || !(await isNewsMedia(pool, key))) return notFoundPage(request, reply);
    return reply.type('image/jpeg').header('cache-control', 'public, max-age=31536000, immutable').send(await house.files.open(key));
  });

  app.get<{ Params: { slug: string } }>('/news/:slug/', { schema, config }, (request, reply) =>
    cached(request, reply, async () => listPage(request, await newsroomOr404(request.params.slug), undefined)));
  app.get<{ Params: { slug: string } }>('/news/:slug/feed.rss', { schema, config }, (request, reply) =>
    cached(request, reply, async () => feed(request, await newsroomOr404(request.params.slug), undefined, 'rss')));
  app.get<{ Params: { slug: string } }>('/news/:slug/feed.atom', { schema, config }, (request, reply) =>
    cached(request, reply, async () => feed(request, await newsroomOr404(request.params.slug), undefined, 'atom')));
  app.get<{ Params: { slug: string; channel: string } }>('/news/:slug/:channel/', { schema, config }, (request, reply) => cached(request, reply, async () => {
    const { slug, channel } = request.params;
    if (!isChannel(channel)) throw new NotFound();
    return listPage(request, slug === 'all' ? undefined : await newsroomOr404(slug), channel);
  }));
  for (const format of ['rss', 'atom'] as const) {
    app.get<{ Params: { slug: string; channel: string } }>(`/news/:slug/:channel/feed.${format}`, { schema, config }, (request, reply) => cached(request, reply, async () => {
      const { slug, channel } = request.params;
      if (!isChannel(channel)) throw new NotFound();
      return feed(request, slug === 'all' ? undefined : await newsroomOr404(slug), channel, format);
    }));
  }

  app.get<{ Params: { slug: string; id: string } }>('/news/:slug/articles/:id', { schema, config }, (request, reply) => cached(request, reply, async () => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id) || id < 1) throw new NotFound();
    const article = await publishedArticle(pool, request.params.slug, id);
    if (!article) throw new NotFound();
    const newsroom = (await newsroomBySlug(pool, article.slug))!;
    const origin = originOf(request);
    const reported = (request.query as Record<string, string | undefined>).reported === '1';
    const notice = reported ? '<p class="notice" role="status">举报已收到，编辑部将尽快核实处理。谢谢您的监督。</p>' : '';
    const cover = article.cover ?? null;
    return {
      type: HTML,
      body: page({
        title: article.title, description: article.summary ?? '', url: `${origin}/news/${article.slug}/articles/${article.id}`, origin, newsroom, type: 'article',
        feeds: [...feedLinks(origin, `/news/${article.slug}/`, newsroom.name), ...feedLinks(origin, `/news/${article.slug}/${article.channel}/`, `${newsroom.name} · ${CHANNEL_NAMES[article.channel as NewsChannel] ?? article.channel}`)],
        ...(cover ? { image: imageAttributes(cover).src } : {}),
        body: articleBody(article, await neighbours(pool, article), notice),
      }),
    };
  }));

  // The report form posts a plain HTML form: its fields are read here, in this scope only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.post<{ Params: { slug: string; id: string }; Body: Record<string, string> }>('/news/:slug/articles/:id/report', {
    schema, config: { access: 'public' },
  }, async (request, reply) => {
    const id = Number(request.params.id);
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const reason = ReportReason.safeParse(body.reason);
    const description = String(body.description ?? '').trim();
    const contact = String(body.contact ?? '').trim();
    const problem = !reason.success ? '请选择举报类型' : !description ? '请填写举报内容' : description.length > 2000 ? '举报内容不能超过 2000 字' : contact.length > 100 ? '联系方式不能超过 100 字' : null;
    const back = `/news/${encodeURIComponent(request.params.slug)}/articles/${id}`;
    const answer = (status: number, message: string) => reply.code(status).type(HTML).header('cache-control', 'no-store').send(page({
      title: '举报未提交', description: '', url: originOf(request) + back, origin: originOf(request), feeds: [],
      body: `<h1 style="font-size:20px">举报未提交</h1><p class="notice" role="alert">${escape(message)}</p><p><a href="${back}#report">返回稿件</a></p>`,
    }));
    if (!Number.isSafeInteger(id) || id < 1) return notFoundPage(request, reply);
    if (problem) return answer(400, problem);
    try {
      await fileReport(pool, secrets, id, request.ip, { reason: reason.data!, description, contact: contact || null });
    } catch (error) {
      if (error instanceof AppError && error.status === 429) return answer(429, '您的举报过于频繁，请一小时后再试，或拨打页面底部的举报电话。');
      if (error instanceof AppError && error.status === 404) return notFoundPage(request, reply);
      throw error;
    }
    return reply.redirect(`${back}?reported=1#report`, 303);
  });
}
