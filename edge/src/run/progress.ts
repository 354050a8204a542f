/** Progress of a run on stderr: a line every couple of seconds, with an ETA for files. */

export interface RunProgress {
  frames: number;
  /** Frames in the file, when known; undefined for live streams. */
  totalFrames?: number;
  elapsedSeconds: number;
  tracked: number;
  batches: number;
  queued?: number;
}

/**
 * The ETA waits for this much run time: the first frames include the model's warm-up and
 * ffmpeg's start, so a rate from them promises an end far too late (or too soon).
 */
export const ETA_AFTER_SECONDS = 5;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function formatProgress(p: RunProgress): string {
  const fps = p.elapsedSeconds > 0 ? p.frames / p.elapsedSeconds : 0;
  const parts = [`frame ${p.frames}${p.totalFrames ? `/${p.totalFrames} (${Math.floor((100 * p.frames) / p.totalFrames)}%)` : ''}`, `${fps.toFixed(1)} fps`];
  parts.push(`${plural(p.tracked, 'person', 'people')} in view`, `${plural(p.batches, 'bin', 'bins')} closed`);
  if (p.queued !== undefined) parts.push(`${p.queued} awaiting the broker`);
  if (p.totalFrames && fps > 0 && p.frames < p.totalFrames && p.elapsedSeconds >= ETA_AFTER_SECONDS) parts.push(`about ${Math.ceil((p.totalFrames - p.frames) / fps)} s left`);
  return parts.join(', ');
}

/** Calls `emit` at most once per `everyMs` (and always for the final report). */
export function throttle<T>(everyMs: number, emit: (value: T) => void, now: () => number = Date.now) {
  let last = -Infinity;
  return (value: T, force = false) => {
    const t = now();
    if (force || t - last >= everyMs) {
      last = t;
      emit(value);
    }
  };
}
