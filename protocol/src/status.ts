import { z } from 'zod';
import { Id } from './ids.ts';
import { PROTOCOL_VERSION } from './batch.ts';

/** Retained per camera; the broker publishes the `offline` last-will when the agent vanishes. */
export const CameraStatus = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    site: Id,
    camera: Id,
    state: z.enum(['online', 'offline']),
    at: z.iso.datetime({ offset: true }),
    model: z.string().max(200).optional(),
    fps: z.number().nonnegative().finite().optional(),
    inferenceMs: z.number().nonnegative().finite().optional(),
    framesDropped: z.number().int().nonnegative().optional(),
    outboxDepth: z.number().int().nonnegative().optional(),
    /** Batches the outbox had to drop (too old or too many), never silently. */
    outboxDropped: z.number().int().nonnegative().optional(),
    lastFrameAt: z.iso.datetime({ offset: true }).optional(),
    message: z.string().max(500).optional(),
  })
  .strict();
export type CameraStatus = z.infer<typeof CameraStatus>;
