/**
 * Data completeness: the share of each hour a camera actually observed. A bin's observed
 * time (binSeconds − gapSeconds) is spread over the hours the bin overlaps in proportion to
 * the overlap (bins start wherever the agent started, not on the hour; where in the bin the
 * gap fell is not known). Hours with no bins at all are listed with share 0: missing data
 * must never look like an empty square.
 */
import { forEachHourOverlap, HOUR_MS } from './hour-overlap.ts';

export interface BinCoverage {
  binStartMs: number;
  binSeconds: number;
  gapSeconds: number;
  framesProcessed: number;
  framesExpected: number;
}

export interface HourCompleteness {
  start: string;
  /** Seconds of the hour with frames, 0–3600. */
  observedSeconds: number;
  /** observedSeconds / 3600, 0–1, rounded to 4 decimals. */
  share: number;
  framesProcessed: number;
  framesExpected: number;
  /** framesProcessed / framesExpected, or null without expected frames. */
  frameShare: number | null;
}

/** A year of hours: beyond that the answer is too long to be useful; ask per year. */
export const MAX_COMPLETENESS_HOURS = 366 * 24;

export function hourlyCompleteness(bins: readonly BinCoverage[], fromMs: number, toMs: number): HourCompleteness[] {
  const first = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const count = Math.max(0, Math.ceil((toMs - first) / HOUR_MS));
  if (count > MAX_COMPLETENESS_HOURS) throw new RangeError(`the range spans ${count} hours; at most ${MAX_COMPLETENESS_HOURS} are answered at once`);
  const hours = Array.from({ length: count }, () => ({ observed: 0, processed: 0, expected: 0 }));
  for (const bin of bins) {
    const observed = Math.max(0, bin.binSeconds - bin.gapSeconds);
    forEachHourOverlap(bin, first, count, (h, part) => {
      hours[h].observed += observed * part;
      hours[h].processed += bin.framesProcessed * part;
      hours[h].expected += bin.framesExpected * part;
    });
  }
  return hours.map((h, i) => {
    const observedSeconds = Math.min(3600, Math.round(h.observed * 1000) / 1000);
    return {
      start: new Date(first + i * HOUR_MS).toISOString(),
      observedSeconds,
      share: Math.round((observedSeconds / 3600) * 10_000) / 10_000,
      framesProcessed: Math.round(h.processed),
      framesExpected: Math.round(h.expected),
      frameShare: h.expected > 0 ? Math.round(Math.min(1, h.processed / h.expected) * 10_000) / 10_000 : null,
    };
  });
}
