import { PassThrough, type Readable } from 'node:stream';
import '../../spreadsheets/exceljs-utf8.ts'; // before exceljs: see the file
import ExcelJS from 'exceljs';
import { MAX_EXPORT_ROWS, type MemberRow } from '@workers-home/contract';
import type { Services, WriteContext } from '../../context.ts';
import { badRequest } from '../../errors.ts';
import { scopeOf } from '../../plugins/access.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrg } from '../orgs/service.ts';
import { peoplePolicy } from './policy.ts';
import { MEMBER_ROW_COLUMNS, memberListSql, type MemberFilter } from './service.ts';

const BATCH_ROWS = 2000;

type Lang = 'zh-CN' | 'en';
const HEADINGS: Record<Lang, Record<'name' | 'gender' | 'birthDate' | 'idNumber' | 'phone' | 'employer' | 'union' | 'status' | 'joinedOn', string>> = {
  'zh-CN': { name: '姓名', gender: '性别', birthDate: '出生日期', idNumber: '身份证号（脱敏）', phone: '手机号', employer: '工作单位', union: '所在工会', status: '会员状态', joinedOn: '入会时间' },
  en: { name: 'Name', gender: 'Gender', birthDate: 'Birth date', idNumber: 'ID number (masked)', phone: 'Mobile', employer: 'Employer', union: 'Union', status: 'Status', joinedOn: 'Joined' },
};
const GENDERS: Record<Lang, Record<MemberRow['gender'], string>> = { 'zh-CN': { male: '男', female: '女' }, en: { male: 'Male', female: 'Female' } };
const STATUSES: Record<Lang, Record<MemberRow['status'], string>> = {
  'zh-CN': { active: '在会', transferred_out: '转出', left: '退会' },
  en: { active: 'Active', transferred_out: 'Transferred out', left: 'Left' },
};

/**
 * Every member matching the list's filter as an .xlsx workbook, streamed: rows leave the
 * database through a cursor in batches and the workbook is written as they come, so memory
 * stays flat however large the subtree. The export of personal data is audited.
 */
export async function exportMembers(services: Services, ctx: WriteContext, filter: MemberFilter & { lang: Lang }): Promise<Readable> {
  const { pool } = services;
  const { from, params, orderBy } = await memberListSql(services, ctx.caller, filter);
  const total = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`, params)).rows[0]!.n;
  if (total > MAX_EXPORT_ROWS) {
    throw badRequest('query', 'people.export.too_many', { total, max: MAX_EXPORT_ROWS });
  }
  const scopePath = filter.orgId !== undefined ? (await findOrg(pool, filter.orgId))!.path : scopeOf(ctx.caller, peoplePolicy.read)[0] ?? null;
  await recordAudit(pool, ctx, { action: 'export', entity: 'member-list', entityId: null, orgPath: scopePath, after: { filter, rows: total } });

  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const { lang } = filter;
  const heading = HEADINGS[lang];
  const sheet = workbook.addWorksheet(lang === 'zh-CN' ? '会员名单' : 'Members', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: heading.name, key: 'name', width: 12 },
    { header: heading.gender, key: 'gender', width: 8 },
    { header: heading.birthDate, key: 'birthDate', width: 12 },
    { header: heading.idNumber, key: 'idNumber', width: 22 },
    { header: heading.phone, key: 'phone', width: 14 },
    { header: heading.employer, key: 'employer', width: 30 },
    { header: heading.union, key: 'union', width: 34 },
    { header: heading.status, key: 'status', width: 10 },
    { header: heading.joinedOn, key: 'joinedOn', width: 12 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();

  const write = async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`DECLARE member_export NO SCROLL CURSOR FOR SELECT ${MEMBER_ROW_COLUMNS} FROM ${from} ORDER BY ${orderBy}`, params);
      for (;;) {
        const batch = await client.query<MemberRow>(`FETCH ${BATCH_ROWS} FROM member_export`);
        for (const row of batch.rows) {
          // Text cells throughout: an ID number or phone must never turn into a number or a formula.
          sheet.addRow({
            name: row.name, gender: GENDERS[lang][row.gender], birthDate: row.birthDate ?? '', idNumber: row.idNumberMasked,
            phone: row.phone ?? '', employer: row.employer ?? '', union: row.orgName, status: STATUSES[lang][row.status], joinedOn: row.joinedOn,
          }).commit();
        }
        if (batch.rows.length < BATCH_ROWS) break;
        // Let the file stream drain before reading more.
        if (output.writableNeedDrain) await new Promise((resolve) => output.once('drain', resolve));
      }
      await client.query('COMMIT');
      sheet.commit();
      await workbook.commit();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      output.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      client.release();
    }
  };
  void write();
  return output;
}
