/** The `detect` stage's contract: frames in, person and bicycle boxes in source pixels out. */
import type { ModelManifest } from '@byliv/models';
import type { Detection, Frame } from '../types.ts';

export interface Detector {
  readonly manifest: ModelManifest;
  /** The size frames must have (ffmpeg scales to it; stretched, no letterbox). */
  readonly inputWidth: number;
  readonly inputHeight: number;
  detect(frame: Frame): Promise<Detection[]>;
  /** Several frames in one inference call where the model takes a batch. */
  detectBatch?(frames: Frame[]): Promise<Detection[][]>;
  close(): Promise<void>;
}

/**
 * Low enough for ByteTrack's second association stage, which recovers people the model is
 * unsure of (half hidden, far away) from boxes between this and its high threshold. On
 * PETS09 (bench/detector.ts, 416x416) person recall at IoU 0.5 is 96% at 0.1 against 89% at
 * 0.5; the price is clutter (precision 13%), which only the tracker's second stage sees.
 */
export const DEFAULT_SCORE_THRESHOLD = 0.1;
/** Class-wise NMS; people walking side by side overlap, so not lower. */
export const DEFAULT_NMS_IOU = 0.6;
/** Cyclists are told from pedestrians in track/ by a person box riding a bicycle box. */
export const DEFAULT_KEEP_CLASSES: readonly string[] = ['person', 'bicycle'];
