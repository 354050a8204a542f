import { z } from 'zod';
import type { CountBatch } from './batch.ts';
import { DWELL_BIN_EDGES_SECONDS } from './classes.ts';
import { dwellMedian, stayingVisits } from './dwell.ts';

/** Totals over a run (edge `--summary`) or a time range (hub `summary`): the same shape on both sides. */
export const CountSummary = z
  .object({
    frames: z.number().int().nonnegative(),
    seconds: z.number().nonnegative(),
    lines: z.record(z.string(), z.object({ forward: z.number().int(), backward: z.number().int() })),
    zones: z.record(
      z.string(),
      z.object({
        entries: z.number().int(),
        exits: z.number().int(),
        personSeconds: z.number(),
        maxOccupancy: z.number().int(),
        /** Visits that ended (exits, timed-out ones included); a visit still open at the end is not one. */
        visits: z.number().int().nonnegative(),
        /** Ended visits by dwell time, buckets split at DWELL_BIN_EDGES_SECONDS. */
        dwellHistogram: z.array(z.number().int().nonnegative()).length(DWELL_BIN_EDGES_SECONDS.length + 1),
        /** Ended visits of at least STAYING_SECONDS (30 s). */
        stayingVisits: z.number().int().nonnegative(),
        /** Median dwell of the ended visits, interpolated in its histogram bucket; null without visits. */
        medianDwellSeconds: z.number().nonnegative().nullable(),
      }),
    ),
  })
  .strict();
export type CountSummary = z.infer<typeof CountSummary>;

/**
 * Totals of a list of count batches: the edge's `--summary` and the hub's `summary` are both
 * this function of the same batches, so they agree exactly by construction.
 * - frames: Σ quality.framesProcessed
 * - seconds: Σ (binSeconds − quality.gapSeconds), the time covered by frames (795 frames at
 *   10 fps → 79.5 s), rounded to 3 decimals
 * - lines[id]: forward / backward summed over classes
 * - zones[id]: entries / exits summed over classes, personSeconds Σ (rounded to 3 decimals
 *   after summing), maxOccupancy = max of occupancyMax; dwellHistogram Σ per bucket, visits
 *   = Σ dwellHistogram, stayingVisits and medianDwellSeconds from it (dwell.ts)
 * Floating-point sums depend on order: add batches in the order the edge made them.
 */
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export class SummaryAccumulator {
  private frames = 0;
  private seconds = 0;
  private readonly lines = new Map<string, { forward: number; backward: number }>();
  private readonly zones = new Map<string, { entries: number; exits: number; personSeconds: number; maxOccupancy: number; dwellHistogram: number[] }>();

  /** Line and zone ids listed even when no batch has arrived (a run with no frames). */
  constructor(ids: { lineIds?: readonly string[]; zoneIds?: readonly string[] } = {}) {
    for (const id of ids.lineIds ?? []) this.line(id);
    for (const id of ids.zoneIds ?? []) this.zone(id);
  }

  add(batches: CountBatch | readonly CountBatch[]): this {
    const list = (Array.isArray(batches) ? batches : [batches]) as readonly CountBatch[];
    for (const b of list) {
      this.frames += b.quality.framesProcessed;
      this.seconds += b.binSeconds - b.quality.gapSeconds;
      for (const [id, l] of Object.entries(b.lines)) {
        const s = this.line(id);
        s.forward += l.forward.person + l.forward.cyclist;
        s.backward += l.backward.person + l.backward.cyclist;
      }
      for (const [id, z] of Object.entries(b.zones)) {
        const s = this.zone(id);
        s.entries += z.entries.person + z.entries.cyclist;
        s.exits += z.exits.person + z.exits.cyclist;
        s.personSeconds += z.personSeconds;
        s.maxOccupancy = Math.max(s.maxOccupancy, z.occupancyMax);
        z.dwellHistogram.forEach((n, i) => (s.dwellHistogram[i] += n));
      }
    }
    return this;
  }

  summary(): CountSummary {
    const lines: CountSummary['lines'] = {};
    for (const [id, l] of this.lines) lines[id] = { ...l };
    const zones: CountSummary['zones'] = {};
    for (const [id, z] of this.zones) {
      const dwellHistogram = [...z.dwellHistogram];
      zones[id] = {
        entries: z.entries,
        exits: z.exits,
        personSeconds: round3(z.personSeconds),
        maxOccupancy: z.maxOccupancy,
        visits: dwellHistogram.reduce((a, b) => a + b, 0),
        dwellHistogram,
        stayingVisits: stayingVisits(dwellHistogram),
        medianDwellSeconds: dwellMedian(dwellHistogram),
      };
    }
    return { frames: this.frames, seconds: round3(this.seconds), lines, zones };
  }

  private line(id: string) {
    let s = this.lines.get(id);
    if (!s) this.lines.set(id, (s = { forward: 0, backward: 0 }));
    return s;
  }

  private zone(id: string) {
    let s = this.zones.get(id);
    if (!s) this.zones.set(id, (s = { entries: 0, exits: 0, personSeconds: 0, maxOccupancy: 0, dwellHistogram: new Array<number>(DWELL_BIN_EDGES_SECONDS.length + 1).fill(0) }));
    return s;
  }
}

/** The summary of a list of batches. */
export function summarizeBatches(batches: Iterable<CountBatch>): CountSummary {
  return new SummaryAccumulator().add([...batches]).summary();
}
