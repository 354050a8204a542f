import { z } from 'zod';

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
      }),
    ),
  })
  .strict();
export type CountSummary = z.infer<typeof CountSummary>;
