/**
 * Which size the frames are scaled to before the model. A model that takes any size (a
 * multiple of its coarsest stride) gets the camera's aspect ratio at the manifest's width,
 * so people are not squeezed and no compute goes to stretching: 768×576 → 416×320.
 */
import type { ModelManifest } from '@byliv/models';

const STRIDE = 32;

export function chooseInputSize(
  input: Pick<ModelManifest['input'], 'width' | 'height' | 'dynamicSize'>,
  source: { width: number; height: number },
  requested?: { width: number; height: number },
): { width: number; height: number } {
  if (requested) return requested;
  if (!input.dynamicSize) return { width: input.width, height: input.height };
  const longSide = Math.max(input.width, input.height);
  const scale = longSide / Math.max(source.width, source.height);
  const round = (n: number) => Math.max(STRIDE, Math.round((n * scale) / STRIDE) * STRIDE);
  return { width: round(source.width), height: round(source.height) };
}
