/**
 * Like with like: hourly samples grouped into (local weekday × local hour) cells, and the
 * cells that every compared period (and the control's periods) observed.
 *
 * A sample is one UTC hour. Its cell is the local (Europe/Copenhagen) weekday and hour the
 * hour starts in. On the autumn DST night the local hour 02 happens twice: those are two
 * UTC hours, so two samples of that cell (each a full hour of counts, not one merged hour).
 * On the spring night the local hour 02 does not exist: that day adds no sample to its cell.
 * A null value (an hour the cameras did not observe) is no sample at all, never a 0.
 */

export interface HourSample {
  hourStartMs: number;
  /** Local ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local hour, 0–23. */
  hour: number;
  /** The measure in this hour, or null when the hour was not observed. */
  value: number | null;
}

/** Cell key: (weekday − 1) × 24 + hour, 0 (Monday 00) … 167 (Sunday 23). */
export type CellKey = number;

export const cellKey = (weekday: number, hour: number): CellKey => (weekday - 1) * 24 + hour;
export const cellOf = (key: CellKey): { weekday: number; hour: number } => ({ weekday: Math.floor(key / 24) + 1, hour: key % 24 });

/** The observed values of one period, by cell. */
export type CellSamples = Map<CellKey, number[]>;

export function groupByCell(samples: readonly HourSample[]): CellSamples {
  const cells: CellSamples = new Map();
  for (const s of samples) {
    if (s.value === null) continue;
    if (!Number.isFinite(s.value)) throw new RangeError(`hour ${new Date(s.hourStartMs).toISOString()}: value ${s.value} is not a finite number`);
    if (!(Number.isInteger(s.weekday) && s.weekday >= 1 && s.weekday <= 7 && Number.isInteger(s.hour) && s.hour >= 0 && s.hour <= 23)) {
      throw new RangeError(`hour ${new Date(s.hourStartMs).toISOString()}: weekday ${s.weekday} / hour ${s.hour} is not a local weekday 1–7 and hour 0–23`);
    }
    const key = cellKey(s.weekday, s.hour);
    const values = cells.get(key);
    if (values) values.push(s.value);
    else cells.set(key, [s.value]);
  }
  return cells;
}

/** The cells with at least one observed sample in every period given, ascending. */
export function matchedCells(...periods: readonly CellSamples[]): CellKey[] {
  if (periods.length === 0) return [];
  const [first, ...rest] = periods;
  return [...first.keys()].filter((k) => rest.every((p) => (p.get(k)?.length ?? 0) > 0)).sort((a, b) => a - b);
}

/** A period's samples restricted to the matched cells. */
export function restrict(period: CellSamples, cells: readonly CellKey[]): number[][] {
  return cells.map((k) => period.get(k) ?? []);
}
