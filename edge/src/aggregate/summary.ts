/** Run totals from count batches: the one definition lives in the protocol, shared with the hub. */
import { z } from 'zod';
import { CountSummary } from '@byliv/protocol';

export { SummaryAccumulator, summarizeBatches } from '@byliv/protocol';

/**
 * The edge's `--summary` file: the hub's CountSummary, plus three fields present only when the
 * source ended early. A complete run's file is therefore exactly what the hub's `summary`
 * gives for the same batches; the hub cannot know how long a file was meant to be, so these
 * fields are the edge's alone.
 */
export const RunSummary = CountSummary.extend({
  partial: z.literal(true).optional(),
  framesRead: z.number().int().nonnegative().optional(),
  /** null when the source said nothing about its length (a file without a frame count). */
  framesExpected: z.number().int().nonnegative().nullable().optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** The summary to write: marked partial, with frames read and expected, only when it is. */
export function runSummary(totals: CountSummary, source: { partial: boolean; framesRead: number; framesExpected: number | null }): RunSummary {
  return source.partial ? { ...totals, partial: true, framesRead: source.framesRead, framesExpected: source.framesExpected } : totals;
}
