import '../people/exceljs-utf8.ts'; // before exceljs: see the file
import ExcelJS from 'exceljs';
import type { ClassReport } from '@workers-home/contract';
import type { Queryable } from '../../db/pool.ts';
import type { Caller } from '../../plugins/access.ts';
import { chinaWallClock } from '../../china-time.ts';
import { completionPage } from './completion.ts';
import { classReport } from './report.ts';
import { authorizeClass } from './policy.ts';

const LEVELS: Record<string, string> = { national: '全国', provincial: '省级', industrial: '全国产业', city: '市/盟', county: '县/旗/口岸', grassroots: '基层' };
const KINDS: Record<string, string> = { opening: '开班仪式', lecture: '专题讲座', onsite_teaching: '现场教学', discussion: '交流研讨', policy: '政策解读', live: '直播课', closing: '结业仪式' };
const STATUSES: Record<string, string> = { completed: '已结业', in_progress: '学习中', not_completed: '未结业' };
const MODES: Record<string, string> = { onsite: '线下', live: '线上（直播）' };
const COUNT_HEADERS = ['报名 enrolled', '线下 on site', '线上 live', '实到 present', '结业 completed'];
type Counts = { enrolled: number; onsite: number; live: number; present: number; completed: number };
const counts = (c: Counts) => [c.enrolled, c.onsite, c.live, c.present, c.completed];

function sheet(workbook: ExcelJS.Workbook, name: string, headers: string[], rows: Array<Array<string | number | Date | null>>) {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(headers).font = { bold: true };
  for (const row of rows) ws.addRow(row);
  ws.columns.forEach((column, i) => { column.width = i === 0 ? 36 : 14; });
  return ws;
}

/** The class report as a workbook: summary, sessions, levels, organizations, positions, and every trainee's completion. */
export async function classReportXlsx(db: Queryable, caller: Caller, classId: number): Promise<{ report: ClassReport; file: Buffer }> {
  const report = await classReport(db, caller, classId);
  const { scope } = await authorizeClass(db, caller, classId, 'read');
  const trainees = await completionPage(db, classId, scope, { page: 1, pageSize: 100_000 });
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Workers' Home";
  const t = report.totals;
  sheet(workbook, '概况 Summary', ['项目 item', '数值 value'], [
    ['培训班 class', report.classTitle], ['主办单位 organizer', report.orgName], ['日期 dates', `${report.startsOn} — ${report.endsOn}`],
    ['范围 scope', report.wholeClass ? '全班 whole class' : '本单位学员 own trainees only'],
    ['报名 enrolled', t.enrolled], ['线下 on site', t.onsite], ['线上（直播） live', t.live], ['实到 present', t.present],
    ['结业 completed', t.completed], ['结业率 completion rate', t.completionRate],
  ]);
  // Session times are China time (北京时间), as the timetable is kept, whatever the server's zone.
  const sessions = sheet(workbook, '课次 Sessions', ['课次 session', '类型 kind', '开始（北京时间） starts (China time)', '应到线下 expected on site', '实到线下 present on site', '应到线上 expected live', '实到线上 present live'],
    report.sessions.map((s) => [s.topic, KINDS[s.kind] ?? s.kind, chinaWallClock(s.startsAt), s.expectedOnsite, s.presentOnsite, s.expectedLive, s.presentLive]));
  sessions.getColumn(3).numFmt = 'yyyy-mm-dd hh:mm';
  sessions.getColumn(3).width = 18;
  sheet(workbook, '层级 Levels', ['层级 level', ...COUNT_HEADERS], report.byLevel.map((l) => [LEVELS[l.level] ?? l.level, ...counts(l)]));
  sheet(workbook, '单位 Organizations', ['单位 organization', '层级 level', ...COUNT_HEADERS], report.byOrg.map((o) => [o.orgName, o.level ? LEVELS[o.level] ?? o.level : '', ...counts(o)]));
  sheet(workbook, '职务 Positions', ['职务 position', ...COUNT_HEADERS], report.byPosition.map((p) => [p.title || '（无职务）', ...counts(p)]));
  sheet(workbook, '学员 Trainees', ['姓名 name', '单位 organization', '方式 mode', '应到 expected', '实到 attended', '出勤率 share', '在线学时（分钟） online minutes', '考核 score', '状态 status', '证书编号 certificate'],
    trainees.items.map((r) => [r.name, r.orgName, MODES[r.mode] ?? r.mode, r.sessionsExpected, r.sessionsAttended, r.attendanceShare, r.onlineMinutes, r.assessmentScore, STATUSES[r.status] ?? r.status, r.certificateNumber]));
  return { report, file: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
