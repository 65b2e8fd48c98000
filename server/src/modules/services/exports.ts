import type { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { Queryable } from '../../db/pool.ts';
import { chinaDate } from '../../china-time.ts';
import { chineseDate, cjkFont } from '../../pdf/cjk-font.ts';
import { toXlsx } from '../../spreadsheets/write.ts';
import type { Caller } from '../../plugins/access.ts';
import { scopeOf } from '../../plugins/access.ts';
import { getStatement } from './enrolment.ts';
import { yuan } from './money.ts';
import { authorizePlan, servicesPolicy } from './policy.ts';

/** The members a statement covers, for its notice. */
async function statementMembers(db: Queryable, statementId: number) {
  const rows = await db.query<{ name: string; idMasked: string }>(
    `SELECT pe.name, pe.id_number_masked AS "idMasked" FROM services_enrolments e JOIN persons pe ON pe.province_id = e.province_id AND pe.id = e.person_id
      WHERE e.statement_id = $1 ORDER BY pe.name, pe.id`, [statementId]);
  return rows.rows;
}

/** A statement's notice as a workbook: the members enrolled, then persons × contribution = amount due. */
export async function statementXlsx(db: Queryable, caller: Caller, id: number): Promise<{ file: Readable; name: string }> {
  const statement = await getStatement(db, caller, id);
  const members = await statementMembers(db, id);
  const lines: Array<Array<string | null>> = members.map((m, i) => [String(i + 1), m.name, m.idMasked, yuan(statement.contributionFen)]);
  lines.push(['合计', `${statement.persons} 人`, null, yuan(statement.amountFen)]);
  lines.push(['状态', statement.status === 'paid' ? `已缴费（${statement.paidOn}，${statement.reference}）` : '待缴费', null, null]);
  const file = toXlsx(['序号', '姓名', '身份证号', '缴费金额（元）'], '缴费通知单', lines);
  return { file, name: `contribution-statement-${id}.xlsx` };
}

/** A statement's payment notice (缴费通知单) as a one-page PDF in Chinese. */
export async function statementPdf(db: Queryable, caller: Caller, id: number, now = new Date()): Promise<{ file: Buffer; name: string }> {
  const statement = await getStatement(db, caller, id);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `惠工保缴费通知单 ${id}`, Author: statement.planName, Producer: "Workers' Home" } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', cjkFont() as unknown as string);
  const width = doc.page.width - 112;
  doc.font('cjk').fontSize(22).text('惠工保缴费通知单', { align: 'center', width });
  doc.moveDown(0.5).fontSize(11).fillColor('#555555').text(`通知单编号：${id}`, { align: 'right', width });
  doc.moveDown(1).fillColor('#000000').fontSize(13);
  const lines: Array<[string, string]> = [
    ['缴费单位', statement.orgName],
    ['参保方案', statement.planName],
    ['参保人数', `${statement.persons} 人`],
    ['每人缴费', `${yuan(statement.contributionFen)} 元`],
    ['应缴金额', `${yuan(statement.amountFen)} 元（${statement.persons} 人 × ${yuan(statement.contributionFen)} 元）`],
    ['缴费状态', statement.status === 'paid' ? `已缴费，缴费日期 ${chineseDate(statement.paidOn!)}，凭证号 ${statement.reference}` : '待缴费'],
  ];
  for (const [label, value] of lines) {
    doc.text(`${label}：${value}`, { width, lineGap: 8 });
  }
  doc.moveDown(1).fontSize(11).fillColor('#333333')
    .text('请按应缴金额足额缴纳。缴费登记后，参保会员自缴费日起经过方案规定的等待期开始享受保障，保障至保障期结束；期间会员离会或转会的，保障至保障期结束。', { width, lineGap: 6 });
  doc.moveDown(2).fillColor('#000000').fontSize(12).text(`生成日期：${chineseDate(chinaDate(now))}`, { align: 'right', width });
  doc.end();
  return { file: await finished, name: `contribution-notice-${id}.pdf` };
}

