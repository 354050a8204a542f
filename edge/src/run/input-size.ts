/**
 * Which size the frames are scaled to before the model. A model that takes any size (a
 * multiple of its coarsest stride) gets the camera's aspect ratio, so people are not
 * squeezed, at a long side of 512 px: 768×576 → 512×384. On PETS09 that long side lifted
 * IDF1 from 74.7 (416×320) to 84.0 for about 9 ms more per frame on two cores, while 640
 * added cost and no accuracy (bench/tune/README.md).
 */
import type { ModelManifest } from '@byliv/models';

const STRIDE = 32;
export const DEFAULT_LONG_SIDE = 512;

export function chooseInputSize(
  input: Pick<ModelManifest['input'], 'width' | 'height' | 'dynamicSize'>,
  source: { width: number; height: number },
  requested?: { width: number; height: number },
  longSide = DEFAULT_LONG_SIDE,
): { width: number; height: number } {
  if (requested) return requested;
  if (!input.dynamicSize) return { width: input.width, height: input.height };
  const scale = longSide / Math.max(source.width, source.height);
  const round = (n: number) => Math.max(STRIDE, Math.round((n * scale) / STRIDE) * STRIDE);
  return { width: round(source.width), height: round(source.height) };
}
