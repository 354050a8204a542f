/**
 * Numbers, dates and times for people, in da-DK (or en-GB) and Europe/Copenhagen.
 * Pure: the language is passed in, nothing reads the clock or the page.
 */
export type Lang = 'da' | 'en';
export const TIME_ZONE = 'Europe/Copenhagen';
const locale = (lang: Lang) => (lang === 'da' ? 'da-DK' : 'en-GB');

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(locale(lang), options)));
  return f;
}
function dateFormat(lang: Lang, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale(lang), { timeZone: TIME_ZONE, ...options })));
  return f;
}

/** Missing values are a dash, never 0. */
export const DASH = '–';

/** A number with sensible precision: whole numbers from 100, one decimal from 10, two below. */
export function formatNumber(value: number | null | undefined, lang: Lang, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const d = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) === 0 ? 0 : 2);
  return numberFormat(lang, { maximumFractionDigits: d, minimumFractionDigits: 0 }).format(value);
}

/** A share 0..1 as a percentage ("42 %" in Danish, "42%" in English). */
export function formatPercent(share: number | null | undefined, lang: Lang, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return DASH;
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** A signed relative change: +12 % / −3 %. */
export function formatChange(share: number | null | undefined, lang: Lang, digits = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return DASH;
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(share);
}

/** A signed absolute number: +12,5 / −3. */
export function formatSigned(value: number | null | undefined, lang: Lang, digits?: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const s = formatNumber(Math.abs(value), lang, digits);
  return value > 0 ? `+${s}` : value < 0 ? `−${s}` : s;
}

/** Seconds as "45 s", "2 min 30 s", "1 t 5 min" (en: "1 h 5 min"). */
export function formatDuration(seconds: number | null | undefined, lang: Lang): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m} min ${rest} s` : `${m} min`;
  const h = Math.floor(m / 60);
  const mm = m % 60;
  const hs = lang === 'da' ? 't' : 'h';
  return mm ? `${h} ${hs} ${mm} min` : `${h} ${hs}`;
}

const toDate = (d: Date | string | number) => (d instanceof Date ? d : new Date(d));

/** "17. nov. 2026" / "17 Nov 2026" in Copenhagen time. A bare YYYY-MM-DD is a local date. */
export function formatDate(d: Date | string | number, lang: Lang): string {
  const date = typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T12:00:00Z`) : toDate(d);
  return dateFormat(lang, { day: 'numeric', month: 'short', year: 'numeric' }).format(date);
}

/** "17.11.2026 14.05" / "17/11/2026 14:05" in Copenhagen time (composed from parts: ICU versions differ in separators). */
export function formatDateTime(d: Date | string | number, lang: Lang): string {
  const parts = dateFormat('en', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(toDate(d));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return lang === 'da' ? `${get('day')}.${get('month')}.${get('year')} ${get('hour')}.${get('minute')}` : `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in Copenhagen. */
export function localDate(d: Date | string | number): string {
  const parts = dateFormat('en', { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(toDate(d));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The local hour (0..23) of an instant in Copenhagen. */
export function localHour(d: Date | string | number): number {
  const h = dateFormat('en', { hour: '2-digit', hourCycle: 'h23' }).format(toDate(d));
  return Number(h) % 24;
}

/** Adds whole days to a YYYY-MM-DD date (calendar arithmetic, no time zone). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** A period key from the API ("2026-W47", "2026-11", "2026-Q4") for a label. */
export function formatPeriodKey(key: string, lang: Lang): string {
  let m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) return lang === 'da' ? `uge ${Number(m[2])} ${m[1]}` : `week ${Number(m[2])} ${m[1]}`;
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return lang === 'da' ? `${m[2]}. kvt. ${m[1]}` : `Q${m[2]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return dateFormat(lang, { month: 'short', year: 'numeric' }).format(new Date(`${m[1]}-${m[2]}-15T12:00:00Z`));
  return key;
}

/** Weekday names Monday first (the API's weekday 1..7). */
export function weekdayNames(lang: Lang, style: 'short' | 'long' = 'short'): string[] {
  const f = dateFormat(lang, { weekday: style });
  // 2024-01-01 was a Monday
  return Array.from({ length: 7 }, (_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i, 12))));
}

/**
 * Decimals shared by numbers shown side by side (a district's value and the municipal
 * average): whole numbers stay whole, large ones get none, the rest one, so "3,0 %" stands
 * beside "5,8 %" rather than "3 %".
 */
export function sharedDigits(values: readonly (number | null | undefined)[]): number {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.every((v) => Number.isInteger(v))) return 0;
  return finite.every((v) => Math.abs(v) >= 100) ? 0 : 1;
}

/** A value with its unit and fixed decimals: "5,8 %" / "5.8%" for a percentage, "12,0 kr." beside any other unit. */
export function formatWithUnit(value: number | null | undefined, unit: string | null | undefined, lang: Lang, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const n = numberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  if (!unit) return n;
  // Danish writes a space before the per cent sign; en-GB does not
  if (unit === '%') return lang === 'da' ? `${n} %` : `${n}%`;
  return `${n} ${unit}`;
}

/** A local date (YYYY-MM-DD) as a short axis label: "18.11." in Danish, "18 Nov" in English. */
export function formatDayMonth(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`formatDayMonth: expected a date YYYY-MM-DD, got "${date}"`);
  if (lang === 'da') return `${Number(m[3])}.${Number(m[2])}.`;
  return dateFormat('en', { day: 'numeric', month: 'short' }).format(new Date(`${date}T12:00:00Z`));
}
