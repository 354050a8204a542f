/**
 * Which sizes the frames are scaled to before the model: a fine pass for the far, small
 * people and, by default, a coarse pass for the near, large ones.
 *
 * A model that takes any size (a multiple of its coarsest stride) gets the camera's aspect
 * ratio, so people are not squeezed. The fine pass has a long side of 512 px but never a
 * short side under 320 px, NanoDet-m's training size: 768×576 → 512×384, 1242×375 →
 * 1056×320, 1920×1080 → 576×320. The coarse pass is 0.625 × the fine size (512×384 →
 * 320×256). Measured on cached detections (bench/README.md, "Two detector passes"): the
 * coarse pass finds the near people the fine one misses (TUD-Campus MOTA 56.3 → 68.8) and
 * leaves PETS09-S2L1 at 86.3, for about 45 % more detector time. 512, 320 and 0.625 were
 * chosen on the dev sequences (PETS09-S2L1, TUD-Campus).
 */
import type { ModelManifest } from '@byliv/models';

const STRIDE = 32;
export const DEFAULT_LONG_SIDE = 512;
/** The fine pass's short side never goes below this (the model's training size). */
export const MIN_SHORT_SIDE = 320;
/** Coarse pass size / fine pass size. */
export const COARSE_RATIO = 0.625;
/** Detector passes per frame by default: fine + coarse. */
export const DEFAULT_SCALES = 2;

export interface Size {
  width: number;
  height: number;
}

export interface InputSizes {
  fine: Size;
  /** Absent with one pass, with a model of one fixed size, or when the fine size is already tiny. */
  coarse?: Size;
}

const toStride = (n: number): number => Math.max(STRIDE, Math.round(n / STRIDE) * STRIDE);

/** The fine pass's size for a source frame (or the operator's, or the model's only size). */
export function chooseInputSize(
  input: Pick<ModelManifest['input'], 'width' | 'height' | 'dynamicSize'>,
  source: Size,
  requested?: Size,
  longSide = DEFAULT_LONG_SIDE,
): Size {
  if (requested) return requested;
  if (!input.dynamicSize) return { width: input.width, height: input.height };
  const long = Math.max(source.width, source.height);
  const short = Math.min(source.width, source.height);
  // Never upscale past the source: a small camera gets its own size (in strides).
  const scale = Math.min(1, Math.max(longSide / long, MIN_SHORT_SIDE / short));
  return { width: toStride(source.width * scale), height: toStride(source.height * scale) };
}

/** Both passes' sizes. The coarse pass is scaled from the fine frame, so it must be smaller. */
export function chooseInputSizes(
  input: Pick<ModelManifest['input'], 'width' | 'height' | 'dynamicSize'>,
  source: Size,
  opts: { requested?: Size; scales?: number; longSide?: number } = {},
): InputSizes {
  const fine = chooseInputSize(input, source, opts.requested, opts.longSide);
  const scales = opts.scales ?? DEFAULT_SCALES;
  if (scales < 2 || !input.dynamicSize) return { fine };
  const coarse = { width: toStride(fine.width * COARSE_RATIO), height: toStride(fine.height * COARSE_RATIO) };
  if (coarse.width >= fine.width || coarse.height >= fine.height) return { fine };
  return { fine, coarse };
}

/** "512x384 + 320x256 (two passes)" or "512x384": for logs and benchmark tables. */
export function describeSizes(sizes: InputSizes): string {
  const fine = `${sizes.fine.width}x${sizes.fine.height}`;
  return sizes.coarse ? `${fine} + ${sizes.coarse.width}x${sizes.coarse.height} (two passes)` : fine;
}
