import { NEWS_TIME_ZONE, type NewsChannel } from '@workers-home/contract';
import { imageAttributes } from './body.ts';
import type { Newsroom } from './newsrooms.ts';
import type { Neighbour, PublishedArticle } from './portal-data.ts';

/** The portal's pages, rendered on the server in Chinese: readable without any script. */

export const CHANNEL_NAMES: Record<NewsChannel, string> = {
  'union-news': '工会要闻', training: '教育培训', campaigns: '学习宣传', services: '服务职工', grassroots: '基层动态', notices: '通知公告',
};
const REASONS: Array<[string, string]> = [['illegal', '违法信息'], ['false', '虚假信息'], ['infringing', '侵权信息'], ['other', '其他有害信息']];
/** The federation-wide hotline and address for reports, shown where a newsroom names none of its own. */
export const DEFAULT_HOTLINE = '010-12388';
export const DEFAULT_REPORT_EMAIL = 'jubao@workers-home.example';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const CHINA = new Intl.DateTimeFormat('zh-CN', { timeZone: NEWS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
/** 2024-06-14 09:30, China time. */
export function chinaTime(at: Date): string {
  const p = Object.fromEntries(CHINA.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.75 -apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#222;background:#f6f6f6}
a{color:#a40000;text-decoration:none}a:hover{text-decoration:underline}
header.site{background:#b3000c;color:#fff;padding:10px 16px}header.site a{color:#fff}header.site .brand{font-size:20px;font-weight:700}
header.site nav{font-size:14px;margin-top:4px;display:flex;flex-wrap:wrap;gap:4px 14px}
main{max-width:760px;margin:0 auto;padding:12px 16px;background:#fff;min-height:60vh}
form.search{display:flex;gap:6px;margin:8px 0}form.search input{flex:1;min-width:0;padding:6px 8px;font-size:16px}
ul.list{list-style:none;padding:0;margin:0}ul.list li{padding:12px 0;border-bottom:1px solid #eee;display:flex;gap:10px}
ul.list img{width:112px;height:74px;object-fit:cover;flex:none}ul.list h2{font-size:17px;margin:0 0 4px;line-height:1.4}ul.list p{margin:0;color:#666;font-size:14px}
.meta{color:#888;font-size:13px}.intro,.subtitle{color:#555;margin:0;font-size:15px}
article h1{font-size:24px;line-height:1.35;margin:6px 0}.byline{color:#555;font-size:14px;border-top:1px solid #eee;border-bottom:1px solid #eee;padding:6px 0;margin:10px 0}
.byline span{margin-right:12px;display:inline-block}
.body img{max-width:100%;height:auto;display:block;margin:0 auto}.body figure{margin:16px 0}.body figcaption{font-size:14px;color:#555;text-align:center;margin-top:4px}
.body .credit{color:#888}
.editor{text-align:right;color:#666;font-size:14px}
.pager{display:flex;justify-content:space-between;margin:16px 0;font-size:14px}
.neighbours{font-size:14px;border-top:1px solid #eee;margin-top:16px;padding-top:8px}
details.report{margin:20px 0;font-size:14px}details.report form{display:grid;gap:8px;margin-top:8px}
details.report textarea,details.report input,details.report select{font:inherit;padding:6px;width:100%}
button{font:inherit;padding:6px 14px;background:#b3000c;color:#fff;border:0;border-radius:3px}
.notice{background:#fff7e6;border:1px solid #ffd591;padding:8px;margin:8px 0}
footer.site{max-width:760px;margin:0 auto;padding:12px 16px;font-size:13px;color:#666}
@media (min-width:800px){main{margin-top:12px}}
`;

export interface PageShell {
  title: string;
  description: string;
  /** The page's own address (absolute), for Open Graph. */
  url: string;
  origin: string;
  newsroom?: Newsroom;
  /** Feeds announced in the head: [title, rss address, atom address]. */
  feeds: Array<[string, string, string]>;
  image?: string;
  type?: 'website' | 'article';
  body: string;
}

function footer(newsroom?: Newsroom) {
  const hotline = newsroom?.hotline ?? DEFAULT_HOTLINE;
  const email = newsroom?.email ?? DEFAULT_REPORT_EMAIL;
  return `<footer class="site"><p>${escape(newsroom?.name ?? '职工之家新闻')} · 违法和不良信息举报电话：${escape(hotline)} · 举报邮箱：<a href="mailto:${escape(email)}">${escape(email)}</a></p>
<p>所有时间均为北京时间。<a href="/news/">新闻首页</a></p></footer>`;
}

export function page(shell: PageShell): string {
  const home = shell.newsroom ? `/news/${shell.newsroom.slug}/` : '/news/';
  const channels = (Object.keys(CHANNEL_NAMES) as NewsChannel[])
    .map((c) => `<a href="${home}${c}/">${CHANNEL_NAMES[c]}</a>`).join('');
  const feeds = shell.feeds.map(([title, rss, atom]) =>
    `<link rel="alternate" type="application/rss+xml" title="${escape(title)} (RSS)" href="${escape(rss)}"><link rel="alternate" type="application/atom+xml" title="${escape(title)} (Atom)" href="${escape(atom)}">`).join('');
  const image = shell.image ? `<meta property="og:image" content="${escape(shell.origin + shell.image)}">` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(shell.title)}</title><meta name="description" content="${escape(shell.description)}">
<meta property="og:type" content="${shell.type ?? 'website'}"><meta property="og:title" content="${escape(shell.title)}"><meta property="og:description" content="${escape(shell.description)}">
<meta property="og:url" content="${escape(shell.url)}"><meta property="og:site_name" content="${escape(shell.newsroom?.name ?? '职工之家新闻')}"><meta property="og:locale" content="zh_CN">${image}
<link rel="canonical" href="${escape(shell.url)}">${feeds}<style>${STYLE}</style></head>
<body><header class="site"><a class="brand" href="${home}">${escape(shell.newsroom?.name ?? '职工之家')} · 新闻</a><nav>${channels}<a href="/news/search">搜索</a></nav></header>
<main>${shell.body}</main>${footer(shell.newsroom)}</body></html>`;
}

const articleUrl = (a: { slug: string; id: number }) => `/news/${a.slug}/articles/${a.id}`;

export function articleList(items: Array<Omit<PublishedArticle, 'bodyHtml'>>, showOrg: boolean): string {
  if (!items.length) return '<p class="meta">暂无稿件。</p>';
  return `<ul class="list">${items.map((a) => {
    const cover = a.cover ? (() => {
      const img = imageAttributes(a.cover);
      return `<img src="${img.src}" srcset="${img.srcset}" sizes="112px" alt="" loading="lazy">`;
    })() : '';
    return `<li>${cover}<div>${a.introTitle ? `<p class="intro">${escape(a.introTitle)}</p>` : ''}<h2><a href="${articleUrl(a)}">${escape(a.title)}</a></h2>
<p>${escape(a.summary ?? '')}</p><p class="meta">${showOrg ? `${escape(a.orgName)} · ` : ''}${chinaTime(a.publishedAt)}</p></div></li>`;
  }).join('')}</ul>`;
}

export function pager(base: string, pageNumber: number, total: number, size: number, extra = ''): string {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages === 1) return '';
  const link = (n: number, text: string) => `<a href="${base}?page=${n}${extra}">${text}</a>`;
  return `<nav class="pager" aria-label="分页"><span>${pageNumber > 1 ? link(pageNumber - 1, '← 上一页') : ''}</span><span>第 ${pageNumber} / ${pages} 页</span><span>${pageNumber < pages ? link(pageNumber + 1, '下一页 →') : ''}</span></nav>`;
}

export function searchForm(q = ''): string {
  return `<form class="search" action="/news/search" method="get" role="search"><input type="search" name="q" value="${escape(q)}" placeholder="搜索新闻" aria-label="搜索新闻" maxlength="50"><button type="submit">搜索</button></form>`;
}

const names = (label: string, list: string[]) => (list.length ? `<span>${label}：${list.map(escape).join(' ')}</span>` : '');

export function articleBody(a: PublishedArticle, around: { previous?: Neighbour; next?: Neighbour; related: Neighbour[] }, notice: string): string {
  const byline = [
    a.source ? `<span>来源：${escape(a.source)}</span>` : '',
    `<span>${chinaTime(a.publishedAt)}</span>`,
    names('记者', a.reporters), names('通讯员', a.correspondents), names('摄影', a.photographers),
  ].join('');
  const link = (n: Neighbour | undefined, label: string) => (n ? `<p>${label}：<a href="${articleUrl(n)}">${escape(n.title)}</a></p>` : '');
  const related = around.related.length ? `<h3>相关新闻</h3><ul>${around.related.map((r) => `<li><a href="${articleUrl(r)}">${escape(r.title)}</a></li>`).join('')}</ul>` : '';
  const reasons = REASONS.map(([value, label]) => `<option value="${value}">${label}</option>`).join('');
  return `<article>${a.introTitle ? `<p class="intro">${escape(a.introTitle)}</p>` : ''}<h1>${escape(a.title)}</h1>${a.subtitle ? `<p class="subtitle">——${escape(a.subtitle)}</p>` : ''}
<div class="byline">${byline}</div>${notice}<div class="body">${a.bodyHtml}</div>
${a.editorInCharge ? `<p class="editor">责任编辑：${escape(a.editorInCharge)}</p>` : ''}
${a.tags.length ? `<p class="meta">标签：${a.tags.map(escape).join('、')}</p>` : ''}</article>
<div class="neighbours">${link(around.previous, '上一篇')}${link(around.next, '下一篇')}${related}</div>
<details class="report" id="report"><summary>举报有害信息</summary>
<form method="post" action="${articleUrl(a)}/report">
<label>举报类型 <select name="reason" required>${reasons}</select></label>
<label>举报内容 <textarea name="description" rows="4" maxlength="2000" required></textarea></label>
<label>联系方式（选填） <input name="contact" maxlength="100" autocomplete="off"></label>
<button type="submit">提交举报</button></form></details>`;
}
