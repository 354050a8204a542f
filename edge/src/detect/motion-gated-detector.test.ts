import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '@byliv/models';
import { Scene } from '@byliv/protocol';
import type { Detection, Frame } from '../types.ts';
import type { Detector } from './detector.ts';
import { MotionGatedDetector } from './motion-gated-detector.ts';
import { CountingPipeline } from '../run/counting-pipeline.ts';

const W = 64;
const H = 48;
const FPS = 10;

/** The model stands in here: it answers with the boxes a scene script gives for each frame, and counts its calls. */
class ScriptedDetector implements Detector {
  readonly manifest = { name: 'scripted' } as ModelManifest;
  readonly inputWidth = W;
  readonly inputHeight = H;
  calls = 0;
  detectBatch?: (frames: Frame[]) => Promise<Detection[][]>;
  constructor(private readonly boxesAt: (index: number) => Detection[]) {}
  async detect(frame: Frame) {
    this.calls++;
    return this.boxesAt(frame.index);
  }
  async close() {}
}

const still = new Uint8Array(W * H * 3).fill(120);
function frameAt(index: number, pixels: Uint8Array = still): Frame {
  return { index, time: index / FPS, pixels, width: W, height: H, sourceWidth: W, sourceHeight: H } as Frame;
}
/** A frame with a dark block at `x`: something moving. */
function movingAt(index: number, x: number): Frame {
  const px = still.slice();
  for (let y = 10; y < 30; y++) for (let dx = 0; dx < 8; dx++) px.fill(20, ((y * W + x + dx) * 3), ((y * W + x + dx) * 3) + 3);
  return frameAt(index, px);
}

describe('MotionGatedDetector', () => {
  it('skips the model on a still, empty square but looks again every recheck interval', async () => {
    const model = new ScriptedDetector(() => []);
    const gated = new MotionGatedDetector(model, () => false, { recheckSeconds: 2 });
    for (let i = 0; i < 100; i++) expect(await gated.detect(frameAt(i))).toEqual([]);
    // Frame 0 (no reference yet), then frames 20, 40, 60, 80: once per 2 s of stream time.
    expect(model.calls).toBe(5);
    expect(gated.counts).toEqual({ detected: 5, gated: 95 });
  });

  it('runs the model on every frame that moves, and on every frame while a track is held', async () => {
    const model = new ScriptedDetector(() => []);
    let tracking = false;
    const gated = new MotionGatedDetector(model, () => tracking, { recheckSeconds: 1000 });
    await gated.detect(frameAt(0));
    for (let i = 1; i <= 10; i++) await gated.detect(movingAt(i, 4 * i));
    expect(model.calls).toBe(11);
    tracking = true;
    for (let i = 11; i <= 40; i++) await gated.detect(frameAt(i, movingAt(0, 44).pixels)); // still again, a track held
    expect(model.calls).toBe(41);
    tracking = false;
    const before = model.calls;
    for (let i = 41; i <= 200; i++) await gated.detect(frameAt(i, movingAt(0, 44).pixels));
    // The reference catches up with the new still picture within a few seconds, then the gate closes.
    expect(model.calls - before).toBeLessThan(60);
    expect(gated.counts.gated).toBeGreaterThan(100);
  });

  it('batches only the frames that need the model, and answers the rest with no boxes', async () => {
    const person: Detection = { box: [1, 1, 5, 9], score: 0.9, label: 'person' };
    const seen: number[][] = [];
    const model = new ScriptedDetector(() => [person]);
    model.detectBatch = async (frames: Frame[]) => {
      seen.push(frames.map((f) => f.index));
      return frames.map(() => [person]);
    };
    const gated = new MotionGatedDetector(model, () => false, { recheckSeconds: 1000 });
    const answers = await gated.detectBatch([frameAt(0), frameAt(1), movingAt(2, 30), frameAt(3, movingAt(0, 30).pixels)]);
    expect(seen).toEqual([[0, 2, 3]]); // 3: the block is still there against the slow reference
    expect(answers).toEqual([[person], [], [person], [person]]);
  });

  it('keeps counting a person who sits still on a bench, and counts gated frames as observed time', async () => {
    const scene = Scene.parse({ site: 'park', camera: 'cam1', zones: [{ id: 'bench', polygon: [[0, 0], [W, 0], [W, H], [0, H]] }] });
    // 60 s at 10 fps: the square is empty for 20 s, a person walks in at 20 s and sits still until the end.
    const sitter = (i: number): Detection[] => (i >= 200 ? [{ box: [20, 10, 30, 40], score: 0.9, label: 'person' }] : []);
    const framesOf = (i: number) => (i >= 200 && i < 205 ? movingAt(i, 20) : i >= 205 ? frameAt(i, movingAt(0, 20).pixels) : frameAt(i));
    async function run(gate: boolean) {
      const model = new ScriptedDetector(sitter);
      const pipeline = new CountingPipeline(scene, { binSeconds: 30, origin: new Date('2026-05-01T10:00:00Z'), framesPerSecond: FPS, frame: { width: W, height: H } });
      const detector = gate ? new MotionGatedDetector(model, () => pipeline.holdsTracks) : model;
      const batches = [];
      for (let i = 0; i < 600; i++) {
        const frame = framesOf(i);
        batches.push(...pipeline.step(frame.time, 1 / FPS, await detector.detect(frame)).batches);
      }
      batches.push(...pipeline.finish());
      return { batches, calls: model.calls };
    }
    const [plain, gated] = [await run(false), await run(true)];
    expect(gated.batches).toEqual(plain.batches);
    expect(gated.batches.map((b) => b.quality.framesProcessed)).toEqual([300, 300]);
    expect(gated.batches[1].zones.bench.personSeconds).toBeCloseTo(30, 0);
    // Gated on the empty first 20 s only (one look every 2 s), every frame once someone is there.
    expect(gated.calls).toBe(10 + 400);
  });
});
