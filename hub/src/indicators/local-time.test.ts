import { describe, expect, it } from 'vitest';
import { addDays, dayHours, dayStartMs, isoWeek, localParts, parseLocalDate, periodOf, periodsCovering, periodsEndingAt, weekdayOf } from './local-time.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('local days in Copenhagen', () => {
  it('a winter day has 24 hours from 23:00 UTC the day before', () => {
    const hours = dayHours('2026-01-15');
    expect(hours.length).toBe(24);
    expect(iso(hours[0])).toBe('2026-01-14T23:00:00.000Z');
    expect(iso(hours[23])).toBe('2026-01-15T22:00:00.000Z');
  });

  it('2026-03-29 (summer time starts) has 23 hours: 02:00 local does not exist', () => {
    const hours = dayHours('2026-03-29');
    expect(hours.length).toBe(23);
    expect(iso(hours[0])).toBe('2026-03-28T23:00:00.000Z');
    expect(iso(dayStartMs('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z');
    expect(hours.map((t) => localParts(t).hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, i) => i + 3)]);
  });

  it('2026-10-25 (summer time ends) has 25 hours: 02:00 local comes twice', () => {
    const hours = dayHours('2026-10-25');
    expect(hours.length).toBe(25);
    expect(iso(hours[0])).toBe('2026-10-24T22:00:00.000Z');
    expect(iso(dayStartMs('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z');
    expect(localParts(Date.parse('2026-10-25T00:30:00Z'))).toMatchObject({ date: '2026-10-25', hour: 2, minute: 30, weekday: 7 });
    expect(localParts(Date.parse('2026-10-25T01:30:00Z'))).toMatchObject({ date: '2026-10-25', hour: 2, minute: 30, weekday: 7 });
  });

  it('reads and steps calendar dates, refusing ones that do not exist', () => {
    expect(parseLocalDate('2026-02-30')).toBeNull();
    expect(parseLocalDate('2026-2-3')).toBeNull();
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-11-16')).toBe(1);
    expect(weekdayOf('2026-11-22')).toBe(7);
  });
});

describe('periods and their keys', () => {
  it('ISO weeks around new year: 2026 has 53 weeks (it starts on a Thursday)', () => {
    expect(isoWeek('2025-12-29')).toEqual({ year: 2026, week: 1 });
    expect(isoWeek('2026-01-01')).toEqual({ year: 2026, week: 1 });
    expect(periodOf('2026-12-31', 'week')).toEqual({ kind: 'week', key: '2026-W53', start: '2026-12-28', end: '2027-01-04' });
    expect(periodOf('2027-01-03', 'week').key).toBe('2026-W53');
    expect(periodOf('2027-01-04', 'week')).toEqual({ kind: 'week', key: '2027-W01', start: '2027-01-04', end: '2027-01-11' });
    expect(periodOf('2024-12-30', 'week').key).toBe('2025-W01');
    expect(periodOf('2026-11-18', 'week')).toEqual({ kind: 'week', key: '2026-W47', start: '2026-11-16', end: '2026-11-23' });
  });

  it('months and quarters', () => {
    expect(periodOf('2026-12-15', 'month')).toEqual({ kind: 'month', key: '2026-12', start: '2026-12-01', end: '2027-01-01' });
    expect(periodOf('2026-11-16', 'quarter')).toEqual({ kind: 'quarter', key: '2026-Q4', start: '2026-10-01', end: '2027-01-01' });
    expect(periodOf('2027-02-01', 'quarter')).toEqual({ kind: 'quarter', key: '2027-Q1', start: '2027-01-01', end: '2027-04-01' });
  });

  it('lists the periods up to one, and the whole periods covering a range', () => {
    expect(periodsEndingAt('2026-02-10', 'month', 3).map((p) => p.key)).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(periodsEndingAt('2027-01-05', 'quarter', 2).map((p) => p.key)).toEqual(['2026-Q4', '2027-Q1']);
    expect(periodsCovering('2026-12-30', '2027-01-05', 'week').map((p) => p.key)).toEqual(['2026-W53', '2027-W01']);
    expect(periodsCovering('2026-11-16', '2026-11-23', 'week').map((p) => p.key)).toEqual(['2026-W47']);
  });
});
