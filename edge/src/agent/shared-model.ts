/**
 * One ONNX session for every camera of the agent. Each camera gets its own Detector at its
 * own input sizes (views over the one session, see OnnxDetector.atSize), so the weights are
 * loaded once however many cameras there are.
 *
 * Inference calls are run one at a time, in the order cameras ask: a session already uses
 * every core it is given, and two runs at once on a 2-core box only fight over the cores
 * (and ffmpeg's). Cameras interleave frame by frame; bench/multi-camera.ts measures it.
 */
import type { Detection, Frame } from '../types.ts';
import { createOnnxDetector, MultiScaleDetector, type Detector, type OnnxDetector } from '../detect/index.ts';
import type { InputSizes } from '../run/input-size.ts';

export interface SharedModelOptions {
  threads?: number;
  /**
   * Frames of cameras at the same input size that wait for the session at the same time go
   * in one inference call (where the model takes a batch). Off by default: see
   * bench/multi-camera.ts for what it gives.
   */
  batchAcrossCameras?: boolean;
}

interface Waiting {
  /** Cameras with equal keys have equal input sizes, so their frames fit one batch. */
  key: string;
  detector: Detector;
  frame: Frame;
  resolve: (detections: Detection[]) => void;
  reject: (error: Error) => void;
}

export class SharedModel {
  private base: Promise<OnnxDetector> | undefined;
  private readonly waiting: Waiting[] = [];
  /** Set and cleared in the same synchronous step as the queue check, so no call is ever left waiting. */
  private draining = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    readonly manifestPath: string,
    private readonly opts: SharedModelOptions = {},
  ) {}

  /** A detector for one camera. The session opens on the first call (at that camera's fine size). */
  async detectorFor(sizes: InputSizes): Promise<Detector> {
    this.base ??= createOnnxDetector(this.manifestPath, { threads: this.opts.threads, inputWidth: sizes.fine.width, inputHeight: sizes.fine.height });
    const base = await this.base;
    const fine = base.atSize(sizes.fine.width, sizes.fine.height);
    const inner: Detector = sizes.coarse ? new MultiScaleDetector(fine, fine.atSize(sizes.coarse.width, sizes.coarse.height)) : fine;
    const key = `${sizes.fine.width}x${sizes.fine.height}+${sizes.coarse ? `${sizes.coarse.width}x${sizes.coarse.height}` : ''}`;
    return new QueuedDetector(inner, (frame) => this.enqueue(key, inner, frame));
  }

  async close(): Promise<void> {
    const base = this.base;
    this.base = undefined;
    await this.idle;
    if (base) await (await base).close();
  }

  private enqueue(key: string, detector: Detector, frame: Frame): Promise<Detection[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, detector, frame, resolve, reject });
      if (this.draining) return;
      this.draining = true;
      this.idle = this.drain();
    });
  }

  /** Runs the waiting calls, oldest first; with batching, the oldest takes along every waiting frame of its size. */
  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const head = this.waiting[0];
      const batch = this.opts.batchAcrossCameras && head.detector.detectBatch && head.detector.manifest.input.dynamicBatch ? this.waiting.filter((w) => w.key === head.key) : [head];
      for (const w of batch) this.waiting.splice(this.waiting.indexOf(w), 1);
      try {
        const results = batch.length === 1 ? [await head.detector.detect(head.frame)] : await head.detector.detectBatch!(batch.map((w) => w.frame));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        // A failed call fails its own callers only; the queue goes on.
        for (const w of batch) w.reject(error as Error);
      }
    }
    this.draining = false;
  }
}

/** A camera's detector whose calls wait their turn on the shared session. Closing it leaves the session open. */
class QueuedDetector implements Detector {
  readonly manifest;
  readonly inputWidth: number;
  readonly inputHeight: number;

  constructor(
    inner: Detector,
    private readonly enqueue: (frame: Frame) => Promise<Detection[]>,
  ) {
    this.manifest = inner.manifest;
    this.inputWidth = inner.inputWidth;
    this.inputHeight = inner.inputHeight;
  }

  detect(frame: Frame): Promise<Detection[]> {
    return this.enqueue(frame);
  }

  async close(): Promise<void> {
    // Views own nothing: the session is closed by SharedModel.close.
  }
}
