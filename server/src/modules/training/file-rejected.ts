/** Training's spreadsheets (trainees, attendance) are refused as every module's are (server/src/spreadsheets/rejected.ts). */
export { rowProblem, SpreadsheetRejected as TrainingFileRejected, type RowProblem } from '../../spreadsheets/rejected.ts';
