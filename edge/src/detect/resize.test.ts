import { describe, expect, it } from 'vitest';
import { resizeArea } from './resize.ts';

const frame = (width: number, height: number, pixel: (x: number, y: number) => [number, number, number]) => {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(pixel(x, y), (y * width + x) * 3);
  return out;
};

describe('area-average downscaling', () => {
  it('averages whole 2×2 blocks at half size, channel by channel', () => {
    const src = frame(4, 2, (x, y) => [x * 10 + y, 100, 200 - x]);
    const out = resizeArea(src, 4, 2, 2, 1);
    // Block 0: x 0–1, y 0–1 → r (0+1+10+11)/4 = 5.5 → 6; b (200+199)/2 = 199.5 → 200.
    expect([...out]).toEqual([6, 100, 200, 26, 100, 198]);
  });
  it('weights partly covered pixels by the covered part (5 → 2 columns)', () => {
    const src = frame(5, 1, (x) => [x * 50, 0, 0]);
    // Output 0 covers inputs 0, 1 and half of 2: (0 + 50 + 0.5·100) / 2.5 = 40.
    // Output 1 covers half of 2, 3, 4: (0.5·100 + 150 + 200) / 2.5 = 160.
    expect([...resizeArea(src, 5, 1, 2, 1)].filter((_, i) => i % 3 === 0)).toEqual([40, 160]);
  });
  it('keeps a flat frame flat and a frame of its own size unchanged', () => {
    const flat = frame(512, 384, () => [37, 128, 255]);
    const out = resizeArea(flat, 512, 384, 320, 256);
    expect(out.length).toBe(320 * 256 * 3);
    expect(new Set(out.filter((_, i) => i % 3 === 0))).toEqual(new Set([37]));
    expect(new Set(out.filter((_, i) => i % 3 === 2))).toEqual(new Set([255]));
    const src = frame(7, 3, (x, y) => [x, y, x + y]);
    expect(resizeArea(src, 7, 3, 7, 3)).toEqual(src);
  });
  it('refuses a frame of the wrong length and an upscale', () => {
    expect(() => resizeArea(new Uint8Array(10), 2, 2, 1, 1)).toThrow(/10 bytes is not a 2x2/);
    expect(() => resizeArea(new Uint8Array(12), 2, 2, 4, 2)).toThrow(/not a downscale/);
  });
});
