/**
 * How a bin is shared among the clock hours it overlaps: a bin from 10:55 to 11:10 gives a
 * third of itself (its counts, its observed seconds) to 10:00 and two thirds to 11:00. One
 * rule for completeness and for the indicators, so the two never disagree about an hour.
 */
export const HOUR_MS = 3_600_000;

/**
 * Calls `visit(h, part)` for each hour index h (hours counted from `firstHourMs`, fewer than
 * `hourCount`) that the bin overlaps, with the share of the bin's length inside that hour.
 */
export function forEachHourOverlap(bin: { binStartMs: number; binSeconds: number }, firstHourMs: number, hourCount: number, visit: (h: number, part: number) => void): void {
  const startMs = bin.binStartMs;
  const endMs = startMs + bin.binSeconds * 1000;
  for (let h = Math.max(0, Math.floor((startMs - firstHourMs) / HOUR_MS)); h < hourCount; h++) {
    const hourStart = firstHourMs + h * HOUR_MS;
    if (hourStart >= endMs) break;
    const overlap = Math.min(endMs, hourStart + HOUR_MS) - Math.max(startMs, hourStart);
    if (overlap > 0) visit(h, overlap / (bin.binSeconds * 1000));
  }
}
