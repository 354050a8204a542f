/**
 * The base cells of a camera's stored bins (one UTC hour × line/zone × measure × class, see
 * suppression.ts) and the hours a researcher may not see because one of them is small.
 * Used by the researcher's series, heat maps, dwell and indicators: an hour with a small base
 * cell among the subject's lines and zones counts there as not observed, so every sum they
 * show is a sum of hours whose every part is 0 or ≥ k. Pure.
 */
import { isSmall, type BaseValue } from './suppression.ts';

const HOUR_MS = 3_600_000;

/** The rows of one camera's bins, as the store reads them (store.bins.cameraRows). */
export interface CameraRows {
  bins: readonly { batchId: string; binStartMs: number; binSeconds: number }[];
  /** By class: lines and zone entries/exits of that class only. */
  byClass: readonly {
    class: 'person' | 'cyclist';
    lines: readonly { batchId: string; id: string; forward: number; backward: number }[];
    zoneCounts: readonly { batchId: string; id: string; entries: number; exits: number }[];
  }[];
  zoneBins: readonly { batchId: string; id: string; personSeconds: number; dwell: string }[];
}

/** Which of the camera's features belong to the subject (ids without the camera). */
export interface FeatureFilter {
  line(id: string): boolean;
  zone(id: string): boolean;
}

/**
 * Start (epoch ms) of every UTC hour that a bin with a small base cell of the subject's
 * features overlaps. A bin longer than an hour (a compacted day) is held wholly in the hour
 * its start falls in, so every hour it is spread over in the series is withheld with it.
 */
export function withheldHours(rows: CameraRows, features: FeatureFilter, threshold: number): Set<number> {
  const binOf = new Map(rows.bins.map((b) => [b.batchId, b]));
  const cells = new Map<string, BaseValue>();
  // The longest bin starting in each hour: how far a withheld hour reaches.
  const reach = new Map<number, number>();
  const hourOf = (batchId: string) => {
    const bin = binOf.get(batchId);
    return bin === undefined ? undefined : Math.floor(bin.binStartMs / HOUR_MS) * HOUR_MS;
  };
  for (const b of rows.bins) {
    const hour = Math.floor(b.binStartMs / HOUR_MS) * HOUR_MS;
    reach.set(hour, Math.max(reach.get(hour) ?? hour + HOUR_MS, b.binStartMs + b.binSeconds * 1000));
  }
  const add = (hour: number | undefined, key: string, value: number, people?: number) => {
    if (hour === undefined) return;
    const k = `${hour}|${key}`;
    const cell = cells.get(k) ?? { value: 0, people: people === undefined ? undefined : 0 };
    cell.value += value;
    if (people !== undefined) cell.people = (cell.people ?? 0) + people;
    cells.set(k, cell);
  };
  const entriesAll = new Map<string, number>();
  for (const c of rows.byClass) {
    for (const l of c.lines) {
      if (!features.line(l.id)) continue;
      add(hourOf(l.batchId), `line|${l.id}|forward|${c.class}`, l.forward);
      add(hourOf(l.batchId), `line|${l.id}|backward|${c.class}`, l.backward);
    }
    for (const z of c.zoneCounts) {
      if (!features.zone(z.id)) continue;
      add(hourOf(z.batchId), `zone|${z.id}|entries|${c.class}`, z.entries);
      add(hourOf(z.batchId), `zone|${z.id}|exits|${c.class}`, z.exits);
      entriesAll.set(`${z.batchId}|${z.id}`, (entriesAll.get(`${z.batchId}|${z.id}`) ?? 0) + z.entries);
    }
  }
  for (const z of rows.zoneBins) {
    if (!features.zone(z.id)) continue;
    const hour = hourOf(z.batchId);
    add(hour, `zone|${z.id}|person_seconds|all`, z.personSeconds, entriesAll.get(`${z.batchId}|${z.id}`) ?? 0);
    // Visits by dwell time are counts of people too: one base cell per bucket.
    (JSON.parse(z.dwell) as number[]).forEach((n, i) => add(hour, `zone|${z.id}|dwell${i}|all`, n));
  }
  const withheld = new Set<number>();
  for (const [key, cell] of cells) {
    if (!isSmall(cell, threshold)) continue;
    const hour = Number(key.slice(0, key.indexOf('|')));
    for (let h = hour; h < (reach.get(hour) ?? hour + HOUR_MS); h += HOUR_MS) withheld.add(h);
  }
  return withheld;
}
