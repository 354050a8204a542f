/**
 * The detector on ONNX Runtime (CPU). The manifest says everything model-specific: input
 * name, size, layout and dtype, decoder and class names. Its sha256 is checked by
 * loadManifest before the session is opened, so a replaced or damaged file never runs.
 */
import { availableParallelism } from 'node:os';
import ort from '@byliv/models/onnx-runtime';
import { decoders, loadManifest, type DecodeOptions, type DecoderOutputs, type ModelManifest, type NanoDetDecodeOptions, type RawDetection } from '@byliv/models';
import type { Detection, Frame } from '../types.ts';
import { DEFAULT_KEEP_CLASSES, DEFAULT_NMS_IOU, DEFAULT_SCORE_THRESHOLD, type Detector } from './detector.ts';
import { inputData } from './preprocess.ts';

export interface OnnxDetectorOptions {
  /** Lowest score kept; default DEFAULT_SCORE_THRESHOLD. */
  scoreThreshold?: number;
  /** Class-wise NMS overlap; default DEFAULT_NMS_IOU. */
  iouThreshold?: number;
  /** ONNX Runtime intra-op threads; default the number of cores. */
  threads?: number;
  /** Input size; may differ from the manifest's only when the model takes any size (dynamicSize). */
  inputWidth?: number;
  inputHeight?: number;
  /** Class names kept; default person and bicycle. */
  keepClasses?: readonly string[];
  /**
   * Let ONNX Runtime's threads busy-wait between and after operators; default false. The
   * agent shares a few cores with ffmpeg (and other cameras' sessions): spinning threads
   * burn the CPU those need, and on the 2-core dev box under load a frame took more CPU
   * time and more wall time with spinning than without.
   */
  spinWait?: boolean;
}

/** Checks a requested input size against what the model accepts. */
export function resolveInputSize(manifest: ModelManifest, manifestPath: string, opts: Pick<OnnxDetectorOptions, 'inputWidth' | 'inputHeight'>): { width: number; height: number } {
  const width = opts.inputWidth ?? manifest.input.width;
  const height = opts.inputHeight ?? manifest.input.height;
  if (width === manifest.input.width && height === manifest.input.height) return { width, height };
  if (!manifest.input.dynamicSize) {
    throw new Error(`model ${manifestPath} takes only ${manifest.input.width}x${manifest.input.height} input (input.dynamicSize is false); asked for ${width}x${height}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width % 32 || height % 32) {
    throw new Error(`input size ${width}x${height} for model ${manifestPath}: width and height must be positive multiples of 32`);
  }
  return { width, height };
}

export class OnnxDetector implements Detector {
  private readonly decodeOptions: DecodeOptions;

  constructor(
    readonly manifest: ModelManifest,
    private readonly session: ort.InferenceSession,
    readonly inputWidth: number,
    readonly inputHeight: number,
    private readonly opts: OnnxDetectorOptions,
    /** False for a view made by `atSize`: the session belongs to the detector it came from. */
    private readonly ownsSession = true,
  ) {
    this.decodeOptions = {
      inputWidth,
      inputHeight,
      scoreThreshold: opts.scoreThreshold ?? DEFAULT_SCORE_THRESHOLD,
      iouThreshold: opts.iouThreshold ?? DEFAULT_NMS_IOU,
      classes: manifest.classes,
      keepClasses: new Set(opts.keepClasses ?? DEFAULT_KEEP_CLASSES),
      outputNames: manifest.outputs,
    };
  }

  /**
   * The same model and session at another input size (the model must take any size): a
   * second detector pass costs no second copy of the weights. Closing the view is a no-op.
   */
  atSize(width: number, height: number): OnnxDetector {
    const size = resolveInputSize(this.manifest, this.manifest.name, { inputWidth: width, inputHeight: height });
    return new OnnxDetector(this.manifest, this.session, size.width, size.height, this.opts, false);
  }

  async detect(frame: Frame): Promise<Detection[]> {
    return (await this.detectBatch([frame]))[0];
  }

  /** One inference call for all frames when the model has a dynamic batch, else one per frame. */
  async detectBatch(frames: Frame[]): Promise<Detection[][]> {
    if (frames.length === 0) return [];
    if (frames.length > 1 && !this.manifest.input.dynamicBatch) {
      const all: Detection[][] = [];
      for (const f of frames) all.push(await this.detect(f));
      return all;
    }
    const outputs = await this.infer(frames);
    return frames.map((frame, b) => toSource(this.decode(outputs, b), frame, this.inputWidth, this.inputHeight));
  }

  /** The inference call alone (what bench/detector.ts times), outputs as the decoders take them. */
  async infer(frames: readonly Frame[]): Promise<DecoderOutputs> {
    for (const f of frames) this.checkFrame(f);
    const input = inputData(frames.map((f) => f.pixels), this.manifest.input, this.inputWidth, this.inputHeight);
    const tensor = new ort.Tensor(input.dtype, input.data, input.dims);
    const results = await this.session.run({ [this.manifest.input.name]: tensor });
    const outputs: DecoderOutputs = {};
    for (const name of this.manifest.outputs) {
      const t = results[name];
      if (t.type !== 'float32') throw new Error(`model ${this.manifest.name}: output "${name}" is ${t.type}, decoders take float32`);
      outputs[name] = { data: t.data as Float32Array, dims: t.dims };
    }
    return outputs;
  }

  /**
   * Boxes of image `batchIndex` of an `infer` result, in model-input pixels. `overrides` lets a
   * benchmark decode one result several ways (thresholds, NanoDet's cell-centre convention).
   */
  decode(outputs: DecoderOutputs, batchIndex = 0, overrides: Partial<NanoDetDecodeOptions> = {}): RawDetection[] {
    return decoders[this.manifest.decoder](outputs, { ...this.decodeOptions, ...overrides, batchIndex });
  }

  async close(): Promise<void> {
    if (this.ownsSession) await this.session.release();
  }

  private checkFrame(f: Frame): void {
    if (f.width !== this.inputWidth || f.height !== this.inputHeight) {
      throw new Error(`frame ${f.index} is ${f.width}x${f.height}, but the detector (${this.manifest.name}) takes ${this.inputWidth}x${this.inputHeight}: scale frames to the detector's input size`);
    }
    if (f.pixels.length !== f.width * f.height * 3) {
      throw new Error(`frame ${f.index} has ${f.pixels.length} bytes of pixels, expected ${f.width} x ${f.height} x 3 = ${f.width * f.height * 3}`);
    }
  }
}

