import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import { createRandom } from '../server/src/demo/generate.ts';
import { benchPerson } from './generate.ts';

// Import rows get ID numbers far from any generated data set's (block 25 of 5M).
const IMPORT_OFFSET = 125_000_000;
const HEADER = ['姓名', '性别', '民族', '出生日期', '身份证号', '手机号', '政治面貌', '学历', '工作单位', '入会时间', '就业形态', '所属工会'];

function* importRows(count: number, unionIds: number[]) {
  const random = createRandom(777);
  for (let i = 0; i < count; i++) {
    const p = benchPerson(random, IMPORT_OFFSET + i);
    yield [p.name, p.gender === 'male' ? '男' : '女', p.ethnicity, p.birthDate, p.idNumber, p.phone, p.politicalStatus, p.education,
      '新华物流有限公司', p.joinedOn, p.employmentForm, String(unionIds[i % unionIds.length])];
  }
}

/** A roster CSV of `count` new members spread over the given unions. */
export async function writeImportCsv(path: string, count: number, unionIds: number[]) {
  const out = createWriteStream(path);
  let buffer = HEADER.join(',') + '\n';
  for (const row of importRows(count, unionIds)) {
    buffer += row.join(',') + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** The same roster as .xlsx with shared strings, as Excel writes it (dates as text cells, as clerks type them). */
export async function writeImportXlsx(path: string, count: number, unionIds: number[]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('会员');
  sheet.addRow(HEADER).commit();
  for (const row of importRows(count, unionIds)) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
}
