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
 * - seen: what was counted in the period as seen (unscaled) and over how many seconds, observed
 *   hours or not: for a period too short to have values (a new camera, a demo clip) a page
 *   can show it with its coverage, never as a value of the period.
 * Pure.
 */
import { dwellMedian, sumHistograms } from '@byliv/protocol';
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

/** Counts of a period as they were seen, over `seconds` of observation (the least-seeing camera's). */
export interface SeenInPeriod {
  seconds: number;
  passers: number;
  stayingVisits: number;
  personMinutes: number;
}

export interface PeriodIndicators {
  hours: { observed: number; total: number };
  seen: SeenInPeriod;
  days: { complete: number; total: number };
  values: IndicatorValues;
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
  const seenSums: SeenInPeriod = { seconds: 0, passers: 0, stayingVisits: 0, personMinutes: 0 };

  for (const date of days) {
    const hours = dayHours(date).map((t) => byHour.get(t));
    totalHours += hours.length;
    for (const h of hours) {
      if (!h) continue;
      seenSums.seconds += h.observedSeconds;
      seenSums.passers += h.seen.passers;
      seenSums.stayingVisits += h.seen.stayingVisits;
      seenSums.personMinutes += h.seen.personMinutes;
    }
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
    seen: seenSums,
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
