import { describe, expect, it } from 'vitest';
import { addDays, formatChange, formatDate, formatDateTime, formatDayMonth, formatDuration, formatNumber, formatPercent, formatPeriodKey, formatSigned, formatWithUnit, localDate, sharedDigits, localHour, weekdayNames } from './format.ts';

// Intl may use a narrow no-break space; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers in da-DK and en', () => {
  it('decimal comma and thousands dot in Danish', () => {
    expect(formatNumber(1234.5, 'da')).toBe('1.235');
    expect(formatNumber(12.34, 'da')).toBe('12,3');
    expect(formatNumber(1.234, 'da')).toBe('1,23');
    expect(formatNumber(1234.5, 'en')).toBe('1,235');
    expect(formatNumber(12.34, 'en')).toBe('12.3');
    expect(formatNumber(0, 'da')).toBe('0');
  });
  it('missing is a dash, never zero', () => {
    expect(formatNumber(null, 'da')).toBe('–');
    expect(formatNumber(undefined, 'en')).toBe('–');
    expect(formatNumber(Number.NaN, 'da')).toBe('–');
    expect(formatPercent(null, 'da')).toBe('–');
  });
  it('percentages and signed changes', () => {
    expect(plain(formatPercent(0.42, 'da'))).toBe('42 %');
    expect(formatPercent(0.42, 'en')).toBe('42%');
    expect(plain(formatChange(0.125, 'da', 1))).toBe('+12,5 %');
    expect(plain(formatChange(-0.03, 'da'))).toMatch(/^[-−]3 %$/);
    expect(formatSigned(-2.5, 'da')).toBe('−2,5');
    expect(formatSigned(3, 'en')).toBe('+3');
  });
  it('durations', () => {
    expect(formatDuration(45, 'da')).toBe('45 s');
    expect(formatDuration(150, 'da')).toBe('2 min 30 s');
    expect(formatDuration(3900, 'da')).toBe('1 t 5 min');
    expect(formatDuration(3600, 'en')).toBe('1 h');
  });
});

describe('dates in Copenhagen', () => {
  it('formats dates and times in local time (summer and winter)', () => {
    expect(plain(formatDate('2026-11-17', 'da'))).toBe('17. nov. 2026');
    expect(plain(formatDate('2026-11-17', 'en'))).toBe('17 Nov 2026');
    expect(formatDateTime('2026-07-01T10:05:00Z', 'da')).toBe('01.07.2026 12.05');
    expect(formatDateTime('2026-01-01T10:05:00Z', 'da')).toBe('01.01.2026 11.05');
  });
  it('local date and hour across midnight and DST', () => {
    expect(localDate('2026-03-28T23:30:00Z')).toBe('2026-03-29');
    expect(localHour('2026-03-28T23:30:00Z')).toBe(0);
    expect(localHour('2026-03-29T01:30:00Z')).toBe(3); // after the spring-forward
    expect(localHour('2026-10-25T00:30:00Z')).toBe(2);
    expect(localHour('2026-10-25T01:30:00Z')).toBe(2); // the repeated hour
  });
  it('adds days and names periods and weekdays', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -28)).toBe('2026-02-01');
    expect(formatPeriodKey('2026-W47', 'da')).toBe('uge 47 2026');
    expect(formatPeriodKey('2026-Q4', 'da')).toBe('4. kvt. 2026');
    expect(formatPeriodKey('2026-Q4', 'en')).toBe('Q4 2026');
    expect(plain(formatPeriodKey('2026-11', 'da'))).toMatch(/^nov\.? 2026$/);
    expect(weekdayNames('da')[0]).toMatch(/^man/);
    expect(weekdayNames('en', 'long')[6]).toBe('Sunday');
  });
});

describe('a value beside the municipal average', () => {
  it('shares its decimals and unit with the average', () => {
    const d = sharedDigits([3, 5.8]);
    expect(d).toBe(1);
    expect(formatWithUnit(3, '%', 'da', d)).toBe('3,0 %');
    expect(formatWithUnit(5.8, '%', 'da', d)).toBe('5,8 %');
    expect(formatWithUnit(3, '%', 'en', d)).toBe('3.0%');
    expect(formatWithUnit(4.98, '%', 'da', sharedDigits([5.2, 4.98]))).toBe('5,0 %');
  });
  it('keeps whole numbers whole and large ones without decimals', () => {
    expect(sharedDigits([19000, 18500])).toBe(0);
    expect(sharedDigits([312.4, 298.7])).toBe(0);
    expect(sharedDigits([12, null])).toBe(0);
    expect(formatWithUnit(312400, 'kr.', 'da', 0)).toBe('312.400 kr.');
    expect(formatWithUnit(null, '%', 'da', 1)).toBe('–');
    expect(formatWithUnit(7.25, null, 'en', 1)).toBe('7.3');
  });
});

describe('formatDayMonth', () => {
  it('writes a day as Danish and British readers expect, never "11-18"', () => {
    expect(formatDayMonth('2026-11-18', 'da')).toBe('18.11.');
    expect(formatDayMonth('2026-03-05', 'da')).toBe('5.3.');
    expect(formatDayMonth('2026-11-18', 'en')).toBe('18 Nov');
    expect(() => formatDayMonth('11-18', 'da')).toThrow(/YYYY-MM-DD.*11-18/);
  });
});
