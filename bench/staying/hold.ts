/**
 * Holding one frame of a sequence for a while: the people in it stand still, then walk on.
 * Pure functions: the ground truth of the held sequence, the frame mapping, and the ffmpeg
 * filter that makes the video. make-staying.ts runs ffmpeg with them.
 *
 * Frames are 1-based as in MOTChallenge files. Holding frame K for N extra frames gives a
 * sequence of (source frames + N) frames:
 *   output 1 … K            = source 1 … K
 *   output K+1 … K+N        = source K again (the hold)
 *   output K+N+1 … end      = source K+1 … end
 */
import type { MotBox } from '../mot/gt.ts';

function checkHold(holdFrame: number, holdFrames: number): void {
  if (!Number.isInteger(holdFrame) || holdFrame < 1) throw new RangeError(`holdFrame must be a whole number >= 1 (1-based, as in gt.txt), got ${holdFrame}`);
  if (!Number.isInteger(holdFrames) || holdFrames < 0) throw new RangeError(`holdFrames must be a whole number >= 0, got ${holdFrames}`);
}

/**
 * The ground truth of the held sequence: boxes of frames <= holdFrame unchanged, the boxes of
 * holdFrame repeated (same ids, same boxes) for holdFrame+1 … holdFrame+holdFrames, later
 * frames shifted by holdFrames. Sorted by frame, then id. The input is not modified.
 */
export function holdGroundTruth(gt: readonly MotBox[], holdFrame: number, holdFrames: number): MotBox[] {
  checkHold(holdFrame, holdFrames);
  const out: MotBox[] = [];
  for (const b of gt) {
    if (b.frame < holdFrame) out.push({ ...b });
    else if (b.frame === holdFrame) for (let k = 0; k <= holdFrames; k++) out.push({ ...b, frame: holdFrame + k });
    else out.push({ ...b, frame: b.frame + holdFrames });
  }
  return out.sort((a, b) => a.frame - b.frame || a.id - b.id);
}

/** Which source frame (1-based) output frame `outFrame` (1-based) shows. */
export function sourceFrameOf(outFrame: number, holdFrame: number, holdFrames: number): number {
  checkHold(holdFrame, holdFrames);
  if (!Number.isInteger(outFrame) || outFrame < 1) throw new RangeError(`outFrame must be a whole number >= 1, got ${outFrame}`);
  if (outFrame <= holdFrame) return outFrame;
  if (outFrame <= holdFrame + holdFrames) return holdFrame;
  return outFrame - holdFrames;
}

export interface HoldFilterOptions {
  /**
   * Strength of ffmpeg's `noise` filter on every component (`alls`, 0–100), temporal (`allf=t`)
   * so that the held frames differ from each other like a live camera's; 0 for no noise.
   * Default 6 (see README: about σ 2.9 grey levels frame to frame after CRF 18).
   */
  noise?: number;
  /** Seed of the noise (`all_seed`), so the same parameters make the same video. Default 1. */
  seed?: number;
  /**
   * What the `loop` filter's `start` counts from, on the ffmpeg at hand: 0 where `start=S`
   * loops the frame with 0-based index S (the documented meaning), 1 where it loops index
   * S−1 (FFmpeg 5.1, which counts the frame before testing it). make-staying.ts measures it
   * with probeLoopStartOffset(). Default 0.
   */
  loopStartOffset?: number;
}

export const DEFAULT_NOISE = 6;
export const DEFAULT_SEED = 1;

/**
 * The `-vf` filter chain that holds `holdFrame` (1-based) for `holdFrames` extra frames:
 * `loop=loop=N:size=1:start=S`, then `setpts=round(N/FRAME_RATE/TB)` so the timestamps are
 * frame index / frame rate again (the loop filter leaves the repeated frames' times to the
 * later filters; `round` because setpts truncates, and N/FRAME_RATE/TB evaluated in floating
 * point gives 685.99999 for frame 686 at 10 fps), then temporal noise.
 */
export function holdFilter(holdFrame: number, holdFrames: number, opts: HoldFilterOptions = {}): string {
  checkHold(holdFrame, holdFrames);
  const noise = opts.noise ?? DEFAULT_NOISE;
  const seed = opts.seed ?? DEFAULT_SEED;
  const offset = opts.loopStartOffset ?? 0;
  if (!Number.isInteger(noise) || noise < 0 || noise > 100) throw new RangeError(`noise must be a whole number from 0 to 100, got ${noise}`);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be a whole number >= 0, got ${seed}`);
  if (offset !== 0 && offset !== 1) throw new RangeError(`loopStartOffset must be 0 or 1, got ${offset}`);
  const parts: string[] = [];
  if (holdFrames > 0) parts.push(`loop=loop=${holdFrames}:size=1:start=${holdFrame - 1 + offset}`);
  parts.push('setpts=round(N/FRAME_RATE/TB)');
  if (noise > 0) parts.push(`noise=alls=${noise}:allf=t:all_seed=${seed}`);
  return parts.join(',');
}