/** Model-input pixels -> source-frame pixels (frames are stretched, not letterboxed). */
export function toSource(dets: readonly RawDetection[], frame: Pick<Frame, 'sourceWidth' | 'sourceHeight'>, inputWidth: number, inputHeight: number): Detection[] {
  const sx = frame.sourceWidth / inputWidth;
  const sy = frame.sourceHeight / inputHeight;
  return dets.map((d) => ({ box: [d.box[0] * sx, d.box[1] * sy, d.box[2] * sx, d.box[3] * sy], score: d.score, label: d.label }));
}

export async function createOnnxDetector(manifestPath: string, opts: OnnxDetectorOptions = {}): Promise<OnnxDetector> {
  const { manifest, modelPath } = await loadManifest(manifestPath);
  const { width, height } = resolveInputSize(manifest, manifestPath, opts);
  const threads = opts.threads ?? availableParallelism();
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Flattened by the binding to the session config key "session.intra_op.allow_spinning".
    extra: { session: { intra_op: { allow_spinning: opts.spinWait ? '1' : '0' } } },
  });
  try {
    if (!session.inputNames.includes(manifest.input.name)) {
      throw new Error(`model ${modelPath} has inputs ${session.inputNames.join(', ')}, but ${manifestPath} names input "${manifest.input.name}" (field input.name)`);
    }
    const missing = manifest.outputs.filter((n) => !session.outputNames.includes(n));
    if (missing.length) {
      throw new Error(`model ${modelPath} has outputs ${session.outputNames.join(', ')}, but ${manifestPath} lists ${missing.join(', ')} (field outputs)`);
    }
    for (const name of opts.keepClasses ?? []) {
      if (!manifest.classes.includes(name)) throw new Error(`class "${name}" to keep is not among the classes of ${manifestPath}`);
    }
  } catch (err) {
    await session.release();
    throw err;
  }
  return new OnnxDetector(manifest, session, width, height, opts);
}
