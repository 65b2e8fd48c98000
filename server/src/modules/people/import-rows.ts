import {
  birthDateFromNationalId, codeListValue, CODED_FIELDS, genderFromNationalId, isMobilePhone, maskNationalId, nationalIdProblem, NATIONAL_ID_CODES, normalizeNationalId,
  type ErrorCode, type ErrorParamsArgs,
} from '@workers-home/contract';
import { cellText, FileProblem, indexColumns, normalizeHeader, parseDate, type Cell } from '../../spreadsheets/cells.ts';

/**
 * The roster columns an import understands, with the header names a union's staff or a
 * spreadsheet template may use (GLOSSARY.md, 会员实名制). Matching ignores case, spaces,
 * underscores, a trailing `*` and a note in brackets: `身份证号（必填）` is `身份证号`.
 */
export const IMPORT_COLUMNS = {
  name: ['姓名', '会员姓名', 'name'],
  gender: ['性别', 'gender', 'sex'],
  ethnicity: ['民族', 'ethnicity', 'ethnic group', 'ethnicgroup'],
  birthDate: ['出生日期', '出生年月日', 'birth_date', 'birthdate', 'date of birth', 'birthday'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', 'id_number', 'idnumber', 'national id', 'national_id'],
  phone: ['手机号', '手机号码', '手机', '联系电话', 'phone', 'mobile'],
  politicalStatus: ['政治面貌', 'political_status', 'politicalstatus', 'political status'],
  education: ['学历', '文化程度', 'education'],
  employer: ['工作单位', '单位', 'employer'],
  joinedOn: ['入会时间', '入会日期', 'joined_on', 'joinedon', 'joined', 'date joined'],
  cardNumber: ['会员证号', '会员卡号', 'card_number', 'cardnumber', 'card number'],
  employmentForm: ['就业形态', 'employment_form', 'employmentform', 'employment form'],
  union: ['所属工会', '工会编号', '工会', 'union', 'union_id', 'unionid', 'union_code', 'org_id', 'orgid'],
} as const;

export type ImportColumn = keyof typeof IMPORT_COLUMNS;

const MAX_LENGTH: Partial<Record<ImportColumn, number>> = {
  name: 50, ethnicity: 20, politicalStatus: 30, education: 30, employer: 100, employmentForm: 30, cardNumber: 30, union: 100,
};

const ALIASES = new Map<string, ImportColumn>(
  Object.entries(IMPORT_COLUMNS).flatMap(([column, names]) => names.map((n) => [normalizeHeader(n), column as ImportColumn] as const)),
);

export interface HeaderMap {
  /** Column index of each known column. */
  index: Partial<Record<ImportColumn, number>>;
  /** Header texts that matched no known column (reported, not fatal). */
  ignored: string[];
}

/** Maps a header row; throws a FileProblem when the row does not look like a member roster. */
export function mapHeader(cells: Cell[]): HeaderMap {
  const { index, ignored } = indexColumns(cells, ALIASES);
  const missing = (['name', 'idNumber'] as const).filter((c) => index[c] === undefined);
  if (missing.length) {
    throw new FileProblem(`the first row must be a header naming the columns; missing: ${missing.map((c) => `${IMPORT_COLUMNS[c][0]}/${c === 'idNumber' ? 'id_number' : c}`).join(', ')}`);
  }
  return { index, ignored };
}

/** A valid row, ready for the staging table. */
export interface GoodRow {
  name: string;
  gender: 'male' | 'female';
  ethnicity: string | null;
  birthDate: string;
  idNumber: string;
  phone: string | null;
  politicalStatus: string | null;
  education: string | null;
  employer: string | null;
  joinedOn: string | null;
  cardNumber: string | null;
  employmentForm: string | null;
  union: string | null;
}

/** One thing wrong with a row: its column and an error code with its parameters (rendered in the reader's language). */
export interface CellProblem {
  field: string;
  code: ErrorCode;
  params?: Record<string, string | number>;
}

export interface RowProblem extends CellProblem {
  /** Every other thing wrong with the row's cells, after the first (`field`, `code`, `params`). */
  more: CellProblem[];
  /** What is known of the row, for the report (the ID number masked). */
  name: string | null;
  idNumberMasked: string | null;
  union: string | null;
}

export type CheckedRow = { ok: true; row: GoodRow } | { ok: false; problem: RowProblem } | { ok: 'blank' };

const GENDERS: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };

const COLUMN_LABEL: Record<ImportColumn, string> = {
  name: 'name', gender: 'gender', ethnicity: 'ethnicity', birthDate: 'birth_date', idNumber: 'id_number', phone: 'phone',
  politicalStatus: 'political_status', education: 'education', employer: 'employer', joinedOn: 'joined_on',
  cardNumber: 'card_number', employmentForm: 'employment_form', union: 'union',
};

/**
 * Checks one data row against the roster rules: ID number (GB 11643 check digit), mobile
 * phone, real dates, gender and birth date agreeing with the ID number, lengths. The
 * union is checked later against the database, for all rows at once.
 */
