/**
 * Output decoders: model outputs -> boxes in model-input pixels, class-wise NMS applied.
 * `decoders[manifest.decoder]` picks the one a manifest names.
 */
import { decodeNanoDet } from './nanodet.ts';
import { decodeYolo } from './yolo.ts';
import type { Decoder, DecodeOptions, DecoderOutputs, RawDetection } from './types.ts';

export { decodeNanoDet, type NanoDetDecodeOptions } from './nanodet.ts';
export { decodeYolo } from './yolo.ts';
export { nms, boxIou } from './nms.ts';
export {
  DEFAULT_IOU_THRESHOLD,
  type Decoder,
  type DecodeOptions,
  type DecoderOutputs,
  type InputBox,
  type OutputTensor,
  type RawDetection,
} from './types.ts';

/** By the manifest's `decoder` field. */
export const decoders: Readonly<Record<'nanodet' | 'yolov8', Decoder>> = {
  nanodet: decodeNanoDet,
  yolov8: decodeYolo,
};

/** Decodes every image of a batched run (dims[0] of the first output). */
export function decodeBatch(decoder: Decoder, outputs: DecoderOutputs, opts: DecodeOptions): RawDetection[][] {
  const first = outputs[opts.outputNames[0] ?? ''];
  if (!first) throw new Error(`decodeBatch: no output named "${opts.outputNames[0]}" (outputs present: ${Object.keys(outputs).join(', ') || 'none'})`);
  const batch = first.dims[0];
  const images: RawDetection[][] = [];
  for (let b = 0; b < batch; b++) images.push(decoder(outputs, { ...opts, batchIndex: b }));
  return images;
}
