import { describe, expect, it } from 'vitest';
import { changedFraction, grayGrid, MotionGate } from './motion-gate.ts';

const W = 320;
const H = 240;

/** A synthetic square: a gray gradient, plus a darker "person" box where given, plus seeded noise. */
function frame(opts: { person?: [number, number]; noise?: number; brightness?: number; seed?: number } = {}): Uint8Array {
  const px = new Uint8Array(W * H * 3);
  let s = opts.seed ?? 1;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inPerson = opts.person !== undefined && x >= opts.person[0] && x < opts.person[0] + 10 && y >= opts.person[1] && y < opts.person[1] + 28;
      const base = inPerson ? 40 : 90 + (x + y) / 8 + (opts.brightness ?? 0);
      const v = Math.max(0, Math.min(255, Math.round(base + (opts.noise ?? 0) * rand())));
      px.set([v, v, v], (y * W + x) * 3);
    }
  }
  return px;
}

describe('grayGrid', () => {
  it('averages blocks of the frame into a grid with the frame\'s aspect', () => {
    const px = new Uint8Array(4 * 2 * 3);
    px.fill(200, 0, 6); // the two left pixels of the first row
    const grid = grayGrid(px, 4, 2, 2);
    expect([grid.cols, grid.rows]).toEqual([2, 1]);
    expect(Array.from(grid.cells)).toEqual([100, 0]);
  });
  it('refuses a buffer that is not the frame size, saying both', () => {
    expect(() => grayGrid(new Uint8Array(10), 4, 2, 2)).toThrow('motion gate: a 4×2 frame has 24 bytes (3 a pixel), got 10');
    expect(() => changedFraction(new Float32Array(2), new Float32Array(3), 1)).toThrow('grids of 2 and 3 cells');
  });
});

describe('MotionGate', () => {
  it('calls the first frame moved, and a still square with sensor noise not moved', () => {
    const gate = new MotionGate();
    expect(gate.moved(frame({ seed: 1, noise: 6 }), W, H)).toBe(true);
    for (let i = 2; i < 30; i++) expect(gate.moved(frame({ seed: i, noise: 6 }), W, H), `frame ${i}`).toBe(false);
  });

  it('sees one small person walking across, every step of the way', () => {
    const gate = new MotionGate();
    gate.moved(frame(), W, H);
    for (let x = 20; x < 300; x += 4) expect(gate.moved(frame({ person: [x, 150], noise: 4, seed: x }), W, H), `person at x ${x}`).toBe(true);
  });

  it('follows light that changes slowly, but not someone who stops for a few seconds', () => {
    const gate = new MotionGate();
    gate.moved(frame(), W, H);
    // Dawn: one gray level every second frame, 40 levels in all.
    for (let i = 1; i <= 80; i++) expect(gate.moved(frame({ brightness: i / 2 }), W, H), `brightness step ${i}`).toBe(false);
    // Someone walks in and stands: still different from the reference 20 frames later.
    const standing = frame({ brightness: 40, person: [100, 100] });
    const answers = Array.from({ length: 20 }, () => gate.moved(standing, W, H));
    expect(answers.every(Boolean)).toBe(true);
  });

  it('starts again on a frame of another size', () => {
    const gate = new MotionGate({ gridWidth: 8 });
    expect(gate.moved(new Uint8Array(16 * 16 * 3), 16, 16)).toBe(true);
    expect(gate.moved(new Uint8Array(16 * 16 * 3), 16, 16)).toBe(false);
    expect(gate.moved(new Uint8Array(32 * 16 * 3), 32, 16)).toBe(true);
  });

  it('refuses settings that cannot work', () => {
    expect(() => new MotionGate({ referenceRate: 0 })).toThrow('referenceRate must be in (0, 1], got 0');
    expect(() => new MotionGate({ gridWidth: 0 })).toThrow('gridWidth must be at least 1, got 0');
  });
});
