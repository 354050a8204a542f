/**
 * A detector that looks at each frame twice: at the fine size ffmpeg scaled it to, for far
 * and small people, and at a coarse size scaled from that frame here, for near people the
 * model was never trained to see that large (they fill more of a 512-px frame than of the
 * 320-px frames it learned from). Both passes share one ONNX session; their boxes, in source
 * pixels, are merged by class-wise NMS. The figures behind it are in bench/README.md.
 */
import type { ModelManifest } from '@byliv/models';
import type { Detection, Frame } from '../types.ts';
import { DEFAULT_NMS_IOU, type Detector } from './detector.ts';
import { mergeDetections } from './merge.ts';
import { createOnnxDetector, type OnnxDetector, type OnnxDetectorOptions } from './onnx-detector.ts';
import { resizeArea } from './resize.ts';

/**
 * The coarse pass's boxes shorter than this, in its own input pixels, are dropped: small
 * people are the fine pass's (merge.ts says why). On PETS09-S2L1 (dev) 64 to 96 gave the
 * same figures and below 64 ID switches rose; TUD-Campus did not move from 32 to 96.
 */
export const DEFAULT_COARSE_MIN_HEIGHT = 64;

export class MultiScaleDetector implements Detector {
  readonly manifest: ModelManifest;
  readonly inputWidth: number;
  readonly inputHeight: number;

  constructor(
    private readonly fine: Detector,
    private readonly coarse: Detector,
    private readonly iouThreshold = DEFAULT_NMS_IOU,
    private readonly coarseMinHeight = DEFAULT_COARSE_MIN_HEIGHT,
  ) {
    if (coarse.inputWidth >= fine.inputWidth || coarse.inputHeight >= fine.inputHeight) {
      throw new Error(`the coarse pass (${coarse.inputWidth}x${coarse.inputHeight}) must be smaller than the fine pass (${fine.inputWidth}x${fine.inputHeight})`);
    }
    this.manifest = fine.manifest;
    this.inputWidth = fine.inputWidth;
    this.inputHeight = fine.inputHeight;
  }

  /** "512x384 + 320x256": what the agent logs and the speed benchmark prints. */
  get sizes(): string {
    return `${this.fine.inputWidth}x${this.fine.inputHeight} + ${this.coarse.inputWidth}x${this.coarse.inputHeight}`;
  }

  async detect(frame: Frame): Promise<Detection[]> {
    return (await this.detectBatch([frame]))[0];
  }

  async detectBatch(frames: Frame[]): Promise<Detection[][]> {
    const { fine, coarse } = await this.detectPasses(frames);
    return frames.map((f, i) => mergeDetections([fine[i], coarse[i]], {
      iouThreshold: this.iouThreshold,
      laterPassMinHeight: (this.coarseMinHeight * f.sourceHeight) / this.coarse.inputHeight,
    }));
  }

  /** Each pass's boxes before the merge (for benchmarks that replay merge settings). */
  async detectPasses(frames: Frame[]): Promise<{ fine: Detection[][]; coarse: Detection[][] }> {
    const fine = await runBatch(this.fine, frames);
    const coarse = await runBatch(this.coarse, frames.map((f) => this.coarseFrame(f)));
    return { fine, coarse };
  }

  /** The fine frame shrunk to the coarse size; the source size, which boxes come back in, is kept. */
  coarseFrame(frame: Frame): Frame {
    const { inputWidth: width, inputHeight: height } = this.coarse;
    return { ...frame, pixels: resizeArea(frame.pixels, frame.width, frame.height, width, height), width, height };
  }

  async close(): Promise<void> {
    await this.coarse.close();
    await this.fine.close();
  }
}

function runBatch(detector: Detector, frames: Frame[]): Promise<Detection[][]> {
  return detector.detectBatch ? detector.detectBatch(frames) : Promise.all(frames.map((f) => detector.detect(f)));
}

/**
 * The agent's detector: one pass at `fine`, or a fine and a coarse pass over one session.
 * `threads` etc. as for createOnnxDetector.
 */
export async function createDetector(
  manifestPath: string,
  sizes: { fine: { width: number; height: number }; coarse?: { width: number; height: number } },
  opts: Omit<OnnxDetectorOptions, 'inputWidth' | 'inputHeight'> = {},
): Promise<OnnxDetector | MultiScaleDetector> {
  const fine = await createOnnxDetector(manifestPath, { ...opts, inputWidth: sizes.fine.width, inputHeight: sizes.fine.height });
  if (!sizes.coarse) return fine;
  try {
    return new MultiScaleDetector(fine, fine.atSize(sizes.coarse.width, sizes.coarse.height), opts.iouThreshold);
  } catch (err) {
    await fine.close();
    throw err;
  }
}
