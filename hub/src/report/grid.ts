/**
 * The researcher grid: `from`/`to` must fall on the boundaries of whole cells, so every answer
 * is made of whole cells and no query can cut a cell in two (a part of a cell is a new, smaller
 * cell, and the difference of two parts is a count nobody checked). Off-grid values are
 * refused, not snapped: a researcher should know exactly which period the numbers cover.
 * Pure.
 */
import { ROLLUP_MS, bucketStart, type Rollup } from '../store/index.ts';

const iso = (ms: number) => new Date(ms).toISOString();

const CELL_NAMES: Record<Rollup, string> = {
  '15m': 'whole 15-minute periods',
  hour: 'whole hours',
  day: 'whole UTC days (00:00Z)',
  week: 'whole ISO weeks (Monday 00:00Z)',
};

/**
 * Null when `ms` is a boundary of the rollup's cells, else the reason, naming the parameter
 * and the nearest allowed values either side.
 */
export function offGrid(param: string, ms: number, rollup: Rollup): string | null {
  const start = bucketStart(ms, rollup);
  if (start === ms) return null;
  return `${param}: ${iso(ms)} is not on the researcher grid of ${CELL_NAMES[rollup]}; the nearest allowed values are ${iso(start)} and ${iso(start + ROLLUP_MS[rollup])}`;
}

const HOUR_MS = 3_600_000;

/**
 * The end of what a researcher may see at `nowMs`: hours that ended at least an hour ago.
 * A cell still filling up would otherwise change between two downloads a few seconds apart,
 * and the difference would be the newest bin alone. (Edge bins close at their end and arrive
 * within seconds; a camera's backlog after a longer outage can still change an hour already
 * shown: see the hub README.)
 */
export function publishedUntil(nowMs: number): number {
  return bucketStart(nowMs - HOUR_MS, 'hour');
}
