import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article, ArticleSummary, ArticleVersion, NewsImage, Report, ReprintTarget, Workbench } from '@workers-home/contract';
import { call, createTestApp, expectProblem, json, makeFederation, signIn, unique, type Session, type TestApp } from './helpers.ts';

let t: TestApp;
let f: Awaited<ReturnType<typeof makeFederation>>;
let editor: Session;
let chief: Session;
let siblingChief: Session;
let provinceChief: Session;

/** A multipart body with one file in the field "file". */
function multipart(filename: string, content: Buffer, type = 'application/octet-stream') {
  const boundary = '----news-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A photo as a phone takes it: 2000 × 1200 JPEG carrying EXIF with a GPS position. */
async function phonePhoto(): Promise<Buffer> {
  return sharp({ create: { width: 2000, height: 1200, channels: 3, background: { r: 180, g: 20, b: 30 } } })
    .jpeg().withExif({ IFD0: { Make: 'TestPhone', Model: 'X' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '34/1 43/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '113/1 58/1 0/1' } }).toBuffer();
}

const BODY = `<p>开班仪式上，学员们认真听讲。<script>alert('x')</script></p><p onclick="steal()">第二段<a href="javascript:alert(1)">链接</a></p>`;

async function writeArticle(session: Session, orgId: number, extra: Record<string, unknown> = {}): Promise<Article> {
  const response = await call(t, session, {
    method: 'POST', url: '/api/news/articles',
    payload: {
      orgId, introTitle: '学习贯彻工会十八大精神', title: '县总工会举办工会干部培训班', subtitle: '三天课程覆盖全县基层工会', source: '职工之家',
      reporters: ['王晓明'], correspondents: ['李红'], photographers: ['赵刚'], editorInCharge: '陈静', channel: 'training', tags: ['培训'],
      summary: '县总工会举办为期三天的工会干部培训班。', bodyHtml: BODY, ...extra,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return json<Article>(response);
}

async function act(session: Session, article: Pick<Article, 'id' | 'version'>, body: Record<string, unknown>) {
  return call(t, session, { method: 'POST', url: `/api/news/articles/${article.id}/actions`, payload: { version: article.version, ...body } });
}

async function publish(article: Article): Promise<Article> {
  const submitted = await act(editor, article, { action: 'submit' });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const published = await act(chief, json<Article>(submitted), { action: 'publish' });
  expect(published.statusCode, published.body).toBe(200);
  return json<Article>(published);
}

beforeAll(async () => {
  t = await createTestApp();
  f = await makeFederation(t.pool);
  editor = await signIn(t, 'news.editor', f.countyA1);
  chief = await signIn(t, 'news.chief-editor', f.countyA1);
  siblingChief = await signIn(t, 'news.chief-editor', f.countyA2);
  provinceChief = await signIn(t, 'news.chief-editor', f.provinceA);
});
afterAll(async () => { await t.close(); });

describe('articles and their workflow', () => {
  it('stores the body sanitized, keeps the bylines, and versions every change', async () => {
    const article = await writeArticle(editor, f.countyA1.id);
    expect(article.status).toBe('draft');
    expect(article.bodyHtml).not.toMatch(/script|alert|onclick|javascript/);
    expect(article.bodyHtml).toContain('学员们认真听讲');
    expect(article).toMatchObject({ reporters: ['王晓明'], correspondents: ['李红'], photographers: ['赵刚'], editorInCharge: '陈静', introTitle: '学习贯彻工会十八大精神' });

    const changed = await call(t, editor, { method: 'PATCH', url: `/api/news/articles/${article.id}`, payload: { version: article.version, subtitle: '副题改过' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const stale = await call(t, editor, { method: 'PATCH', url: `/api/news/articles/${article.id}`, payload: { version: article.version, subtitle: '再改' } });
    expectProblem(stale, 409, 'body.version');
    const versions = json<ArticleVersion[]>(await call(t, editor, { url: `/api/news/articles/${article.id}/versions` }));
    expect(versions.map((v) => v.action)).toEqual(['update', 'create']);
  });

  it('lets only the owning organization\'s chief editor publish: an editor gets 403, another subtree 404', async () => {
    const article = await writeArticle(editor, f.countyA1.id);
    const submitted = json<Article>(await act(editor, article, { action: 'submit' }));
    expect(submitted.status).toBe('submitted');
    expectProblem(await act(editor, submitted, { action: 'publish' }), 403);
    expectProblem(await act(siblingChief, submitted, { action: 'publish' }), 404);
    expectProblem(await call(t, siblingChief, { url: `/api/news/articles/${article.id}` }), 404);
    // The chief editor returns it with a comment; the editor resubmits; a chief editor above publishes.
    const returned = json<Article>(await act(chief, submitted, { action: 'return', comment: '请补充图片说明' }));
    expect(returned).toMatchObject({ status: 'returned', returnComment: '请补充图片说明' });
    expectProblem(await act(chief, returned, { action: 'return', comment: 'x' }), 409, 'status');
    const again = json<Article>(await act(editor, returned, { action: 'submit' }));
    const published = await act(provinceChief, again, { action: 'publish' });
    expect(published.statusCode, published.body).toBe(200);
    expect(json<Article>(published)).toMatchObject({ status: 'published', url: expect.stringMatching(/^\/news\/org-\d+\/articles\/\d+$/) as unknown });
    const audit = await t.pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity = 'news_article' AND entity_id = $1 ORDER BY id`, [String(article.id)]);
    expect(audit.rows.map((r) => r.action)).toEqual(['create', 'submit', 'return', 'submit', 'publish']);
  });

  it('publishes at a set time through the durable job', async () => {
    const article = await writeArticle(editor, f.countyA1.id, { title: '定时发布的稿件' });
    const submitted = json<Article>(await act(editor, article, { action: 'submit' }));
    expectProblem(await act(chief, submitted, { action: 'publish', at: '2020-01-01T00:00:00+08:00' }), 400, 'body.at');
    const at = new Date(Date.now() + 1500).toISOString();
    const scheduled = json<Article>(await act(chief, submitted, { action: 'publish', at }));
    expect(scheduled.status).toBe('scheduled');
    const deadline = Date.now() + 15_000;
    let status = scheduled.status;
    while (status !== 'published' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = json<Article>(await call(t, chief, { url: `/api/news/articles/${article.id}` })).status;
    }
    expect(status).toBe('published');
  });
});

describe('reprints', () => {
  it('proposes a published article to the province\'s newsroom, bylines kept, and nowhere else', async () => {
    const article = await publish(await writeArticle(editor, f.countyA1.id, { title: '推荐给省总的稿件' }));
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.countyA2.id } }), 400, 'body.toOrgId');
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.countyA1.id } }), 400, 'body.toOrgId');
    // Only to a newsroom: the province runs none yet.
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.provinceA.id } }), 400, 'body.toOrgId');
    await openNewsroom(f.provinceA, provinceChief);
    const proposed = await call(t, editor, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.provinceA.id } });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const copy = json<Article>(await call(t, provinceChief, { url: `/api/news/articles/${json<{ id: number }>(proposed).id}` }));
    expect(copy).toMatchObject({ orgId: f.provinceA.id, status: 'submitted', reprintOf: article.id, reporters: ['王晓明'], photographers: ['赵刚'], source: '职工之家' });
    // The county's editor does not reach the province's newsroom.
    expectProblem(await call(t, editor, { url: `/api/news/articles/${copy.id}` }), 404);
    const published = await act(provinceChief, copy, { action: 'publish' });
    expect(json<Article>(published).url).toMatch(/^\/news\/room-[^/]+\/articles\/\d+$/);
  });

  /** Names the newsroom of `org` as its chief editor does (the newsroom exists from then on). */
  async function openNewsroom(org: { id: number }, session: Session) {
    const response = await call(t, session, { method: 'PUT', url: `/api/news/newsrooms/${org.id}`, payload: { slug: unique('room-').toLowerCase(), hotline: null, email: null } });
    expect(response.statusCode, response.body).toBe(200);
  }
  const targetsOf = (session: Session | null, id: number | string) => call(t, session, { url: `/api/news/articles/${id}/reprint-targets` });

  it('lists the newsrooms above an article\'s organization, nearest first, and nothing beside or below it', async () => {
    const rootChief = await signIn(t, 'news.chief-editor', f.root);
    for (const [org, session] of [[f.countyA1, chief], [f.provinceA, provinceChief], [f.root, rootChief], [f.countyA2, siblingChief]] as const) await openNewsroom(org, session);
    const article = await publish(await writeArticle(editor, f.unionA1.id, { title: '基层工会的稿件' }));
    const targets = json<ReprintTarget[]>(await targetsOf(editor, article.id));
    expect(targets.map((x) => x.orgId)).toEqual([f.countyA1.id, f.provinceA.id, f.root.id]);
    expect(targets[0]).toEqual({ orgId: f.countyA1.id, name: f.countyA1.name, slug: expect.stringMatching(/^room-/) as unknown, proposed: false });

    // Proposed once to the county: it says so, and a second proposal is refused naming the field.
    const proposed = await call(t, editor, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.countyA1.id } });
    expect(proposed.statusCode, proposed.body).toBe(201);
    expect(json<ReprintTarget[]>(await targetsOf(editor, article.id)).map((x) => x.proposed)).toEqual([true, false, false]);
    const again = expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.countyA1.id } }), 409, 'body.toOrgId');
    expect(again.errors).toEqual([expect.objectContaining({ field: 'body.toOrgId', code: 'news.reprint.proposed' })]);
    const copies = await t.pool.query('SELECT 1 FROM news_articles WHERE reprint_of = $1', [article.id]);
    expect(copies.rowCount).toBe(1);
  });

  it('answers an article outside the caller\'s subtree exactly as one that does not exist', async () => {
    const article = await writeArticle(editor, f.countyA1.id, { title: '别处看不到的稿件' });
    const hidden = expectProblem(await targetsOf(siblingChief, article.id), 404);
    const missing = expectProblem(await targetsOf(siblingChief, 987654321), 404);
    expect(hidden.detail.replace(String(article.id), '<id>')).toBe(missing.detail.replace('987654321', '<id>'));
    expectProblem(await targetsOf(null, article.id), 401);
    expectProblem(await targetsOf(editor, 'abc'), 400, 'params.id');
    // The sibling's chief cannot propose it either.
    expectProblem(await call(t, siblingChief, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.provinceA.id } }), 404);
  });

  it('lands the copy in the target newsroom, where its chief editor finds it with its source and bylines', async () => {
    const article = await publish(await writeArticle(editor, f.countyA1.id, { title: '省总编辑部看得到的转载稿' }));
    const proposed = await call(t, chief, { method: 'POST', url: `/api/news/articles/${article.id}/reprint`, payload: { toOrgId: f.provinceA.id } });
    expect(proposed.statusCode, proposed.body).toBe(201);
    const { id } = json<{ id: number }>(proposed);
    const list = json<{ items: ArticleSummary[] }>(await call(t, provinceChief, { url: `/api/news/articles?orgId=${f.provinceA.id}&status=submitted&pageSize=100` }));
    expect(list.items.find((x) => x.id === id)).toMatchObject({ orgId: f.provinceA.id, title: '省总编辑部看得到的转载稿', reprintOf: article.id, reprintFrom: f.countyA1.name });
    const copy = json<Article>(await call(t, provinceChief, { url: `/api/news/articles/${id}` }));
    expect(copy).toMatchObject({ status: 'submitted', reprintFrom: f.countyA1.name, reporters: ['王晓明'], correspondents: ['李红'], photographers: ['赵刚'], editorInCharge: '陈静', source: '职工之家' });
    const versions = json<ArticleVersion[]>(await call(t, provinceChief, { url: `/api/news/articles/${id}/versions` }));
    expect(versions).toEqual([expect.objectContaining({ action: 'create', status: 'submitted', comment: null })]);
    // The original is not a reprint.
    expect(json<Article>(await call(t, chief, { url: `/api/news/articles/${article.id}` }))).toMatchObject({ reprintOf: null, reprintFrom: null });
  });
});

describe('photos', () => {
  let image: NewsImage;

  it('resizes a photo once into the portal\'s widths, without its EXIF, and serves it for good', async () => {
    const response = await call(t, editor, { method: 'POST', url: `/api/news/images?orgId=${f.countyA1.id}`, ...multipart('photo.png', await phonePhoto()) });
    expect(response.statusCode, response.body).toBe(201);
    image = json<NewsImage>(response);
    expect(image.sizes.map((s) => s.width)).toEqual([480, 960, 1600]);
    const served = await t.app.inject({ url: image.sizes[2]!.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['cache-control']).toContain('immutable');
    const meta = await sharp(served.rawPayload).metadata();
    expect(meta.width).toBe(1600);
    expect(meta.exif).toBeUndefined();
  });

  it('keeps a photo in the body with its srcset and its caption as text', async () => {
    const body = `<figure><img src="${image.src}" onerror="x()"><figcaption>学员合影<script>bad()</script> <span class="credit">赵刚 摄</span></figcaption></figure><p><img src="https://evil.example/x.jpg"></p>`;
    const article = await writeArticle(editor, f.countyA1.id, { bodyHtml: body, coverImageId: image.id });
    expect(article.bodyHtml).toContain(`srcset="${image.srcset}"`);
    expect(article.bodyHtml).toContain('<figcaption>学员合影 <span class="credit">赵刚 摄</span></figcaption>');
    expect(article.bodyHtml).not.toMatch(/evil|onerror|bad\(\)/);
    // Without a cover of its own, an article takes its body's first photo.
    const uncovered = await writeArticle(editor, f.countyA1.id, { bodyHtml: body });
    expect(uncovered.coverImageId).toBe(image.id);
    // Another organization cannot use this photo.
    const other = await signIn(t, 'news.editor', f.countyA2);
    expectProblem(await call(t, other, { method: 'POST', url: '/api/news/articles', payload: { orgId: f.countyA2.id, title: 'x', channel: 'notices', coverImageId: image.id } }), 400, 'body.coverImageId');
  });

  it('refuses what is not an image whatever its name, and a photo over the limit, writing nothing', async () => {
    const before = (await t.pool.query('SELECT count(*)::int AS n FROM news_images')).rows[0] as { n: number };
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/images?orgId=${f.countyA1.id}`, ...multipart('photo.jpg', Buffer.from('%PDF-1.4 not a photo at all'), 'image/jpeg') }), 415, 'body.file');
    const huge = Buffer.alloc(50 * 1024 * 1024, 0);
    const jpegStart = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } }).jpeg().toBuffer();
    jpegStart.copy(huge);
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/images?orgId=${f.countyA1.id}`, ...multipart('big.jpg', huge, 'image/jpeg') }), 413, 'body.file');
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/images?orgId=${f.countyA2.id}`, ...multipart('photo.jpg', jpegStart) }), 400, 'querystring.orgId');
    const after = (await t.pool.query('SELECT count(*)::int AS n FROM news_images')).rows[0] as { n: number };
    expect(after.n).toBe(before.n);
  });
});

describe('the portal and its feeds', () => {
  it('shows a published article with its byline, announces and serves valid RSS 2.0 and Atom feeds, and drops it when withdrawn', async () => {
    const article = await publish(await writeArticle(editor, f.countyA1.id, { title: '门户上的稿件' }));
    const slug = article.url!.split('/')[2]!;
    const home = await t.app.inject({ url: `/news/${slug}/` });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('门户上的稿件');
    expect(home.body).toContain(`<link rel="alternate" type="application/rss+xml"`);
    const pageResponse = await t.app.inject({ url: article.url! });
    expect(pageResponse.statusCode).toBe(200);
    expect(pageResponse.body).toContain('记者：王晓明');
    expect(pageResponse.body).toContain('责任编辑：陈静');
    expect(pageResponse.body).toContain('<meta property="og:title" content="门户上的稿件">');
    expect(pageResponse.body).not.toContain('<script');

    const parser = new XMLParser({ ignoreAttributes: false });
    const rss = await t.app.inject({ url: `/news/${slug}/feed.rss` });
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    expect(XMLValidator.validate(rss.body)).toBe(true);
    const channel = (parser.parse(rss.body) as { rss: { '@_version': string; channel: { item: Array<{ title: string }> | { title: string } } } }).rss;
    expect(channel['@_version']).toBe('2.0');
    expect([channel.channel.item].flat().map((i) => i.title)).toContain('门户上的稿件');
    // Read back by a feed reader's parser: it recognizes the format and finds the article.
    const rssRead = parseFeed(rss.body);
    expect(rssRead.meta).toMatchObject({ type: 'rss', version: '2.0' });
    expect(rssRead.items.map((item) => item.title)).toContain('门户上的稿件');
    const atom = await t.app.inject({ url: `/news/${slug}/training/feed.atom` });
    const atomRead = parseFeed(atom.body);
    expect(atomRead.meta.type).toBe('atom');
    expect(atomRead.items.find((item) => item.title === '门户上的稿件')?.url).toContain(article.url!);
    type Text = string | { '#text': string };
    const feed = (parser.parse(atom.body) as { feed: { '@_xmlns': string; entry: Array<{ title: Text }> | { title: Text } } }).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect([feed.entry].flat().map((e) => (typeof e.title === 'string' ? e.title : e.title['#text']))).toContain('门户上的稿件');

    const search = await t.app.inject({ url: `/news/search?q=${encodeURIComponent('门户上')}` });
    expect(search.body).toContain('门户上的稿件');
    expect((await t.app.inject({ url: '/news/sitemap.xml' })).body).toContain(article.url!);

    expect((await act(chief, article, { action: 'withdraw', comment: '内容有误' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: article.url! })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/news/${slug}/feed.rss` })).body).not.toContain('门户上的稿件');
  });
});

describe('reports of harmful content', () => {
  it('takes a report from the form, throttles an address, and lets the newsroom answer it', async () => {
    const article = await publish(await writeArticle(editor, f.countyA1.id, { title: '被举报的稿件' }));
    const post = (description: string, remoteAddress = '203.0.113.9') => t.app.inject({
      method: 'POST', url: `${article.url!}/report`, remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ reason: 'false', description, contact: '13800000000' }).toString(),
    });
    const first = await post('<b>与事实不符</b>');
    expect(first.statusCode, first.body).toBe(303);
    expect((await post('')).statusCode).toBe(400);
    for (let i = 0; i < 4; i++) expect((await post(`第 ${i} 次`)).statusCode).toBe(303);
    expect((await post('太多了')).statusCode).toBe(429);
    expect((await post('另一个地址', '203.0.113.10')).statusCode).toBe(303);

    const reports = json<{ items: Report[] }>(await call(t, editor, { url: `/api/news/reports?orgId=${f.countyA1.id}&status=open` }));
    const report = reports.items.find((r) => r.description === '<b>与事实不符</b>')!;
    expect(report).toMatchObject({ reason: 'false', status: 'open', articleTitle: '被举报的稿件' });
    expectProblem(await call(t, siblingChief, { method: 'POST', url: `/api/news/reports/${report.id}/answer`, payload: { answer: 'x' } }), 404);
    const answered = await call(t, editor, { method: 'POST', url: `/api/news/reports/${report.id}/answer`, payload: { answer: '已核实并更正', close: true } });
    expect(json<Report>(answered)).toMatchObject({ status: 'closed', answer: '已核实并更正' });
    expectProblem(await call(t, editor, { method: 'POST', url: `/api/news/reports/${report.id}/answer`, payload: { answer: '再答' } }), 409, 'status');

    // A day later the unanswered ones show on the home page.
    await t.pool.query(`UPDATE news_reports SET created_at = now() - interval '25 hours' WHERE status = 'open'`);
    const cards = json<Workbench>(await call(t, chief, { url: '/api/workbench' })).cards;
    expect(cards.find((c) => c.id === 'news.reportsUnanswered')!.count).toBe(5);
  });
});

describe('the report form in a browser', () => {
  it('is served with a referrer policy under which a browser names the page origin when it posts', async () => {
    const response = await t.app.inject({ url: '/news/' });
    expect(response.headers['referrer-policy']).toBe('same-origin');
  });
});
