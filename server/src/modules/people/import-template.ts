import { CODE_LISTS, type CodedField } from '@workers-home/contract';
import { templateXlsx, type TemplateList } from '../../spreadsheets/write.ts';
import { IMPORT_COLUMNS, type ImportColumn } from './import-rows.ts';

/** The template's columns in the order a union's roster usually has them; each header is the import's first name for it. */
const COLUMNS: ImportColumn[] = ['name', 'gender', 'ethnicity', 'birthDate', 'idNumber', 'phone', 'politicalStatus', 'education', 'employer', 'employmentForm', 'joinedOn', 'cardNumber', 'union'];

/** One made-up member (a valid ID number: GB 11643 check digit). The union is the one imported into, when it is a grassroots union. */
const EXAMPLE: Record<ImportColumn, string> = {
  name: '张伟', gender: '男', ethnicity: '汉族', birthDate: '1985-06-15', idNumber: '110101198506150019', phone: '13800138001',
  politicalStatus: '中共党员', education: '本科', employer: '郑州宇通客车股份有限公司', employmentForm: '全日制', joinedOn: '2010-03-01',
  cardNumber: 'HN-0001', union: '',
};

const LIST_NAMES: Record<CodedField, string> = { ethnicity: '民族', politicalStatus: '政治面貌', education: '学历', employmentForm: '就业形态' };

/** The member import's template (.xlsx): what the import reads, with the code lists as drop-downs. */
export function importTemplate(unionName: string): Promise<Buffer> {
  const lists = new Map<number, TemplateList>();
  COLUMNS.forEach((column, index) => {
    if (column === 'gender') lists.set(index, { name: '性别', values: ['男', '女'] });
    if (column in CODE_LISTS) lists.set(index, { name: LIST_NAMES[column as CodedField], values: CODE_LISTS[column as CodedField].map((e) => e.zh) });
  });
  return templateXlsx({
    sheetName: '会员名单',
    listsSheetName: '代码表',
    header: COLUMNS.map((c) => `${IMPORT_COLUMNS[c][0]}${c === 'name' || c === 'idNumber' ? '*' : ''}`),
    examples: [COLUMNS.map((c) => (c === 'union' ? unionName : EXAMPLE[c]))],
    lists,
    errorTitle: '不在代码表中',
    error: (list) => `请从下拉列表中选择${list.name}`,
  });
}
