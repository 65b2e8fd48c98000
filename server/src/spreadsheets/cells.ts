/** Cells of an uploaded spreadsheet (.xlsx or .csv) as every import reads them. */

/** A cell as the readers give it: CSV gives strings; xlsx also numbers, dates, booleans and formulas. */
export type Cell = string | number | boolean | Date | null | undefined | { formula: string } | { error: string } | { richText: Array<{ text: string }> };

export class FileProblem extends Error {}

/**
 * Where each known column stands in a header row (headings matched through `aliases` after
 * normalizeHeader), and the headings nobody knows. A column named twice is a FileProblem.
 */
export function indexColumns<C extends string>(cells: Cell[], aliases: ReadonlyMap<string, C>): { index: Partial<Record<C, number>>; ignored: string[] } {
  const index: Partial<Record<C, number>> = {};
  const ignored: string[] = [];
  cells.forEach((cell, i) => {
    const text = cellText(cell);
    if (!text) return;
    const column = aliases.get(normalizeHeader(text));
    if (!column) ignored.push(text);
    else if (index[column] !== undefined) throw new FileProblem(`the column "${text}" appears twice in the header row`);
    else index[column] = i;
  });
  return { index, ignored };
}

/** A cell as trimmed text ('' when empty; a formula or an error cell reads as empty). */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  // exceljs hands a date cell over as that calendar day at 00:00 UTC (.xlsx has no zones): its UTC day is the day.
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if ('richText' in cell) return cell.richText.map((r) => r.text).join('').trim();
  return '';
}

/** Header text as compared with the known names: case, spaces, underscores, a trailing * and a note in brackets do not count. */
export const normalizeHeader = (text: string) =>
  text.normalize('NFKC').trim().toLowerCase().replace(/[(（【[].*$/u, '').replace(/[*＊\s_]+/gu, ' ').trim();

/** Excel's day 0 is 1899-12-30 (it counts the 1900 leap-year bug). */
function excelSerialToIso(serial: number): string | null {
  if (!Number.isInteger(serial) || serial < 1 || serial > 2_958_465) return null;
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** YYYY-MM-DD when the day exists (1900 or later), else null; arithmetic, as it runs for every row. */
function isoIfReal(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!)) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** 2015-03-01, 2015/3/1, 2015.3.1, 2015年3月1日, 20150301, an xlsx date or an Excel serial number. */
export function parseDate(cell: Cell): string | null {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? null : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') return excelSerialToIso(cell);
  const text = cellText(cell);
  let match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$/u.exec(text);
  if (match) return isoIfReal(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (match) return isoIfReal(Number(match[1]), Number(match[2]), Number(match[3]));
  return null;
}
