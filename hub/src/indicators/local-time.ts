/**
 * Local time in Europe/Copenhagen, the time of every user-facing figure. Instants are epoch
 * milliseconds (UTC); local days are 'YYYY-MM-DD' strings. A local day has 23, 24 or 25
 * hours (daylight saving starts on the last Sunday of March, ends on the last Sunday of
 * October). Copenhagen's offset is always a whole number of hours, so every local hour is
 * exactly one UTC hour: the hour records (UTC) map onto local hours one to one.
 * Pure: the time-zone rules come from Intl (the ICU data of Node), no clock is read.
 */
export const TIME_ZONE = 'Europe/Copenhagen';
export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface LocalParts {
  /** 'YYYY-MM-DD' */
  date: string;
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: Monday 1 … Sunday 7. */
  weekday: number;
}

const formatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The Copenhagen wall-clock date, hour and weekday of an instant. */
export function localParts(ms: number): LocalParts {
  const p: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(ms))) p[part.type] = part.value;
  const year = Number(p.year);
  const month = Number(p.month);
  const day = Number(p.day);
  return { date: `${p.year}-${p.month}-${p.day}`, year, month, day, hour: Number(p.hour), minute: Number(p.minute), weekday: WEEKDAYS[p.weekday] };
}

/** Local minus UTC at an instant, in ms (+1 h in winter, +2 h in summer). */
export function offsetMs(ms: number): number {
  const p = localParts(ms);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return wall - Math.floor(ms / 60_000) * 60_000;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' (a real calendar date) or returns null. */
export function parseLocalDate(date: string): { year: number; month: number; day: number } | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

function mustParse(date: string) {
  const p = parseLocalDate(date);
  if (!p) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return p;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const fromUtcDate = (d: Date) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Calendar arithmetic on local dates (no time zone involved). */
export function addDays(date: string, days: number): string {
  const p = mustParse(date);
  return fromUtcDate(new Date(Date.UTC(p.year, p.month - 1, p.day + days)));
}

/** ISO weekday of a calendar date, Monday 1 … Sunday 7. */
export function weekdayOf(date: string): number {
  const p = mustParse(date);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The local date of an instant. */
export const localDate = (ms: number): string => localParts(ms).date;

/**
 * The instant local midnight starts `date`. Midnight always exists in Copenhagen (the
 * clocks change at 02:00/03:00), so two rounds of "wall time minus offset" settle it.
 */
export function dayStartMs(date: string): number {
  const p = mustParse(date);
  const wall = Date.UTC(p.year, p.month - 1, p.day);
  let t = wall - offsetMs(wall);
  t = wall - offsetMs(t);
  return t;
}

/** The UTC starts of the hours of a local day: 23, 24 or 25 of them. */
export function dayHours(date: string): number[] {
  const start = dayStartMs(date);
  const end = dayStartMs(addDays(date, 1));
  const hours: number[] = [];
  for (let t = start; t < end; t += HOUR_MS) hours.push(t);
  return hours;
}

/** The local dates from `from` (inclusive) to `to` (exclusive). */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

export const PERIODS = ['week', 'month', 'quarter'] as const;
export type PeriodKind = (typeof PERIODS)[number];

/** A local period: its key ('2026-W47', '2026-11', '2026-Q4') and its dates, `end` exclusive. */
export interface LocalPeriod {
  kind: PeriodKind;
  key: string;
  start: string;
  end: string;
}

/** ISO 8601 week-numbering year and week of a date (the week's Thursday decides the year). */
export function isoWeek(date: string): { year: number; week: number } {
  const thursday = addDays(date, 4 - weekdayOf(date));
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/** The period of `kind` that holds the local date. */
export function periodOf(date: string, kind: PeriodKind): LocalPeriod {
  const p = mustParse(date);
  if (kind === 'week') {
    const start = addDays(date, 1 - weekdayOf(date));
    const w = isoWeek(date);
    return { kind, key: `${w.year}-W${pad(w.week)}`, start, end: addDays(start, 7) };
  }
  if (kind === 'month') {
    return { kind, key: `${p.year}-${pad(p.month)}`, start: `${p.year}-${pad(p.month)}-01`, end: fromUtcDate(new Date(Date.UTC(p.year, p.month, 1))) };
  }
  const q = Math.floor((p.month - 1) / 3);
  return { kind, key: `${p.year}-Q${q + 1}`, start: `${p.year}-${pad(q * 3 + 1)}-01`, end: fromUtcDate(new Date(Date.UTC(p.year, q * 3 + 3, 1))) };
}

/** The whole periods that overlap the local dates [from, to). */
export function periodsCovering(from: string, to: string, kind: PeriodKind): LocalPeriod[] {
  const periods: LocalPeriod[] = [];
  for (let p = periodOf(from, kind); p.start < to; p = periodOf(p.end, kind)) periods.push(p);
  return periods;
}

/** The `count` periods up to and including the one holding `date`, oldest first. */
export function periodsEndingAt(date: string, kind: PeriodKind, count: number): LocalPeriod[] {
  const periods = [periodOf(date, kind)];
  while (periods.length < count) periods.unshift(periodOf(addDays(periods[0].start, -1), kind));
  return periods;
}
