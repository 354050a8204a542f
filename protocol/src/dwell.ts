/**
 * Dwell-time histograms of zone visits: the one definition of their median and of "staying",
 * shared by the edge's summary, the hub's summary and the hub's indicators.
 */
import { DWELL_BIN_EDGES_SECONDS } from './classes.ts';

/** A visit of at least this many seconds is a staying visit ("opholdsaktivitet"). */
export const STAYING_SECONDS = 30;

/**
 * Median of a dwell histogram (buckets split at DWELL_BIN_EDGES_SECONDS, the first from 0,
 * the last open), or null without visits. Linear interpolation inside the bucket holding the
 * middle visit: counts leave the edge binned, so this is as close as anyone can get.
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

/** Visits of at least STAYING_SECONDS in a histogram (30 s is one of its edges, so this is exact). */
export function stayingVisits(histogram: readonly number[]): number {
  const from = DWELL_BIN_EDGES_SECONDS.indexOf(STAYING_SECONDS as (typeof DWELL_BIN_EDGES_SECONDS)[number]) + 1;
  return histogram.slice(from).reduce((a, b) => a + b, 0);
}

/** The histogram bucket of a visit of `seconds`: bucket i holds [edge[i−1], edge[i]); the last is open. */
export function dwellBucket(seconds: number): number {
  for (let i = 0; i < DWELL_BIN_EDGES_SECONDS.length; i++) if (seconds < DWELL_BIN_EDGES_SECONDS[i]) return i;
  return DWELL_BIN_EDGES_SECONDS.length;
}

/** The dwell histogram of a list of visit durations (seconds). */
export function dwellHistogramOf(durations: Iterable<number>): number[] {
  const h = new Array<number>(DWELL_BIN_EDGES_SECONDS.length + 1).fill(0);
  for (const s of durations) h[dwellBucket(s)]++;
  return h;
}