export function checkRow(cells: Cell[], header: HeaderMap, today: string): CheckedRow {
  const raw = (column: ImportColumn): Cell => {
    const i = header.index[column];
    return i === undefined ? undefined : cells[i];
  };
  if (cells.every((c) => cellText(c) === '' && !(c && typeof c === 'object' && 'formula' in c))) return { ok: 'blank' };

  const nameText = cellText(raw('name')) || null;
  const idRaw = raw('idNumber');
  const idText = typeof idRaw === 'string' ? normalizeNationalId(idRaw) : '';
  const known = { name: nameText, idNumberMasked: idText.length === 18 ? maskNationalId(idText) : null, union: cellText(raw('union')) || null };
  const problems: CellProblem[] = [];
  const reject = <C extends ErrorCode>(column: ImportColumn, code: C, ...params: ErrorParamsArgs<C>): void => {
    problems.push({ field: COLUMN_LABEL[column], code, ...(params[0] ? { params: params[0] } : {}) });
  };
  // A cell already found wrong (a formula, a spreadsheet error, too long) is not read further.
  const spoilt = new Set<ImportColumn>();

  for (const column of Object.keys(header.index) as ImportColumn[]) {
    const cell = raw(column);
    if (cell && typeof cell === 'object' && !(cell instanceof Date)) {
      if ('formula' in cell) { reject(column, 'people.import.formula'); spoilt.add(column); continue; }
      if ('error' in cell) { reject(column, 'people.import.cell_error', { error: String(cell.error) }); spoilt.add(column); continue; }
    }
    const limit = MAX_LENGTH[column];
    if (limit && cellText(cell).length > limit) { reject(column, 'validation.max_length', { max: limit }); spoilt.add(column); }
  }
  const usable = (column: ImportColumn) => !spoilt.has(column);

  if (!nameText && usable('name')) reject('name', 'validation.required');
  // What the ID number says (gender, birth date) when it is valid; the other columns are checked against it.
  let encoded: { birth: string; gender: 'male' | 'female' } | null = null;
  if (usable('idNumber')) {
    if (typeof idRaw === 'number') reject('idNumber', 'people.id_number.stored_as_number');
    else if (!idText) reject('idNumber', 'validation.required');
    else {
      const idProblem = nationalIdProblem(idText);
      if (idProblem) reject('idNumber', NATIONAL_ID_CODES[idProblem]);
      else encoded = { birth: birthDateFromNationalId(idText)!, gender: genderFromNationalId(idText) };
    }
  }

  const genderText = usable('gender') ? cellText(raw('gender')).toLowerCase() : '';
  let gender = encoded?.gender ?? 'male';
  if (genderText) {
    const parsed = GENDERS[genderText];
    if (!parsed) reject('gender', 'people.import.gender_format');
    else if (encoded && parsed !== encoded.gender) reject('gender', 'people.gender.mismatch');
    else gender = parsed;
  }
  if (usable('birthDate') && cellText(raw('birthDate'))) {
    const birth = parseDate(raw('birthDate') ?? null);
    if (!birth) reject('birthDate', 'people.import.birth_date_format');
    else if (encoded && birth !== encoded.birth) reject('birthDate', 'people.birth_date.mismatch', { date: encoded.birth });
  }
  let phone: string | null = null;
  const phoneCell = raw('phone');
  if (usable('phone') && cellText(phoneCell)) {
    phone = cellText(phoneCell).replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
    if (!isMobilePhone(phone)) reject('phone', 'people.mobile.format');
  }
  let joinedOn: string | null = null;
  if (usable('joinedOn') && cellText(raw('joinedOn'))) {
    joinedOn = parseDate(raw('joinedOn') ?? null);
    if (!joinedOn) reject('joinedOn', 'people.import.joined_on_format');
    else if (joinedOn > today) reject('joinedOn', 'people.import.joined_on_future');
    else if (encoded && joinedOn < encoded.birth) reject('joinedOn', 'people.joined_on.before_birth');
  }
  const text = (column: ImportColumn) => cellText(raw(column)) || null;
  // 民族, 政治面貌, 学历, 就业形态: a name from the national code list (code-lists.ts), stored as its Chinese name.
  const coded: Record<string, string | null> = {};
  for (const field of CODED_FIELDS) {
    const written = usable(field) ? text(field) : null;
    const value = written === null ? null : codeListValue(field, written);
    if (written !== null && value === null) reject(field, 'people.import.code_list_unknown', { value: written });
    coded[field] = value;
  }
  const [first, ...more] = problems;
  if (first || !encoded || !nameText) {
    return { ok: false, problem: { ...known, ...(first ?? { field: 'id_number', code: 'validation.required' }), more } };
  }
  return {
    ok: true,
    row: {
      name: nameText, gender, ethnicity: coded.ethnicity ?? null, birthDate: encoded.birth, idNumber: idText, phone,
      politicalStatus: coded.politicalStatus ?? null, education: coded.education ?? null, employer: text('employer'), joinedOn,
      cardNumber: text('cardNumber'), employmentForm: coded.employmentForm ?? null, union: text('union'),
    },
  };
}
