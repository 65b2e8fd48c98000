import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { resetUtf8Decoder } from './exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { FileProblem, type Cell } from './cells.ts';

export type FileFormat = 'csv' | 'xlsx';
export type TextEncoding = 'utf8' | 'utf16le' | 'gb18030';

export interface SniffedFile {
  format: FileFormat;
  encoding: TextEncoding;
  delimiter: string;
  size: number;
}

const startsWith = (buffer: Buffer, bytes: number[]) => bytes.every((b, i) => buffer[i] === b);

async function readSlice(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isUtf8(sample: Buffer): boolean {
  try {
    // stream: true tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides what a file is from its bytes, never from its name: an xlsx (a zip with its
 * end record present, so a truncated upload is caught before any work), or a text CSV
 * in UTF-8, UTF-16 (Excel's "Unicode text") or GBK/GB18030 (what Excel on a Chinese
 * Windows saves), with its delimiter. Anything else is refused with a reason.
 */
export async function sniffFile(path: string): Promise<SniffedFile> {
  const { size } = await stat(path);
  if (size === 0) throw new FileProblem('the file is empty');
  const head = await readSlice(path, 0, 64 * 1024);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const tail = await readSlice(path, Math.max(0, size - 66_000), 66_000);
    if (tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) < 0) throw new FileProblem('the xlsx file is truncated or damaged (its zip directory is missing); upload it again');
    return { format: 'xlsx', encoding: 'utf8', delimiter: ',', size };
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) throw new FileProblem('this is an Excel 97-2003 (.xls) file; save it as .xlsx or .csv and upload that');
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) throw new FileProblem('this is a PDF, not a spreadsheet; upload an .xlsx or .csv file');
  let encoding: TextEncoding;
  let text: string;
  if (startsWith(head, [0xff, 0xfe])) {
    encoding = 'utf16le';
    text = head.subarray(2).toString('utf16le');
  } else {
    if (head.subarray(0, 8192).includes(0)) throw new FileProblem('this is not a spreadsheet (binary content); upload an .xlsx or .csv file');
    encoding = isUtf8(head) ? 'utf8' : 'gb18030';
    text = encoding === 'utf8' ? head.toString('utf8') : iconv.decode(head, 'gb18030');
  }
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1]);
  return { format: 'csv', encoding, delimiter: counts[0]![1] > 1 ? counts[0]![0] : ',', size };
}

export interface RowSource {
  rows: AsyncIterable<{ rowNumber: number; cells: Cell[] }>;
  /** Bytes of the file read so far (for progress). */
  bytesRead(): number;
}

function countingStream(path: string): { stream: Readable; bytesRead: () => number } {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  file.on('error', (error) => counter.destroy(error));
  return { stream: file.pipe(counter), bytesRead: () => bytes };
}

async function* csvRows(stream: Readable, file: SniffedFile): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
  const decoded = file.encoding === 'utf8' ? stream : stream.pipe(iconv.decodeStream(file.encoding));
  const parser = decoded.pipe(parse({ bom: true, delimiter: file.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false }));
  stream.on('error', (error) => parser.destroy(error));
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield { rowNumber: ++rowNumber, cells: record };
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw new FileProblem(`the CSV cannot be read near row ${rowNumber + 1}: ${error.message}`);
    }
    throw error;
  }
}

type ExcelValue = ExcelJS.CellValue;

function toCell(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) return { formula: String((value as { formula?: string }).formula ?? '') };
    if ('error' in value) return { error: String(value.error) };
    if ('richText' in value) return { richText: value.richText };
    if ('text' in value) return String(value.text);
  }
  return String(value);
}

/**
 * The workbook's shared strings, packed: a sheet of a million rows can hold millions of
 * distinct strings (names, ID numbers, phones), and one JS string object each would
 * take over a gigabyte. They are joined into large chunks with offsets in typed arrays:
 * about two bytes a character, flat.
 */
class SharedStrings {
  private readonly chunks: string[] = [];
  private current: string[] = [];
  private currentLength = 0;
  private chunkOf = new Uint32Array(1024);
  private startOf = new Uint32Array(1024);
  private lengthOf = new Uint32Array(1024);
  private count = 0;

  add(index: number, text: string) {
    if (index >= this.chunkOf.length) {
      const grow = (a: Uint32Array) => { const b = new Uint32Array(a.length * 2); b.set(a); return b; };
      this.chunkOf = grow(this.chunkOf);
      this.startOf = grow(this.startOf);
      this.lengthOf = grow(this.lengthOf);
    }
    if (this.currentLength > 4_000_000) this.seal();
    this.chunkOf[index] = this.chunks.length;
    this.startOf[index] = this.currentLength;
    this.lengthOf[index] = text.length;
    this.current.push(text);
    this.currentLength += text.length;
    this.count = Math.max(this.count, index + 1);
  }

