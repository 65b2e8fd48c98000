import sharp from 'sharp';
import type { Client } from '../db/pool.ts';
import type { FileStore } from '../files/file-store.ts';
import { cleanBody } from '../modules/news/body.ts';
import { storePhoto } from '../modules/news/images.ts';
import { recordAudit } from '../modules/audit/service.ts';
import type { NewsImage } from '@workers-home/contract';

/**
 * The demo's newsrooms (全总, 内蒙古, 上海, 中牟) with articles written for the demo about the
 * seeds' events, in every workflow state, photos drawn here (credited as generated), and one
 * report from the public waiting more than a day. Uses no random draws: the rest of the demo
 * federation is the same with or without it.
 */

interface DemoOrgRef { id: number; path: string }

/** A picture drawn from SVG: a stage with a banner, rows of seats, a speaker (no text: no fonts needed). */
function sceneSvg(hue: number, variant: number): string {
  const rows = Array.from({ length: 5 }, (_, r) => Array.from({ length: 12 }, (_, c) =>
    `<circle cx="${70 + c * 100 + (r % 2) * 50}" cy="${560 + r * 55}" r="${18 + r * 2}" fill="hsl(${(hue + 20 * r) % 360},25%,${25 + r * 5}%)"/>`).join('')).join('');
  const flags = Array.from({ length: 6 }, (_, i) => `<rect x="${120 + i * 190}" y="70" width="90" height="60" fill="hsl(${hue},85%,${45 + (i % 2) * 8}%)"/>`).join('');
  const podium = variant % 2 === 0
    ? '<rect x="560" y="300" width="120" height="140" fill="#7a4a21"/><circle cx="620" cy="260" r="32" fill="#f1c9a5"/><rect x="590" y="290" width="60" height="30" fill="#223"/>'
    : '<rect x="360" y="310" width="520" height="60" fill="#eee"/><rect x="360" y="370" width="520" height="70" fill="#9b1c1c"/>';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="853" viewBox="0 0 1280 853">
<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,92%)"/><stop offset="1" stop-color="hsl(${hue},30%,70%)"/></linearGradient></defs>
<rect width="1280" height="853" fill="url(#g)"/><rect x="100" y="150" width="1080" height="120" fill="hsl(${hue},80%,38%)"/>
<rect x="160" y="185" width="960" height="50" fill="hsl(${hue},70%,55%)" opacity="0.6"/>${flags}${podium}${rows}</svg>`;
}

async function drawPhoto(hue: number, variant: number): Promise<Buffer> {
  return sharp(Buffer.from(sceneSvg(hue, variant))).jpeg({ quality: 85 }).toBuffer();
}

const figure = (image: NewsImage, caption: string, credit: string) =>
  `<figure><img src="${image.src}" alt="${caption}"><figcaption>${caption} <span class="credit">${credit}</span></figcaption></figure>`;

interface DemoArticle {
  org: string;
  status: 'draft' | 'submitted' | 'returned' | 'published' | 'withdrawn';
  channel: string;
  introTitle?: string;
  title: string;
  subtitle?: string;
  reporters: string[];
  correspondents?: string[];
  photographers?: string[];
  editor: string;
  publishedAt?: string;
  summary: string;
  paragraphs: string[];
  photo?: { hue: number; caption: string };
  returnComment?: string;
  tags: string[];
}

const CREDIT = '演示图片（程序绘制）';

const ARTICLES: DemoArticle[] = [
  {
    org: 'acftu', status: 'published', channel: 'training', introTitle: '全总2024年度干部教育培训计划', title: '新任省级工会领导班子成员专题培训班在京开班',
    subtitle: '现场学员与线上学员同步学习', reporters: ['周文博'], photographers: ['孙立'], editor: '韩雪', publishedAt: '2024-05-20T17:30:00+08:00',
    summary: '全总组织部举办的专题培训班5月20日开班，为期五天，各地工会领导班子其他成员通过全国工会干部教育培训网在线参加。',
    paragraphs: [
      '5月20日，全总组织部主办的新任省级工会领导班子成员专题培训班在北京开班。来自各省（区、市）总工会、新疆生产建设兵团总工会、全国产业工会和中央和国家机关工会联合会的新任领导班子成员在现场参加学习。',
      '培训期间安排了辅导报告、专题讲座、政策解读和现场教学，讲题涵盖贯彻落实工会十八大精神、新就业形态劳动者权益维护、基层工会建设以及工会数字化智能化建设等内容。',
      '各地省、市、县级工会领导班子其他成员通过全国工会干部教育培训网同步收看直播，并可在培训结束后继续学习配套网络课程。',
    ],
    photo: { hue: 0, caption: '开班仪式现场。' }, tags: ['干部培训', '工会十八大'],
  },
  {
    org: 'acftu', status: 'submitted', channel: 'training', title: '专题培训班结业 学员交流学习体会', reporters: ['周文博'], editor: '韩雪',
    summary: '五天的专题培训班5月24日结业，学员代表交流了学习体会。',
    paragraphs: ['5月24日，新任省级工会领导班子成员专题培训班举行结业仪式。学员代表结合本地实际交流了学习体会，表示要把所学转化为推动工会工作的实际举措。'],
    tags: ['干部培训'],
  },
  {
    org: 'inner-mongolia', status: 'published', channel: 'training', introTitle: '学习贯彻中国工会十八大精神', title: '自治区总工会处级干部培训班在中国劳动关系学院开班',
    reporters: ['巴特尔'], correspondents: ['王丽娜'], photographers: ['高峰'], editor: '其木格', publishedAt: '2023-11-05T18:00:00+08:00',
    summary: '培训班11月5日开班，为期四天，采取专题教学、现场教学和交流研讨相结合的方式。',
    paragraphs: [
      '11月5日，内蒙古自治区总工会学习贯彻中国工会十八大精神处级干部培训班在中国劳动关系学院开班。开班仪式上作了动员讲话，对学员提出严守学习纪律、强化学员意识、圆满完成培训任务的要求。',
      '培训为期四天，安排专题教学、现场教学和交流研讨，帮助全区工会处级干部深入理解大会精神。',
    ],
    photo: { hue: 210, caption: '学员在开班仪式上认真听讲。' }, tags: ['干部培训'],
  },
  {
    org: 'inner-mongolia', status: 'published', channel: 'union-news', title: '沿边盟市和口岸工会工作推进会在呼伦贝尔召开',
    subtitle: '七家单位作交流发言 与会人员实地观摩三个口岸', reporters: ['巴特尔', '乌日娜'], photographers: ['高峰'], editor: '其木格', publishedAt: '2024-06-14T19:20:00+08:00',
    summary: '6月13日至14日，推进会在呼伦贝尔召开，呼伦贝尔、锡林郭勒、巴彦淖尔、满洲里、阿尔山、二连浩特口岸和策克口岸经济开发区工会作交流发言。',
    paragraphs: [
      '6月13日至14日，全区沿边盟市和口岸工会工作推进会在呼伦贝尔市召开。会上，七家单位围绕劳动和技能竞赛、“暖心工程”、会员管理、职工之家建设和智慧工会建设作交流发言。',
      '与会人员实地观摩了三个口岸的工会工作，了解防沙治沙、风电光伏等重点工程劳动竞赛的开展情况。',
    ],
    photo: { hue: 140, caption: '与会人员在口岸实地观摩。' }, tags: ['口岸工会', '劳动竞赛'],
  },
  {
    org: 'inner-mongolia', status: 'draft', channel: 'grassroots', title: '二连浩特口岸工会为一线职工送清凉', reporters: ['乌日娜'], editor: '其木格',
    summary: '口岸工会走访一线岗位，为职工送去防暑用品。', paragraphs: ['（草稿）口岸工会走访查验一线岗位，为职工送去防暑降温用品。'], tags: ['暖心工程'],
  },
  {
    org: 'shanghai', status: 'published', channel: 'training', introTitle: '学习贯彻中国工会十八大精神', title: '上海工会系统专题培训班开班',
    reporters: ['陆佳'], correspondents: ['沈伟'], photographers: ['顾明'], editor: '徐静', publishedAt: '2023-10-19T16:45:00+08:00',
    summary: '为期两天的培训班10月19日开班，市总工会党组书记作第一讲，两百余名学员参加。',
    paragraphs: [
      '10月19日，上海工会系统学习贯彻中国工会十八大精神专题培训班开班。市总工会党组书记以开班动员作第一讲。',
      '市总工会第十五届委员会委员、区局产业工会主席、党组书记、机关部门和直属单位负责人等两百余人参加培训。培训还安排了《工会法》和上海市相关条例的解读和交流研讨。',
    ],
    photo: { hue: 25, caption: '培训班开班现场。' }, tags: ['干部培训'],
  },
  {
    org: 'shanghai', status: 'returned', channel: 'services', title: '本市职工服务阵地建设情况综述', reporters: ['陆佳'], editor: '徐静',
    summary: '综述本市职工服务阵地的建设进展。', paragraphs: ['本市各级工会持续推进职工服务阵地建设……'],
    returnComment: '请补充具体数据和采访对象，并核实来源。', tags: ['服务职工'],
  },
  {
    org: 'zhongmou', status: 'published', channel: 'campaigns', title: '中牟县总工会召开专题学习会 掀起学习宣传热潮',
    reporters: ['张磊'], correspondents: ['刘洋'], photographers: ['李娜'], editor: '王敏', publishedAt: '2023-10-25T20:10:00+08:00',
    summary: '县总工会召开专题学习会，随后组织全体干部学习，并通过微信公众号和门户网站开展宣传。',
    paragraphs: [
      '10月25日，中牟县总工会召开专题学习会，随后组织全体工会干部集中学习。',
      '县总工会通过微信公众号和门户网站开展宣传，组织劳模宣讲团和志愿服务队走进企业，在职工服务大厅设置展板、悬挂横幅、发放资料并开展现场咨询。',
      '县总工会把基层组织建设纳入年终考核，实行“一票否决”，力争单项工作争第一、综合考核进前三。',
    ],
    photo: { hue: 350, caption: '职工服务大厅现场咨询。' }, tags: ['学习宣传'],
  },
  {
    org: 'zhongmou', status: 'published', channel: 'services', title: '“惠工保”住院医疗互助开始参保', subtitle: '全县企事业单位在职职工均可参加',
    reporters: ['张磊'], photographers: ['李娜'], editor: '王敏', publishedAt: '2023-11-02T09:00:00+08:00',
    summary: '县总工会动员全县企事业单位组织在职职工参加“惠工保”住院医疗互助。',
    paragraphs: ['县总工会近日动员全县企业和事业单位组织在职职工参加“惠工保”住院医疗互助。参保职工住院治疗可按规定获得互助金。各基层工会可在职工之家平台为会员集中办理参保。'],
    photo: { hue: 45, caption: '基层工会干部为职工讲解参保办法。' }, tags: ['惠工保', '医疗互助'],
  },
  {
    org: 'zhongmou', status: 'withdrawn', channel: 'notices', title: '关于职工服务大厅临时调整开放时间的通知', reporters: ['刘洋'], editor: '王敏', publishedAt: '2023-12-01T10:00:00+08:00',
    summary: '职工服务大厅开放时间临时调整。', paragraphs: ['因设备检修，职工服务大厅开放时间临时调整。（该通知已过期撤下）'], tags: ['通知'],
  },
];

const NEWSROOMS: Array<{ key: string; slug: string; email: string }> = [
  { key: 'acftu', slug: 'acftu', email: 'news@acftu.example' },
  { key: 'inner-mongolia', slug: 'nmg', email: 'news@nmg.example' },
  { key: 'shanghai', slug: 'shanghai', email: 'news@shanghai.example' },
  { key: 'zhongmou', slug: 'zhongmou', email: 'news@zhongmou.example' },
];

/** News accounts of the demo (their password is the demo password): an editor and a chief editor of Zhongmou. */
export const NEWS_DEMO_ACCOUNTS = [
  { username: 'zhongmou.editor', displayName: '中牟县总工会新闻编辑', roles: ['news.editor', 'orgs.reader'], orgKey: 'zhongmou', role: 'news.editor' },
  { username: 'zhongmou.chief', displayName: '中牟县总工会责任编辑', roles: ['news.chief-editor', 'orgs.reader'], orgKey: 'zhongmou', role: 'news.chief-editor' },
] as const;

export async function seedNews(db: Client, orgs: Map<string, DemoOrgRef>, passwordHash: string, password: string, files?: FileStore) {
  for (const room of NEWSROOMS) {
    await db.query('INSERT INTO news_newsrooms (org_id, slug, email) VALUES ($1, $2, $3)', [orgs.get(room.key)!.id, room.slug, room.email]);
  }
  const accounts: Array<{ username: string; password: string; role: string; org: string }> = [];
  for (const demo of NEWS_DEMO_ACCOUNTS) {
    const org = orgs.get(demo.orgKey)!;
    const account = await db.query<{ id: number }>('INSERT INTO accounts (username, display_name, password_hash) VALUES ($1, $2, $3) RETURNING id', [demo.username, demo.displayName, passwordHash]);
    await db.query('INSERT INTO role_grants (account_id, role, org_id) SELECT $1, unnest($2::text[]), $3', [account.rows[0]!.id, demo.roles, org.id]);
    accounts.push({ username: demo.username, password, role: demo.role, org: demo.orgKey });
  }

  let reported: number | null = null;
  for (const [n, a] of ARTICLES.entries()) {
    const org = orgs.get(a.org)!;
    let photo = '';
    let cover: number | null = null;
    if (a.photo && files) {
      const image = await storePhoto(db, files, null, org, await drawPhoto(a.photo.hue, n));
      photo = figure(image, a.photo.caption, `${a.photographers?.[0] ?? ''} 摄（${CREDIT}）`);
      cover = image.id;
    }
    const paragraphs = a.paragraphs.map((p) => `<p>${p}</p>`);
    const body = await cleanBody(db, org.id, [paragraphs[0], photo, ...paragraphs.slice(1)].join(''));
    const inserted = await db.query<{ id: number }>(
      `INSERT INTO news_articles (org_id, status, intro_title, title, subtitle, source, reporters, correspondents, photographers, editor_in_charge, channel, tags,
         summary, body_html, plain_text, cover_image_id, published_at, return_comment, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, '职工之家', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, coalesce($16, now()), coalesce($16, now()))
       RETURNING id`,
      [org.id, a.status, a.introTitle ?? null, a.title, a.subtitle ?? null, a.reporters, a.correspondents ?? [], a.photographers ?? [], a.editor, a.channel, a.tags,
        a.summary, body.html, body.text, cover, a.publishedAt ?? null, a.returnComment ?? null],
    );
    const id = inserted.rows[0]!.id;
    const steps = { draft: ['create'], submitted: ['create', 'submit'], returned: ['create', 'submit', 'return'], published: ['create', 'submit', 'publish'], withdrawn: ['create', 'submit', 'publish', 'withdraw'] }[a.status];
    const state: Record<string, string> = { create: 'draft', submit: 'submitted', return: 'returned', publish: 'published', withdraw: 'withdrawn' };
    for (const [i, action] of steps.entries()) {
      await db.query(
        `INSERT INTO news_article_versions (article_id, version, action, status, comment, snapshot) VALUES ($1, $2, $3, $4, $5, jsonb_build_object('title', $6::text, 'bodyHtml', $7::text))`,
        [id, i + 1, action, state[action], action === 'return' ? a.returnComment ?? null : null, a.title, body.html]);
    }
    await db.query('UPDATE news_articles SET version = $2 WHERE id = $1', [id, steps.length]);
    await recordAudit(db, null, { action: 'seed-demo', entity: 'news_article', entityId: id, orgPath: org.path, after: { status: a.status } });
    if (a.org === 'inner-mongolia' && a.status === 'published' && a.photo?.hue === 140) reported = id;
  }
  // A reader's report on the Hulunbuir article, unanswered for two days: it shows on the home page.
  await db.query(
    `INSERT INTO news_reports (article_id, org_id, reason, description, contact, address_hash, created_at)
     VALUES ($1, $2, 'false', '文中观摩口岸的数量与现场情况不符，请核实。', NULL, '\\x00', now() - interval '2 days')`,
    [reported, orgs.get('inner-mongolia')!.id]);
  return accounts;
}
