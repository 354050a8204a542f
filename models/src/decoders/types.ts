/** What every output decoder takes and gives back. */

/** One named output tensor of an inference run (ONNX Runtime's Tensor fits this shape). */
export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

export type DecoderOutputs = Record<string, OutputTensor>;

export interface DecodeOptions {
  /** Size of the image the model saw (its input tensor), in pixels. */
  inputWidth: number;
  inputHeight: number;
  /** Candidates scoring below this are dropped before anything else is computed for them. */
  scoreThreshold: number;
  /** Class index -> name (the manifest's `classes`). */
  classes: readonly string[];
  /** Keep only these class names; all classes when absent. */
  keepClasses?: ReadonlySet<string>;
  /** Output tensor names in the order the decoder expects them (the manifest's `outputs`). */
  outputNames: readonly string[];
  /** IoU above which the lower-scoring box of the same class is suppressed; default 0.6. */
  iouThreshold?: number;
  /** Image of the batch to decode (dims[0] of each output); default 0. */
  batchIndex?: number;
  /** At most this many candidates per image go into NMS (the highest scoring); default 2000. */
  maxCandidates?: number;
}

/** A box in MODEL INPUT pixels: `[x1, y1, x2, y2]`. */
export type InputBox = [number, number, number, number];

export interface RawDetection {
  box: InputBox;
  score: number;
  classIndex: number;
  label: string;
}

/** Decodes one image of the batch (`opts.batchIndex`), NMS already applied. */
export type Decoder = (outputs: DecoderOutputs, opts: DecodeOptions) => RawDetection[];

export const DEFAULT_IOU_THRESHOLD = 0.6;
export const DEFAULT_MAX_CANDIDATES = 2000;
