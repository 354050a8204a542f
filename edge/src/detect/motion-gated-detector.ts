/**
 * A Detector that skips inference on frames where nothing moved while no one is tracked.
 *
 * Counts stay honest because the gate only ever answers "no one here" when that is what the
 * model would have had no reason to say otherwise:
 * - While the tracker holds any track (tentative, tracked or lost) every frame is detected, so
 *   a person who sits still on a bench keeps being seen and is never aged out for want of motion.
 * - A gated frame returns no boxes and still goes through the pipeline: the tracker ages exactly
 *   as on a frame with zero detections, and the bin counts the frame as processed (observed
 *   time), never as a dropped frame or a gap.
 * - Every `recheckSeconds` of stream time a frame is detected whatever the gate says, so someone
 *   already sitting still when the camera starts (or who arrives without the grid noticing) is
 *   found within that time.
 */
import type { Detection, Frame } from '../types.ts';
import type { Detector } from './detector.ts';
import { MotionGate, type MotionGateOptions } from './motion-gate.ts';

export interface MotionGatedOptions extends MotionGateOptions {
  /** Detect at least once per this much stream time even when nothing moves. Default 2 s. */
  recheckSeconds?: number;
}

export interface GateCounts {
  detected: number;
  gated: number;
}

export class MotionGatedDetector implements Detector {
  readonly counts: GateCounts = { detected: 0, gated: 0 };
  private readonly gate: MotionGate;
  private readonly recheckSeconds: number;
  private lastDetectedAt = -Infinity;

  /** `tracking()` says whether the counting pipeline holds any track right now. */
  constructor(
    private readonly inner: Detector,
    private readonly tracking: () => boolean,
    options: MotionGatedOptions = {},
  ) {
    this.gate = new MotionGate(options);
    this.recheckSeconds = options.recheckSeconds ?? 2;
  }

  get manifest() {
    return this.inner.manifest;
  }
  get inputWidth() {
    return this.inner.inputWidth;
  }
  get inputHeight() {
    return this.inner.inputHeight;
  }

  /** Whether `frame` needs the model; the gate's reference follows every frame either way. */
  private needsModel(frame: Frame): boolean {
    const moved = this.gate.moved(frame.pixels, frame.width, frame.height);
    const due = !(frame.time - this.lastDetectedAt < this.recheckSeconds);
    const needed = moved || due || this.tracking();
    if (needed) {
      this.lastDetectedAt = frame.time;
      this.counts.detected++;
    } else this.counts.gated++;
    return needed;
  }

  async detect(frame: Frame): Promise<Detection[]> {
    return this.needsModel(frame) ? this.inner.detect(frame) : [];
  }

  async detectBatch(frames: Frame[]): Promise<Detection[][]> {
    const needed = frames.map((f) => this.needsModel(f));
    const run = frames.filter((_, i) => needed[i]);
    let found: Detection[][] = [];
    if (run.length > 0 && this.inner.detectBatch) found = await this.inner.detectBatch(run);
    else for (const f of run) found.push(await this.inner.detect(f)); // one at a time: the session is not shared between calls
    let next = 0;
    return needed.map((n) => (n ? found[next++] : []));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
