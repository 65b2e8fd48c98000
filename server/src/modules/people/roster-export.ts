import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { to as copyTo } from 'pg-copy-streams';
import type { Pool } from '../../db/pool.ts';
import type { Secrets } from '../../plugins/secrets.ts';
import { toCsv as csvOf, toXlsx as xlsxOf } from '../../spreadsheets/write.ts';

/** The export's columns: the import's Chinese header names, so an exported file imports back unchanged. */
export const EXPORT_HEADER = ['姓名', '性别', '民族', '出生日期', '身份证号', '手机号', '政治面貌', '学历', '工作单位', '入会时间', '会员证号', '就业形态', '所属工会', '工会名称', '会员状态'];
const STATUS_TEXT: Record<string, string> = { active: '在会', transferred_out: '转出', left: '退会' };
const ID_COLUMN = 4;
const STATUS_COLUMN = 14;

export type ExportStatus = 'active' | 'transferred_out' | 'left' | 'all';

// COPY text format escapes (the inverse of what COPY FROM reads).
const UNESCAPE: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };
const unescapeCopy = (field: string): string | null =>
  field === '\\N' ? null : field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c) : field;

/**
 * The memberships of a subtree, one row per membership with the person's full ID number
 * (decrypted here: the key never enters the database). Read with COPY TO, so rows
 * stream at the database's pace and memory stays flat however large the subtree.
 */
export async function* memberExportRows(pool: Pool, secrets: Secrets, orgPath: string, status: ExportStatus): AsyncGenerator<Array<string | null>> {
  if (!/^\d+(\.\d+)*$/.test(orgPath)) throw new Error('bad org path');
  const client = await pool.connect();
  try {
    const statusFilter = status === 'all' ? '' : `AND m.status = ${client.escapeLiteral(status)}`;
    const stream = client.query(copyTo(`COPY (
      SELECT p.name, CASE WHEN p.gender = 'male' THEN '男' ELSE '女' END, p.ethnicity, p.birth_date, encode(p.id_number_cipher, 'hex'),
             -- The contact fields belong to the person's present union: past memberships leave them out.
             CASE WHEN m.status = 'active' THEN p.phone END, p.political_status, p.education,
             CASE WHEN m.status = 'active' THEN p.employer END, m.joined_on, m.card_number,
             CASE WHEN m.status = 'active' THEN p.employment_form END, m.org_id, o.name, m.status
      FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.province_id = m.province_id AND p.id = m.person_id
      WHERE o.path <@ ${client.escapeLiteral(orgPath)}::ltree ${statusFilter}) TO STDOUT`));
    // A character can be cut between two chunks: decode as a stream.
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const row = line.split('\t').map(unescapeCopy);
        row[ID_COLUMN] = secrets.decrypt(Buffer.from(row[ID_COLUMN]!, 'hex'));
        row[STATUS_COLUMN] = STATUS_TEXT[row[STATUS_COLUMN]!] ?? row[STATUS_COLUMN]!;
        yield row;
      }
    }
  } finally {
    client.release();
  }
}

/** The roster as CSV (UTF-8 with a BOM, CRLF), the import's own header first. */
export const toCsv = (rows: AsyncIterable<Array<string | null>>, onRow?: () => void) => csvOf(EXPORT_HEADER, rows, onRow);

/** The roster as .xlsx, streamed; ID numbers and dates are text cells. */
export const toXlsx = (rows: AsyncIterable<Array<string | null>>, onRow?: () => void): Readable => xlsxOf(EXPORT_HEADER, '会员 members', rows, onRow);
