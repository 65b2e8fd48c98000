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
 * round an 18-digit number; amounts may be numbers.
 */
export function toXlsx(header: readonly string[], sheetName: string, rows: AsyncIterable<Array<string | number | null>> | Iterable<Array<string | number | null>>, onRow?: () => void): Readable {
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

/** A column of a template whose cells are chosen from a list (a drop-down in Excel, WPS and LibreOffice). */
export interface TemplateList {
  /** The list's name: the header of its column on the hidden sheet of lists. */
  name: string;
  values: readonly string[];
}

/**
 * A small workbook to fill in: a header row, example rows, and for some columns a drop-down
 * (data validation) taking its values from a hidden sheet of lists, so a long list (56 ethnic
 * groups) fits where an inline list would not (Excel allows 255 characters inline).
 * `lists` maps a column index (0-based) to its list. Every cell is text: an ID number must not
 * become a rounded number.
 */
export async function templateXlsx(options: {
  sheetName: string;
  header: readonly string[];
  examples: ReadonlyArray<readonly string[]>;
  lists: ReadonlyMap<number, TemplateList>;
  listsSheetName: string;
  /** How many rows below the header carry the drop-downs. */
  rows?: number;
  /** The message shown when a typed value is not in a column's list. */
  errorTitle: string;
  error: (list: TemplateList) => string;
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(options.sheetName);
  const listsSheet = workbook.addWorksheet(options.listsSheetName, { state: 'hidden' });
  const column = (i: number) => {
    let name = '';
    for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
    return name;
  };
  sheet.addRow([...options.header]).font = { bold: true };
  for (const example of options.examples) sheet.addRow([...example]);
  sheet.columns.forEach((c, i) => {
    c.width = Math.max(12, (options.header[i]?.length ?? 0) * 2 + 4);
    c.numFmt = '@';
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const last = (options.rows ?? 1000) + 1;
  let listColumn = 0;
  for (const [index, list] of options.lists) {
    const letter = column(listColumn++);
    listsSheet.getCell(`${letter}1`).value = list.name;
    list.values.forEach((value, i) => { listsSheet.getCell(`${letter}${i + 2}`).value = value; });
    const range = `'${options.listsSheetName}'!$${letter}$2:$${letter}$${list.values.length + 1}`;
    for (let row = 2; row <= last; row++) {
      sheet.getCell(`${column(index)}${row}`).dataValidation = {
        type: 'list', allowBlank: true, formulae: [range],
        showErrorMessage: true, errorStyle: 'stop', errorTitle: options.errorTitle, error: options.error(list),
      };
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
