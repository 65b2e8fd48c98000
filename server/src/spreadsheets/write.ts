import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import './exceljs-utf8.ts'; // before exceljs: see the file
import ExcelJS from 'exceljs';

/** Writing spreadsheets as streams: a province's roster (2M rows) never sits in memory. */

const csvField = (v: string | null) => (v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** CSV in UTF-8 with a BOM (Excel then shows the Chinese text), CRLF line ends. */
export async function* toCsv(header: readonly string[], rows: AsyncIterable<Array<string | null>>, onRow?: () => void): AsyncGenerator<string> {
  let buffer = '\uFEFF' + header.map(csvField).join(',') + '\r\n';
  for await (const row of rows) {
    buffer += row.map(csvField).join(',') + '\r\n';
    onRow?.();
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  yield buffer;
}

/**
 * An xlsx written with exceljs's streaming writer (inline strings, no styles), so no
 * sheet is held in memory. ID numbers and dates are text cells: Excel would otherwise
 * round an 18-digit number.
 */
export function toXlsx(header: readonly string[], sheetName: string, rows: AsyncIterable<Array<string | null>>, onRow?: () => void): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName);
  const write = async () => {
    sheet.addRow([...header]).commit();
    let n = 0;
    for await (const row of rows) {
      sheet.addRow(row.map((v) => v ?? undefined)).commit();
      onRow?.();
      // exceljs does not wait for the reader: pause while the output is backed up.
      if ((++n & 1023) === 0) while (out.writableLength > 8 * 1024 * 1024) await once(out, 'drain');
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
