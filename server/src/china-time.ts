import { TRAINING_TIME_ZONE } from '@workers-home/contract';

/**
 * China time (Asia/Shanghai), the zone the timetable is kept in, for what people see or
 * download: computed with Intl, so the clock zone of the server process plays no part.
 */
const FIELDS = new Intl.DateTimeFormat('en-CA', {
  timeZone: TRAINING_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function fields(at: Date | string) {
  const parts = FIELDS.formatToParts(typeof at === 'string' ? new Date(at) : at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The China calendar day of an instant, '2024-12-05'. */
export function chinaDate(at: Date | string): string {
  const f = fields(at);
  return `${f.year}-${f.month}-${f.day}`;
}

/**
 * An instant as China's wall clock in a Date's UTC fields: what a spreadsheet cell holds
 * (exceljs writes a Date's UTC fields as the cell's date and time; .xlsx has no time zones).
 */
export function chinaWallClock(at: Date | string): Date {
  const f = fields(at);
  return new Date(Date.UTC(Number(f.year), Number(f.month) - 1, Number(f.day), Number(f.hour), Number(f.minute), Number(f.second)));
}
