/**
 * Every date and time a person sees is China time (Asia/Shanghai), whatever the zone of the
 * browser: the federation works on China time and the timetable is kept in it. Intl does the
 * conversion; date-only values ('2024-12-05') are calendar days and are never shifted.
 */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export const isDateOnly = (value: string) => DATE_ONLY.test(value);

const FIELDS = new Intl.DateTimeFormat('en-CA', {
  timeZone: CHINA_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

function fields(at: string | number | Date) {
  const parts = FIELDS.formatToParts(new Date(at));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** The China calendar day of an instant ('2024-12-05'); a date-only value is its own day. */
export const chinaDay = (at: string | number | Date) => (typeof at === 'string' && isDateOnly(at) ? at : fields(at).date);

/** The China wall-clock time of an instant, '07:44'. */
export const chinaClock = (at: string | number | Date) => fields(at).time;

/** Today in China. */
export const chinaToday = () => chinaDay(Date.now());

/** A China date and wall-clock time ('2024-12-05', '07:44') as an instant with its offset (China keeps no daylight saving time). */
export const chinaInstant = (date: string, time: string) => `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`;
