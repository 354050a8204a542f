import { z } from 'zod';
import { Id, IdRecord } from './ids.ts';
import { DWELL_BIN_EDGES_SECONDS } from './classes.ts';

export const PROTOCOL_VERSION = 1;

const Count = z.number().int().nonnegative();
/** Counts by movement class; a class with nothing in it may be left out. */
export const ClassCounts = z
  .object({ person: Count.default(0), cyclist: Count.default(0) })
  .strict();
export type ClassCounts = z.infer<typeof ClassCounts>;

export const LineBin = z.object({ forward: ClassCounts, backward: ClassCounts }).strict();
export type LineBin = z.infer<typeof LineBin>;

export const ZoneBin = z
  .object({
    entries: ClassCounts,
    exits: ClassCounts,
    /** Sum over observed frames of (people inside × frame duration). */
    personSeconds: z.number().nonnegative().finite(),
    occupancyMax: Count,
    occupancyMean: z.number().nonnegative().finite(),
    /** Visits that ended in this bin, by dwell time; see DWELL_BIN_EDGES_SECONDS. */
    dwellHistogram: z.array(Count).length(DWELL_BIN_EDGES_SECONDS.length + 1),
  })
  .strict();
export type ZoneBin = z.infer<typeof ZoneBin>;

export const Flow = z.object({ from: Id, to: Id, count: Count.min(1) }).strict();
export type Flow = z.infer<typeof Flow>;

/** How much of the bin was actually seen, so missing data is never read as an empty square. */
export const BinQuality = z
  .object({
    framesProcessed: Count,
    framesExpected: Count,
    /** Seconds of the bin with no frames at all (camera dropped, agent down). */
    gapSeconds: z.number().nonnegative().finite(),
  })
  .strict();
export type BinQuality = z.infer<typeof BinQuality>;

/** One closed time bin of one camera: anonymous counts only. */
export const CountBatch = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    /** Unique per bin and camera; the hub's dedup key, so a replay is harmless. */
    batchId: z.string().min(1).max(200),
    site: Id,
    camera: Id,
    /** Monotonic per camera. */
    seq: z.number().int().nonnegative(),
    /** Between 1900 and 2100 (UTC year): a bin far outside would become a camera's "last bin" for ever. */
    binStart: z.iso.datetime({ offset: true }).refine(isPlausibleInstant, 'must be an instant in the years 1900 to 2100'),
    binSeconds: z.number().int().positive().max(86_400),
    lines: IdRecord(LineBin),
    zones: IdRecord(ZoneBin),
    flows: z.array(Flow),
    quality: BinQuality,
    /**
     * Present (true) when the agent closed the bin early: it was stopped (Ctrl-C, --max-frames)
     * before the bin's end. The hub replaces a stored partial batch by a complete one with the
     * same batchId (a rerun of the same file), never the other way round. A bin cut short by
     * the end of its file is complete: no rerun can add to it.
     */
    partial: z.literal(true).optional(),
  })
  .strict();
export type CountBatch = z.infer<typeof CountBatch>;

function isPlausibleInstant(iso: string): boolean {
  const year = new Date(iso).getUTCFullYear();
  return year >= 1900 && year <= 2100;
}

/**
 * The deterministic batch id: the same bin of the same camera always gets the same id, so a
 * replayed file dedups at the hub. A live agent passes its `session` (when it started): a
 * restart in the middle of a bin then sends a second, partial batch for that bin rather
 * than one the hub would drop as a duplicate.
 */
export function batchIdFor(site: string, camera: string, binStart: string, session?: string): string {
  return session ? `${site}/${camera}/${binStart}@${session}` : `${site}/${camera}/${binStart}`;
}
