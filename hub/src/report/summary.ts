/**
 * The hub's CountSummary of stored batches, by the same rules as the edge's run summary
 * (edge/src/aggregate/summary.ts), so the two agree exactly for the same batches:
 * - frames: Σ quality.framesProcessed
 * - seconds: Σ (binSeconds − quality.gapSeconds), rounded to 3 decimals
 * - lines[id]: forward / backward summed over classes
 * - zones[id]: entries / exits summed over classes, personSeconds Σ (rounded to 3 decimals
 *   after summing), maxOccupancy = max of occupancyMax
 * Batches are summed in the order the edge made them (bin start, then seq), so even the
 * floating-point sums are added in the same order.
 */
import type { CountBatch, CountSummary } from '@byliv/protocol';

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function summarizeBatches(batches: Iterable<CountBatch>): CountSummary {
  let frames = 0;
  let seconds = 0;
  const lines: CountSummary['lines'] = {};
  const zones: CountSummary['zones'] = {};
  for (const b of batches) {
    frames += b.quality.framesProcessed;
    seconds += b.binSeconds - b.quality.gapSeconds;
    for (const [id, l] of Object.entries(b.lines)) {
      const s = (lines[id] ??= { forward: 0, backward: 0 });
      s.forward += l.forward.person + l.forward.cyclist;
      s.backward += l.backward.person + l.backward.cyclist;
    }
    for (const [id, z] of Object.entries(b.zones)) {
      const s = (zones[id] ??= { entries: 0, exits: 0, personSeconds: 0, maxOccupancy: 0 });
      s.entries += z.entries.person + z.entries.cyclist;
      s.exits += z.exits.person + z.exits.cyclist;
      s.personSeconds += z.personSeconds;
      s.maxOccupancy = Math.max(s.maxOccupancy, z.occupancyMax);
    }
  }
  for (const z of Object.values(zones)) z.personSeconds = round3(z.personSeconds);
  return { frames, seconds: round3(seconds), lines, zones };
}