/**
 * The plan report for its issuing organization (and those above): by union (persons enrolled
 * and covered, contributions due and paid, claims and benefits approved and paid), then by
 * month of admission. Only unions within the caller's subtrees are counted.
 */
export async function planReportXlsx(db: Queryable, caller: Caller, planId: number): Promise<{ file: Readable; name: string }> {
  await authorizePlan(db, caller, planId, 'read');
  const scope = scopeOf(caller, servicesPolicy.read);
  const byUnion = await db.query<Record<string, string | number>>(
    `WITH u AS (SELECT DISTINCT org_id FROM services_statements WHERE plan_id = $1 UNION SELECT DISTINCT org_id FROM services_claims WHERE plan_id = $1)
     SELECT o.name,
       (SELECT count(*) FROM services_enrolments e WHERE e.plan_id = $1 AND e.org_id = o.id)::int AS enrolled,
       (SELECT count(*) FROM services_enrolments e WHERE e.plan_id = $1 AND e.org_id = o.id AND e.covered_from IS NOT NULL)::int AS covered,
       (SELECT coalesce(sum(amount_fen), 0) FROM services_statements s WHERE s.plan_id = $1 AND s.org_id = o.id)::bigint AS due,
       (SELECT coalesce(sum(amount_fen), 0) FROM services_statements s WHERE s.plan_id = $1 AND s.org_id = o.id AND s.status = 'paid')::bigint AS paid,
       (SELECT count(*) FROM services_claims c WHERE c.plan_id = $1 AND c.org_id = o.id)::int AS claims,
       (SELECT coalesce(sum(approved_fen), 0) FROM services_claims c WHERE c.plan_id = $1 AND c.org_id = o.id AND c.status IN ('approved', 'in_batch', 'paid'))::bigint AS approved,
       (SELECT coalesce(sum(approved_fen), 0) FROM services_claims c WHERE c.plan_id = $1 AND c.org_id = o.id AND c.status = 'paid')::bigint AS benefit_paid
     FROM u JOIN orgs o ON o.id = u.org_id WHERE o.path <@ ANY($2::ltree[]) ORDER BY o.path`, [planId, scope]);
  const byMonth = await db.query<{ month: string; claims: number; days: number; approved: number; paid: number }>(
    `SELECT to_char(c.admitted_on, 'YYYY-MM') AS month, count(*)::int AS claims, sum(c.days)::int AS days,
       coalesce(sum(c.approved_fen) FILTER (WHERE c.status IN ('approved', 'in_batch', 'paid')), 0)::bigint AS approved,
       coalesce(sum(c.approved_fen) FILTER (WHERE c.status = 'paid'), 0)::bigint AS paid
     FROM services_claims c JOIN orgs o ON o.id = c.org_id WHERE c.plan_id = $1 AND o.path <@ ANY($2::ltree[]) GROUP BY 1 ORDER BY 1`, [planId, scope]);
  const lines: Array<Array<string | number | null>> = byUnion.rows.map((r) =>
    [String(r.name), Number(r.enrolled), Number(r.covered), yuan(Number(r.due)), yuan(Number(r.paid)), Number(r.claims), yuan(Number(r.approved)), yuan(Number(r.benefit_paid))]);
  lines.push([], ['入院月份', '理赔笔数', '住院天数', '核准金额（元）', '已支付（元）']);
  for (const m of byMonth.rows) lines.push([m.month, m.claims, m.days, yuan(Number(m.approved)), yuan(Number(m.paid))]);
  const file = toXlsx(['工会', '参保人数', '已生效人数', '应缴（元）', '已缴（元）', '理赔笔数', '核准金额（元）', '已支付（元）'], '方案报表', lines);
  return { file, name: `huigongbao-plan-${planId}-report.xlsx` };
}
