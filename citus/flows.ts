// The API's end-to-end flows, over HTTP only, recording what their users see: run against a
// freshly seeded demo federation on one node and on a Citus cluster, the answers must be equal.
// Answers are normalized for that: names, counts and statuses, no timestamps, no database ids
// (a cluster hands out ids in its own order).
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import {
  nationalIdCheckCharacter,
  type Attendance, type CertificateJob, type Enrolment, type EnrolmentImportReport, type ImportJob, type ImportReject, type MemberRow, type Org,
  type SubtreeFigures, type TrainingClass, type TrainingSession, type TransferRequest,
} from '@workers-home/contract';
import { writeImportCsv } from '../bench/import-files.ts';
import { ApiUser } from './api-client.ts';

export interface FlowOptions {
  importRows: number;
  log?: (line: string) => void;
}

export type FlowAnswers = Record<string, unknown>;

interface Page<T> {
  items: T[];
  total: number;
  totalAtLeast?: boolean;
}

// The demo federation's organizations the flows work in (server/src/demo/federation.ts).
const ORGS = {
  root: '中华全国总工会', henan: '河南省总工会', zhengzhou: '郑州市总工会', zhongmou: '中牟县总工会', xinzheng: '新郑市总工会',
  manzhouli: '满洲里市总工会', pudong: '浦东新区总工会',
};
const SHANGHAI_CLASS = '上海工会学习贯彻中国工会十八大精神培训班';
const MISSING_ID = 2_000_000_000;
const TRANSFER_DATE = '2026-11-30';
/** Trainees enrolled from the imported roster (at most; a small import gives fewer). */
const TRAINEES = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a background job until it ends; one that has not ended in 10 minutes fails the flow with its last state. */
async function untilEnded<T extends { status: string }>(read: () => Promise<T>, ended: string[]): Promise<T> {
  const deadline = Date.now() + 600_000;
  let job = await read();
  while (!ended.includes(job.status)) {
    if (Date.now() > deadline) throw new Error(`a job has not ended in 10 minutes: ${JSON.stringify(job)}`);
    await sleep(250);
    job = await read();
  }
  return job;
}
const query = (params: Record<string, string | number | boolean | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString();

/** What a user sees of an organization, without its ids. */
const orgSeen = ({ name, shortName, level, kind, regionCode, status, depth, childCount }: Org) => ({ name, shortName, level, kind, regionCode, status, depth, childCount });
const memberSeen = ({ name, gender, birthDate, idNumberMasked, phone, employer, orgName, status, joinedOn }: MemberRow) =>
  ({ name, gender, birthDate, idNumberMasked, phone, employer, orgName, status, joinedOn });
/** What a refused request answers: its status and problem code. */
async function refusal(user: ApiUser, method: string, path: string, body?: unknown) {
  const answer = await user.call(method, path, { body });
  return { status: answer.status, code: (answer.body as { code?: string } | undefined)?.code };
}
const listSeen = (page: Page<MemberRow>) => ({ total: page.total, totalAtLeast: page.totalAtLeast ?? false, rows: page.items.map(memberSeen) });
const transferSeen = ({ status, personName, idNumberMasked, fromOrgName, toOrgName, date, note, requestedBy, decidedBy, reason }: TransferRequest) =>
  ({ status, personName, idNumberMasked, fromOrgName, toOrgName, date, note, requestedBy, decidedBy, reason });

export async function runFlows(baseUrl: string, options: FlowOptions): Promise<FlowAnswers> {
  const log = options.log ?? (() => undefined);
  const answers: FlowAnswers = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const answer = await work();
    answers[name] = answer;
    log(`  ${name}: ${Math.round(performance.now() - started)} ms`);
    return answer;
  };

  // Sign-in and scope ------------------------------------------------------------------------
  const national = await ApiUser.signIn(baseUrl, 'admin');
  const county = await ApiUser.signIn(baseUrl, 'zhongmou.admin');
  const orgId = async (name: string) => {
    const page = await national.get<Page<Org>>(`/orgs?${query({ q: name, pageSize: 50 })}`);
    const org = page.items.find((o) => o.name === name);
    if (!org) throw new Error(`no organization named ${name}`);
    return org.id;
  };
  const ids = {} as Record<keyof typeof ORGS, number>;
  for (const [key, name] of Object.entries(ORGS)) ids[key as keyof typeof ORGS] = await orgId(name);
  const figures = async (id: number) => {
    const { members, unionsByLevel, training, services } = await national.get<SubtreeFigures>(`/orgs/${id}/figures`);
    return { members, unionsByLevel, training, services };
  };

  await step('scope', async () => {
    const shanghaiMember = (await national.get<Page<MemberRow>>(`/members?${query({ orgId: ids.pudong, pageSize: 1 })}`)).items[0]!;
    const shanghaiClass = (await national.get<Page<TrainingClass>>(`/training/classes?${query({ q: SHANGHAI_CLASS })}`)).items[0]!;
    const outside = { org: `/orgs/${ids.pudong}`, member: `/persons/${shanghaiMember.personId}`, class: `/training/classes/${shanghaiClass.id}` };
    const seen: Record<string, { outside: unknown; missing: unknown }> = {};
    for (const [what, url] of Object.entries(outside)) {
      seen[what] = { outside: await refusal(county, 'GET', url), missing: await refusal(county, 'GET', url.replace(/\d+$/, String(MISSING_ID))) };
      if (JSON.stringify(seen[what].outside) !== JSON.stringify(seen[what].missing)) {
        throw new Error(`the county admin reading a ${what} outside their subtree got ${JSON.stringify(seen[what].outside)}, a missing one ${JSON.stringify(seen[what].missing)}`);
      }
    }
    const roots = await county.get<Org[]>('/orgs/roots');
    return { countyRoots: roots.map(orgSeen), refusals: seen };
  });

  // Organizations ------------------------------------------------------------------------------
  const countyFigures = async () => ({ zhongmou: await figures(ids.zhongmou), xinzheng: await figures(ids.xinzheng), zhengzhou: await figures(ids.zhengzhou) });
  const union = { id: 0 };
  await step('orgs', async () => {
    const before = await countyFigures();
    const created = await county.expect<Org>(201, 'POST', '/orgs', {
      body: { parentId: ids.zhongmou, name: '中牟县城市快递员联合工会', level: 'grassroots', kind: 'enterprise_union', regionCode: '410122' },
    });
    const edited = await county.expect<Org>(200, 'PATCH', `/orgs/${created.id}`, { body: { name: '中牟县快递员工会联合会', shortName: '快递员工会' } });
    // The last of Zhongmou's demo unions (the first holds the demo accounts) moves, with its members, to Xinzheng.
    const children = await national.get<Page<Org>>(`/orgs/${ids.zhongmou}/children?${query({ pageSize: 200 })}`);
    const moving = children.items.filter((o) => o.id !== created.id).at(-1)!;
    const moved = await national.expect<Org>(200, 'POST', `/orgs/${moving.id}/move`, { body: { parentId: ids.xinzheng } });
    const ancestors = await national.get<Org[]>(`/orgs/${moving.id}/ancestors`);
    union.id = created.id;
    return {
      created: orgSeen(created), edited: orgSeen(edited), moved: orgSeen(moved), movedUnder: ancestors.map((o) => o.name),
      countyMovingBack: await refusal(county, 'POST', `/orgs/${moving.id}/move`, { parentId: ids.zhongmou }),
      before, after: await countyFigures(),
    };
  });

  // Member import and export -------------------------------------------------------------------
  // The imported roster's people, for the flows that follow.
  const roster: Array<{ name: string; idNumber: string; phone: string }> = [];
  await step('import', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'wh-citus-flows-'));
    const file = path.join(folder, 'members.csv');
    await writeImportCsv(file, options.importRows, [union.id]);
    const badRows = [
      ['王芳', '女', '汉族', '1990-01-01', withCheckCharacter('41012219900101002', true), '13912345678', '群众', '本科', '新华物流有限公司', '2020-01-01', '全日制', String(union.id)],
      ['', '男', '汉族', '1988-05-05', withCheckCharacter('41012219880505003'), '13912345679', '群众', '本科', '新华物流有限公司', '2020-01-01', '全日制', String(union.id)],
      ['李强', '男', '汉族', '1985-03-03', withCheckCharacter('41012219850303005'), '12345', '群众', '本科', '新华物流有限公司', '2020-01-01', '全日制', String(union.id)],
    ];
    await appendFile(file, badRows.map((row) => row.join(',')).join('\n') + '\n');
    const csv = await readFile(file);
    await rm(folder, { recursive: true, force: true });
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'members.csv');
    const started = await county.expect<ImportJob>(202, 'POST', `/member-imports?${query({ orgId: union.id, acceptValid: true })}`, { form });
    const job = await untilEnded(() => county.get<ImportJob>(`/member-imports/${started.id}`), ['succeeded', 'rejected', 'failed']);
    const rejects = await county.get<Page<ImportReject>>(`/member-imports/${job.id}/rejects?${query({ pageSize: 50 })}`);
    const { status, phase, rowsRead, rowsRejected, personsCreated, personsUpdated, membershipsCreated, rowsUnchanged, ignoredColumns, error, orgName, fileName } = job;
    const goodRows = csv.toString('utf8').trim().split('\n').slice(1, options.importRows + 1).map((line) => line.split(','));
    for (const [name, , , , idNumber, phone] of goodRows) roster.push({ name: name!, idNumber: idNumber!, phone: phone! }); // no spread: 100,000s of rows
    return {
      job: { status, phase, rowsRead, rowsRejected, personsCreated, personsUpdated, membershipsCreated, rowsUnchanged, ignoredColumns, error, orgName, fileName },
      rejects: { total: rejects.total, rows: rejects.items.map(({ rowNumber, name, idNumberMasked, reasons }) => ({ rowNumber, name, idNumberMasked, reasons: reasons.map((r) => [r.field, r.code]) })) },
    };
  });

  await step('export', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await county.download(`/member-exports?${query({ orgId: union.id, format: 'xlsx' })}`) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    // 所属工会 (column 13) is the union's database id: left out.
    const cells = (n: number) => Array.from({ length: sheet.columnCount }, (_, i) => sheet.getRow(n).getCell(i + 1).text).filter((_, i) => i !== 12);
    return { sheet: sheet.name, rows: sheet.actualRowCount - 1, header: cells(1), first: cells(2), last: cells(sheet.actualRowCount) };
  });

  await step('figuresAfterImport', async () => ({
    union: await figures(union.id), zhongmou: await figures(ids.zhongmou), zhengzhou: await figures(ids.zhengzhou), henan: await figures(ids.henan), root: await figures(ids.root),
  }));

  // Transfers: Inner Mongolia asks for an imported member; Zhongmou, which holds them, approves.
  await step('transfers', async () => {
    const asker = await ApiUser.signIn(baseUrl, 'nmg.admin');
    const into = (await national.get<Page<Org>>(`/orgs/${ids.manzhouli}/children?${query({ pageSize: 1 })}`)).items[0]!;
    const person = roster[0]!;
    const request = await asker.expect<TransferRequest>(201, 'POST', '/transfer-requests', {
      body: { idNumber: person.idNumber, toOrgId: into.id, date: TRANSFER_DATE, note: '随配送站点调往满洲里' },
    });
    const waiting = await county.get<Page<TransferRequest>>(`/transfer-requests?${query({ direction: 'incoming' })}`);
    await county.expect<TransferRequest>(200, 'POST', `/transfer-requests/${request.id}/approve`, { body: { reason: '同意调动' } });
    const sides = async (status: string) => ({
      holding: (await county.get<Page<TransferRequest>>(`/transfer-requests?${query({ direction: 'incoming', status })}`)).items.map(transferSeen),
      asking: (await asker.get<Page<TransferRequest>>(`/transfer-requests?${query({ direction: 'outgoing', status })}`)).items.map(transferSeen),
    });
    return {
      requested: transferSeen(request), waiting: waiting.items.map(transferSeen), after: await sides('all'),
      holdingList: listSeen(await county.get<Page<MemberRow>>(`/members?${query({ orgId: union.id, q: person.name, status: 'all' })}`)),
      askingList: listSeen(await asker.get<Page<MemberRow>>(`/members?${query({ orgId: into.id, q: person.name })}`)),
    };
  });

  // Member list and search, in a county and in a province ---------------------------------------
  await step('memberList', async () => {
    const list = (user: ApiUser, params: Parameters<typeof query>[0]) => user.get<Page<MemberRow>>(`/members?${query({ pageSize: 50, ...params })}`).then(listSeen);
    const sample = roster[Math.min(roster.length - 1, 7)]!;
    return {
      countyFirst: await list(county, { orgId: ids.zhongmou }),
      countyLater: await list(county, { orgId: ids.zhongmou, page: 5 }),
      countyFiltered: await list(county, { orgId: ids.zhongmou, gender: 'female', ageMin: 30, ageMax: 40, sort: 'name' }),
      countyByJoined: await list(county, { orgId: ids.zhongmou, status: 'all', sort: 'joinedOn', order: 'desc', page: 2 }),
      provinceFirst: await list(national, { orgId: ids.henan }),
      provinceLater: await list(national, { orgId: ids.henan, page: 20 }),
      countyByName: await list(county, { orgId: ids.zhongmou, q: sample.name }),
      provinceByName: await list(national, { orgId: ids.henan, q: sample.name }),
      provinceBySurname: await list(national, { orgId: ids.henan, q: sample.name.slice(0, 1) }),
      countyByPhone: await list(county, { orgId: ids.zhongmou, q: sample.phone.slice(0, 5) }),
      provinceByPhone: await list(national, { orgId: ids.henan, q: sample.phone.slice(0, 4), page: 2 }),
    };
  });

  // Training: a class, its roll (one by one and from a file), a check-in burst, certificates ------
  await step('training', async () => {
    const cls = await county.expect<TrainingClass>(201, 'POST', '/training/classes', {
      body: {
        orgId: ids.zhongmou, title: '中牟县快递员安全生产培训班', venue: '中牟县职工服务中心', startsOn: '2026-11-23', endsOn: '2026-11-24',
        capacityOnsite: 1000, capacityLive: 100, minAttendanceShare: 0.75, audienceOrgIds: [ids.zhongmou],
      },
    });
    const session = (day: string, topic: string) => county.expect<TrainingSession>(201, 'POST', `/training/classes/${cls.id}/sessions`, {
      body: { kind: 'lecture', topic, startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T11:30:00+08:00`, place: '报告厅' },
    });
    const sessions = [await session('2026-11-23', '道路交通安全'), await session('2026-11-24', '劳动权益保障')];
    await county.expect(200, 'POST', `/training/classes/${cls.id}/status`, { body: { status: 'open' } });

    // Ten members of Zhongmou's first demo union one by one; the imported roster (but its first, transferred away) from a file.
    const demoUnion = (await county.get<Page<Org>>(`/orgs/${ids.zhongmou}/children?${query({ pageSize: 1 })}`)).items[0]!;
    const demoMembers = (await county.get<Page<MemberRow>>(`/members?${query({ orgId: demoUnion.id, pageSize: 10, sort: 'name' })}`)).items;
    for (const [i, member] of demoMembers.entries()) {
      await county.expect<Enrolment>(201, 'POST', `/training/classes/${cls.id}/enrolments`, { body: { personId: member.personId, mode: i % 2 ? 'live' : 'onsite' } });
    }
    const trainees = roster.slice(1, 1 + TRAINEES);
    const form = new FormData();
    form.append('file', new Blob([['姓名,身份证号', ...trainees.map((t) => `${t.name},${t.idNumber}`)].join('\n') + '\n'], { type: 'text/csv' }), 'trainees.csv');
    const imported = await county.expect<EnrolmentImportReport>(201, 'POST', `/training/classes/${cls.id}/enrolments/import?${query({ mode: 'onsite' })}`, { form });
    await county.expect(200, 'POST', `/training/classes/${cls.id}/status`, { body: { status: 'running' } });

    const roll: Enrolment[] = [];
    for (let page = 1; ; page++) {
      const answer = await county.get<Page<Enrolment>>(`/training/classes/${cls.id}/enrolments?${query({ page, pageSize: 200 })}`);
      roll.push(...answer.items);
      if (roll.length >= answer.total) break;
    }
    const onsite = roll.filter((e) => e.mode === 'onsite');

    // The first session: every on-site trainee checked in at once, then a few again (the first check-in stands).
    const first = await Promise.all(onsite.map((e) => county.call('POST', `/training/sessions/${sessions[0]!.id}/attendance`, { body: { enrolmentId: e.id } })));
    const again = await Promise.all(onsite.slice(0, 5).map((e) => county.call('POST', `/training/sessions/${sessions[0]!.id}/attendance`, { body: { enrolmentId: e.id } })));
    const statuses = (calls: Array<{ status: number }>) => countBy(calls, (call) => String(call.status));
    if (first.some((a) => a.status !== 201) || again.some((a) => a.status !== 200)) {
      throw new Error(`check-in burst: expected 201 then 200, got ${JSON.stringify(statuses(first))} then ${JSON.stringify(statuses(again))}`);
    }
    // The second: two thirds marked present in bulk, afterwards; only they reach the class's 75 % and get a certificate.
    const bulk = await county.expect<{ created: number; already: number }>(200, 'POST', `/training/sessions/${sessions[1]!.id}/attendance/bulk`, {
      body: { enrolmentIds: onsite.filter((_, i) => i % 3 !== 2).map((e) => e.id) },
    });
    const attendance = async (s: TrainingSession) => {
      const page = await county.get<Page<Attendance>>(`/training/sessions/${s.id}/attendance?${query({ pageSize: 1000 })}`);
      return { total: page.total, byMethod: countBy(page.items, (a) => a.method) };
    };

    await county.expect(200, 'POST', `/training/classes/${cls.id}/status`, { body: { status: 'closed' } });
    const started = await county.expect<CertificateJob>(202, 'POST', `/training/classes/${cls.id}/certificates`);
    const job = await untilEnded(() => county.get<CertificateJob>(`/training/certificate-jobs/${started.id}`), ['succeeded', 'failed']);
    const certificates = await county.get<Page<{ personName: string; orgName: string; classTitle: string }>>(`/training/classes/${cls.id}/certificates?${query({ pageSize: 5 })}`);
    const detail = await county.get<TrainingClass & { counts: unknown }>(`/training/classes/${cls.id}`);
    return {
      class: { title: detail.title, status: detail.status, orgName: detail.orgName, counts: detail.counts },
      enrolmentImport: { rowsRead: imported.rowsRead, enrolled: imported.enrolled, unchanged: imported.unchanged, byMode: imported.byMode },
      roll: { total: roll.length, byMode: countBy(roll, (e) => e.mode), first: roll.slice(0, 5).map((e) => [e.name, e.orgName, e.mode, e.status]) },
      checkIns: { burst: statuses(first), repeated: statuses(again), bulk: { created: bulk.created, already: bulk.already } },
      attendance: [await attendance(sessions[0]!), await attendance(sessions[1]!)],
      certificateJob: { status: job.status, total: job.total, issued: job.issued, error: job.error },
      certificates: { total: certificates.total, first: certificates.items.map((c) => [c.personName, c.orgName, c.classTitle]) },
      figures: { zhongmou: (await figures(ids.zhongmou)).training, union: (await figures(union.id)).training },
    };
  });
  // The other pages, as their users open them: what they answer (a status per page), the same
  // on one node and on Citus, and never a server error.
  await step('pages', async () => {
    const first = async <T>(path: string) => (await national.get<Page<T>>(path)).items[0]!;
    const cls = (await national.get<Page<TrainingClass>>(`/training/classes?${query({ q: '中牟县快递员安全生产培训班' })}`)).items[0]!;
    const plan = await first<{ id: number }>(`/services/plans?${query({ pageSize: 1 })}`);
    const claim = await first<{ id: number }>(`/services/claims?${query({ pageSize: 1 })}`);
    const person = await first<MemberRow>(`/members?${query({ orgId: ids.zhongmou, pageSize: 1 })}`);
    const consolePages = [
      '/workbench', `/audit?${query({ pageSize: 20 })}`, `/accounts?${query({ pageSize: 20 })}`, `/cadre-positions?${query({ orgId: ids.zhongmou })}`,
      `/transfer-requests?${query({ pageSize: 20 })}`, `/orgs/${ids.henan}/figures/trend`, `/persons/${person.personId}`, `/members?${query({ orgId: ids.henan, status: 'all', pageSize: 20 })}`,
      `/member-imports?${query({ pageSize: 20 })}`, `/services/claims?${query({ pageSize: 20 })}`, `/services/claims/${claim.id}`, `/services/plans/${plan.id}`,
      `/services/plans/${plan.id}/enrolments`, `/services/plans/${plan.id}/statements`, `/services/batches`, '/training/plans', '/training/courses',
      `/training/classes/${cls.id}/report`, `/training/classes/${cls.id}/progress`, `/training/classes/${cls.id}/enrolments`, `/training/classes/${cls.id}/competency`,
      `/training/classes/${cls.id}/candidates`, `/training/classes/${cls.id}/sessions`,
    ];
    const member = await ApiUser.signIn(baseUrl, 'member');
    const app = ['/me/person', '/my/training/classes', '/my/training/certificates', '/my/training/courses', '/my/services/claims', '/my/services/coverage'];
    const statuses: Record<string, number> = {};
    for (const [user, paths] of [[national, consolePages], [member, app]] as const) {
      for (const path of paths) {
        const answer = await user.call('GET', path);
        if (answer.status >= 500) throw new Error(`${user.username} GET ${path}: ${answer.status}: ${answer.bytes.toString('utf8').slice(0, 300)}`);
        statuses[`${user.username} ${path.replace(/\/\d+/g, '/:id').replace(/orgId=\d+/, 'orgId=:id')}`] = answer.status;
      }
    }
    return statuses;
  });
  return answers;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/** A national ID number with its check character, or (`wrong`) with a check character that fails. */
function withCheckCharacter(first17: string, wrong = false): string {
  const right = nationalIdCheckCharacter(first17);
  return first17 + (wrong ? (right === '0' ? '1' : '0') : right);
}