  seal() {
    if (this.current.length) this.chunks.push(this.current.join(''));
    this.current = [];
    this.currentLength = 0;
  }

  has(index: number): boolean {
    return index < this.count;
  }

  get(index: number): string | null {
    if (index >= this.count) return null;
    const chunk = this.chunks[this.chunkOf[index]!];
    const start = this.startOf[index]!;
    return chunk === undefined ? null : chunk.slice(start, start + this.lengthOf[index]!);
  }
}

/**
 * Workbooks are read one at a time in this process (a member import, an enrolment list):
 * the UTF-8 fix in exceljs-utf8.ts has one streaming decoder, and two reads at once could
 * splice a character cut between chunks of one file into the other.
 */
let xlsxTurn: Promise<void> = Promise.resolve();
async function* xlsxRows(open: () => Readable): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
  const previous = xlsxTurn;
  let release!: () => void;
  xlsxTurn = new Promise((resolve) => { release = resolve; });
  await previous;
  try {
    // exceljs's streaming unzip pass now and then misses an entry of the archive (exceljs
    // issues 683 and 3064, open upstream): about one read in 300 of a small workbook never
    // sees the shared-string table, and every text cell would come back empty. A cell that
    // refers to a string the table lacks says so; the file is then read again from the
    // start, passing over the rows already given.
    let given = 0;
    for (let attempt = 1; ; attempt++) {
      resetUtf8Decoder();
      const stream = open();
      try {
        for await (const row of xlsxRowsInTurn(stream)) {
          if (row.rowNumber <= given) continue;
          given = row.rowNumber;
          yield row;
        }
        return;
      } catch (error) {
        if (!(error instanceof MissingSharedString)) throw error;
        if (attempt === 3) throw new FileProblem(`row ${error.rowNumber} refers to text missing from the xlsx file's shared-string table; is it damaged?`);
      } finally {
        stream.destroy();
      }
    }
  } finally {
    release();
  }
}

/** A cell refers to a shared string the read did not see. */
class MissingSharedString extends Error {
  constructor(readonly rowNumber: number) {
    super(`row ${rowNumber} refers to a missing shared string`);
  }
}

async function* xlsxRowsInTurn(stream: Readable): AsyncGenerator<{ rowNumber: number; cells: Cell[] }> {
  // Shared strings are emitted (not cached by exceljs) and packed here; worksheets then
  // wait in a temporary file until the string table has been read.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit', sharedStrings: 'emit', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  const strings = new SharedStrings();
  const sharedText = (value: unknown): string | null => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && 'richText' in value) return (value as { richText: Array<{ text: string }> }).richText.map((r) => r.text).join('');
    return null;
  };
  try {
    const events = (reader as unknown as { parse(): AsyncIterable<{ eventType?: string; value?: unknown; index?: number; text?: unknown }> }).parse();
    for await (const event of events) {
      if (event.index !== undefined) {
        strings.add(event.index, sharedText(event.text) ?? '');
        continue;
      }
      if (event.eventType !== 'worksheet') continue;
      strings.seal();
      // Only the first sheet is the roster; a template's notes may live on others.
      for await (const row of event.value as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as ExcelValue[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) {
          const value = values[i];
          if (value && typeof value === 'object' && 'sharedString' in value) {
            const index = (value as { sharedString: number }).sharedString;
            if (!strings.has(index)) throw new MissingSharedString(row.number);
            cells.push(strings.get(index));
          } else {
            cells.push(toCell(value));
          }
        }
        yield { rowNumber: row.number, cells };
      }
      break;
    }
  } catch (error) {
    if (error instanceof FileProblem || error instanceof MissingSharedString) throw error;
    throw new FileProblem(`the xlsx file cannot be read (${error instanceof Error ? error.message : String(error)}); is it damaged?`);
  }
}

/** Streams the rows of a sniffed file; memory stays flat with the file's size. */
export function readRows(path: string, file: SniffedFile): RowSource {
  // Each read opens the file anew (an xlsx may be read again); progress counts the latest read.
  let current: ReturnType<typeof countingStream> | null = null;
  const open = () => (current = countingStream(path)).stream;
  return { rows: file.format === 'csv' ? csvRows(open(), file) : xlsxRows(open), bytesRead: () => current?.bytesRead() ?? 0 };
}
