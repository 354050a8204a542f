/**
 * Hour records regrouped for charts: time series in local buckets (hour, day, ISO week,
 * month), a weekday × hour heat map, and the dwell histogram with its median.
 * A bucket's value is the sum of its observed hours (scaled), null when none was observed;
 * observedHours / totalHours say how much of it that sum stands on; observedSeconds is the
 * bucket's coverage to the second and `seen` the measure as counted in it, unscaled, observed
 * hours or not (for drawing a short or partial bucket as what it is). Pure.
 */
import { DWELL_BIN_EDGES_SECONDS, dwellMedian, sumHistograms } from '@byliv/protocol';
import type { HourRecord } from './hourly.ts';
import { HOUR_MS, addDays, dayStartMs, localDate, localParts, periodOf } from './local-time.ts';

export const MEASURES = ['passers', 'forward', 'backward', 'entries', 'exits', 'stayingVisits', 'personMinutes'] as const;
export type Measure = (typeof MEASURES)[number];
export const SERIES_ROLLUPS = ['hour', 'day', 'week', 'month'] as const;
export type SeriesRollup = (typeof SERIES_ROLLUPS)[number];

export interface SeriesPoint {
  startMs: number;
  endMs: number;
  value: number | null;
  observedHours: number;
  totalHours: number;
  /** Seconds of the bucket its least-seeing camera saw, every hour included. */
  observedSeconds: number;
  /** The measure as counted in the bucket's observed seconds, unscaled. */
  seen: number;
}

/** The local bucket holding an instant: [startMs, endMs). */
export function bucketOf(ms: number, rollup: SeriesRollup): { startMs: number; endMs: number } {
  if (rollup === 'hour') {
    const startMs = Math.floor(ms / HOUR_MS) * HOUR_MS;
    return { startMs, endMs: startMs + HOUR_MS };
  }
  const date = localDate(ms);
  if (rollup === 'day') return { startMs: dayStartMs(date), endMs: dayStartMs(addDays(date, 1)) };
  const p = periodOf(date, rollup);
  return { startMs: dayStartMs(p.start), endMs: dayStartMs(p.end) };
}

/**
 * Points for the hours [fromMs, toMs) (whole UTC hours), in local buckets clipped to the range.
 * `records` should hold those hours; a missing hour counts as unobserved.
 */
export function seriesPoints(records: readonly HourRecord[], fromMs: number, toMs: number, measure: Measure, rollup: SeriesRollup): SeriesPoint[] {
  const byHour = new Map(records.map((r) => [r.hourStartMs, r]));
  const points: SeriesPoint[] = [];
  let current: SeriesPoint | null = null;
  for (let t = Math.floor(fromMs / HOUR_MS) * HOUR_MS; t < toMs; t += HOUR_MS) {
    if (!current || t >= current.endMs) {
      const b = bucketOf(t, rollup);
      current = { startMs: Math.max(b.startMs, Math.floor(fromMs / HOUR_MS) * HOUR_MS), endMs: Math.min(b.endMs, Math.ceil(toMs / HOUR_MS) * HOUR_MS), value: null, observedHours: 0, totalHours: 0, observedSeconds: 0, seen: 0 };
      points.push(current);
    }
    current.totalHours++;
    const r = byHour.get(t);
    if (r) {
      current.observedSeconds += r.observedSeconds;
      current.seen += r.seen[measure];
    }
    const v = r?.observed ? r[measure] : null;
    if (v === null || v === undefined) continue;
    current.observedHours++;
    current.value = (current.value ?? 0) + v;
  }
  return points;
}

export interface HeatmapCell {
  /** ISO weekday, Monday 1. */
  weekday: number;
  /** Local hour 0–23. */
  hour: number;
  /** Mean of the measure over the observed hours of the cell; null when none. */
  mean: number | null;
  /** How many observed hours the mean rests on. */
  hours: number;
}

/** Mean per observed hour in each local (weekday, hour) cell; Monday 0:00 first. */
export function heatmap(records: readonly HourRecord[], measure: Measure): HeatmapCell[] {
  const sums = Array.from({ length: 7 * 24 }, () => ({ sum: 0, n: 0 }));
  for (const r of records) {
    const v = r.observed ? r[measure] : null;
    if (v === null || v === undefined) continue;
    const p = localParts(r.hourStartMs);
    const cell = sums[(p.weekday - 1) * 24 + p.hour];
    cell.sum += v;
    cell.n++;
  }
  return sums.map((c, i) => ({ weekday: Math.floor(i / 24) + 1, hour: i % 24, mean: c.n > 0 ? c.sum / c.n : null, hours: c.n }));
}

export interface DwellSummary {
  edges: number[];
  /** Visits seen (unscaled) per bucket: [0,5), [5,15), …, [1800, ∞). */
  counts: number[];
  visits: number;
  medianSeconds: number | null;
}

/** The visits that ended in observed hours, by dwell, with their median. */
export function dwellSummary(records: readonly HourRecord[]): DwellSummary {
  // A bin split over two hours gives fractional parts; the whole of each bucket is whole again.
  const counts = sumHistograms(records.filter((r) => r.observed).map((r) => r.rawDwellHistogram)).map((n) => Math.round(n));
  return { edges: [...DWELL_BIN_EDGES_SECONDS], counts, visits: counts.reduce((a, b) => a + b, 0), medianSeconds: dwellMedian(counts) };
}
