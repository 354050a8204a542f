/**
 * The six urban-life indicators of a local period, from hour records:
 * - passersPerDay, stayingVisitsPerDay, personMinutesPerDay: the mean over *complete* local
 *   days (every one of its 23/24/25 hours observed). A day with a hole is left out rather
 *   than counted low; null when no day is complete.
 * - eveningShare: passers from 18:00 to midnight local / all passers, over complete days
 *   (null when none, or no passers).
 * - medianDwellSeconds: median of the dwell histogram of the visits seen (unscaled) that ended in observed
 *   hours, interpolated linearly within its bucket (the open last bucket gives its lower
 *   edge); null without visits.
 * - installationUse: observed hours with someone in a zone / observed hours (null when none).
 * Pure.
 */
import { DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';
import type { HourRecord } from './hourly.ts';
import { datesBetween, dayHours, localParts } from './local-time.ts';

/** Local hour from which passers count as evening. */
export const EVENING_FROM_HOUR = 18;

export interface IndicatorValues {
  passersPerDay: number | null;
  stayingVisitsPerDay: number | null;
  personMinutesPerDay: number | null;
  medianDwellSeconds: number | null;
  eveningShare: number | null;
  installationUse: number | null;
}

export interface PeriodIndicators {
  hours: { observed: number; total: number };
  days: { complete: number; total: number };
  values: IndicatorValues;
}

/**
 * Median of a dwell histogram (buckets split at DWELL_BIN_EDGES_SECONDS, the first from 0,
 * the last open). Linear interpolation inside the bucket holding the middle visit.
 */
export function dwellMedian(histogram: readonly number[]): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  const half = total / 2;
  let before = 0;
  for (let i = 0; i < histogram.length; i++) {
    const n = histogram[i];
    if (n > 0 && before + n >= half) {
      const lo = i === 0 ? 0 : DWELL_BIN_EDGES_SECONDS[i - 1];
      if (i >= DWELL_BIN_EDGES_SECONDS.length) return lo;
      const hi = DWELL_BIN_EDGES_SECONDS[i];
      return lo + ((half - before) / n) * (hi - lo);
    }
    before += n;
  }
  return null;
}

/** Sums dwell histograms (nulls skipped). */
export function sumHistograms(histograms: Iterable<readonly number[] | null>): number[] {
  const sum = new Array<number>(DWELL_BIN_EDGES_SECONDS.length + 1).fill(0);
  for (const h of histograms) if (h) h.forEach((n, i) => (sum[i] += n));
  return sum;
}

/**
 * Indicators of the local dates [start, end). `records` may hold more hours than the
 * period; an hour of the period without a record is unobserved.
 */
export function periodIndicators(records: Iterable<HourRecord>, start: string, end: string): PeriodIndicators {
  const byHour = new Map<number, HourRecord>();
  for (const r of records) byHour.set(r.hourStartMs, r);

  let totalHours = 0;
  let observedHours = 0;
  let occupiedHours = 0;
  const dwell: (number[] | null)[] = [];
  const days = datesBetween(start, end);
  let complete = 0;
  const sums = { passers: 0, staying: 0, personMinutes: 0, evening: 0 };

  for (const date of days) {
    const hours = dayHours(date).map((t) => byHour.get(t));
    totalHours += hours.length;
    const seen = hours.filter((h): h is HourRecord => h !== undefined && h.observed);
    observedHours += seen.length;
    occupiedHours += seen.filter((h) => h.occupied).length;
    for (const h of seen) dwell.push(h.rawDwellHistogram);
    if (seen.length !== hours.length) continue;
    complete++;
    for (const h of seen) {
      sums.passers += h.passers ?? 0;
      sums.staying += h.stayingVisits ?? 0;
      sums.personMinutes += h.personMinutes ?? 0;
      if (localParts(h.hourStartMs).hour >= EVENING_FROM_HOUR) sums.evening += h.passers ?? 0;
    }
  }

  const perDay = (sum: number) => (complete > 0 ? sum / complete : null);
  return {
    hours: { observed: observedHours, total: totalHours },
    days: { complete, total: days.length },
    values: {
      passersPerDay: perDay(sums.passers),
      stayingVisitsPerDay: perDay(sums.staying),
      personMinutesPerDay: perDay(sums.personMinutes),
      medianDwellSeconds: dwellMedian(sumHistograms(dwell)),
      eveningShare: complete > 0 && sums.passers > 0 ? sums.evening / sums.passers : null,
      installationUse: observedHours > 0 ? occupiedHours / observedHours : null,
    },
  };
}
