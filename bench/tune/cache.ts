/** The cached-detections file that bench/tune/cache-detections.ts writes and the sweep reads. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Detection } from '../../edge/src/types.ts';

export interface CachedFrame {
  /** 0-based frame index (MOTChallenge frame = index + 1). */
  index: number;
  /** Stream time in seconds, from the source stage. */
  time: number;
  detections: Detection[];
}

export interface DetectionCache {
  video: string;
  model: string;
  width: number;
  height: number;
  /** Lowest score kept; re-threshold upwards when replaying. */
  scoreThreshold: number;
  fps: number;
  /** Size of the source frames (detections are in these pixels). */
  sourceWidth: number;
  sourceHeight: number;
  /** Detector call (inference + decode) per frame while caching, on this machine. */
  inferenceMsPerFrame: number;
  frames: CachedFrame[];
}

export const OUT_DIR = fileURLToPath(new URL('../out/', import.meta.url));

/** PETS09-S2L1 (the tuning sequence) keeps the short name; other videos get their folder's name in front. */
/** With `coarse`, a two-pass detector's merged boxes, or with `coarseOnly` its coarse pass alone. */
export function cachePath(width: number, height: number, scoreThreshold: number, sequence = '', coarse?: { width: number; height: number }, coarseOnly = false): string {
  const passes = `${width}x${height}${coarse ? `${coarseOnly ? '-only-' : '+'}${coarse.width}x${coarse.height}` : ''}`;
  return `${OUT_DIR}${sequence ? `${sequence}-` : ''}dets-${passes}-s${scoreThreshold}.json`;
}

export function readCache(path: string): DetectionCache {
  let raw: DetectionCache;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as DetectionCache;
  } catch (error) {
    throw new Error(`cannot read detection cache ${path}: ${(error as Error).message} (make it with bench/tune/cache-detections.ts)`);
  }
  if (!Array.isArray(raw.frames) || raw.frames.length === 0) throw new Error(`detection cache ${path}: field frames is empty or missing`);
  return raw;
}
