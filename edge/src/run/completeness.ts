/**
 * Did a run read the whole file? A truncated or damaged file makes ffmpeg stop early and exit
 * 0, so without this check "3 frames of 795" looks like a clean run. Pure: the agent passes in
 * what it probed and what it read.
 */
import type { VideoInfo } from '../source/probe.ts';

/**
 * Share of the expected frames a file must deliver. Not 100 %: container frame counts can
 * promise a frame or two more than decode (a damaged last frame, edit lists), and those files
 * are fine. A real truncation loses far more than 5 %.
 */
export const COMPLETE_SHARE = 0.95;

export interface Completeness {
  framesRead: number;
  /** Frames the run should have read; null when nothing says (live streams, files without a count or duration). */
  framesExpected: number | null;
  /** Frames read but not counted: ffmpeg could not decode them cleanly (see Frame.damage). */
  damagedFrames: number;
  /** The source ended far before framesExpected, a file gave no frame at all, or some were damaged. */
  partial: boolean;
}

/**
 * Frames a run over `info` should read: the container's frame count, else duration × rate,
 * capped by --max-frames. Live streams have no end, so no expectation.
 */
export function expectedFrames(info: Pick<VideoInfo, 'frames' | 'durationSeconds' | 'fps'>, opts: { live: boolean; maxFrames?: number }): number | null {
  if (opts.live) return null;
  const probed = info.frames ?? (info.durationSeconds ? Math.round(info.durationSeconds * info.fps) : undefined);
  // --max-frames alone says nothing: a file shorter than the limit is not a truncated one.
  if (probed === undefined) return null;
  return opts.maxFrames === undefined ? probed : Math.min(probed, opts.maxFrames);
}

/** Fewer frames than a whole file gives: none at all, or under COMPLETE_SHARE of those expected. */
function endedShort(framesRead: number, framesExpected: number | null): boolean {
  return framesRead === 0 || (framesExpected !== null && framesRead < COMPLETE_SHARE * framesExpected);
}

/**
 * A run stopped by the operator (Ctrl-C) is never partial here: it ended because it was asked
 * to, not because the source ran dry.
 */
export function judgeCompleteness(
  framesRead: number,
  framesExpected: number | null,
  opts: { live: boolean; stoppedByUser: boolean; damagedFrames?: number },
): Completeness {
  const damagedFrames = opts.damagedFrames ?? 0;
  // A damaged stretch is missing data whatever stopped the run: the counts cover only the rest.
  const partial = !opts.live && ((!opts.stoppedByUser && endedShort(framesRead, framesExpected)) || damagedFrames > 0);
  return { framesRead, framesExpected, damagedFrames, partial };
}

/** The operator's one line on a partial run: how many frames of how many, and what it means. */
export function describePartial(source: string, c: Completeness): string {
  if (c.damagedFrames > 0 && !endedShort(c.framesRead, c.framesExpected)) {
    return `${source} has damaged stretches: ${c.damagedFrames} of the ${c.framesRead} frames read could not be decoded cleanly and were not counted (gaps in the bins' quality); the counts cover only the rest`;
  }
  const of = c.framesExpected === null ? '' : ` of the ${c.framesExpected} expected`;
  const why = c.framesRead === 0 ? 'the file is empty, truncated or not decodable' : 'the file is probably truncated or damaged';
  return `${source} ended early: ${c.framesRead} frame${c.framesRead === 1 ? '' : 's'} read${of} (${why}); the counts cover only what was read`;
}
