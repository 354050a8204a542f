/**
 * The real detector: the default NanoDet-m model in ONNX Runtime on real PETS09 frames
 * decoded by ffmpeg, scored against the data set's ground truth.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureDefaultModel, type ModelManifest } from '@byliv/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MatchTotals, matchFrame, type Box } from '../../../bench/detection-match.ts';
import { byFrame, parseMot, PETS09_GT, PETS09_VIDEO } from '../../../bench/mot/index.ts';
import type { Frame } from '../types.ts';
import { createOnnxDetector, type OnnxDetector } from './onnx-detector.ts';

const SOURCE_WIDTH = 768;
const SOURCE_HEIGHT = 576;
/** Spread over the video: few and many people, people near the camera and far away. */
const FRAMES = [30, 150, 300, 450, 600, 750];

/** One frame as the source stage delivers it (ffmpeg, bilinear scale, bgr24), in memory only. */
function frameAt(index: number, width: number, height: number): Frame {
  const pixels = execFileSync('ffmpeg', [
    '-v', 'error', '-i', PETS09_VIDEO,
    '-vf', `select=eq(n\\,${index}),scale=${width}:${height}:flags=bilinear`,
    '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-',
  ], { maxBuffer: 64 << 20 });
  return { index, time: index / 10, pixels, width, height, sourceWidth: SOURCE_WIDTH, sourceHeight: SOURCE_HEIGHT };
}

const truth = byFrame(parseMot(await readFile(PETS09_GT, 'utf8'), PETS09_GT));
const truthAt = (index: number): Box[] => (truth.get(index + 1) ?? []).map((b) => [b.left, b.top, b.left + b.width, b.top + b.height]);

async function score(detector: OnnxDetector, frames: Frame[]): Promise<MatchTotals> {
  const totals = new MatchTotals();
  for (const f of frames) {
    const persons = (await detector.detect(f)).filter((d) => d.label === 'person');
    totals.add(matchFrame(persons, truthAt(f.index)));
  }
  return totals;
}

describe('OnnxDetector on PETS09 with the default model', () => {
  let manifestPath: string;
  let detector: OnnxDetector;
  let frames: Frame[];

  beforeAll(async () => {
    manifestPath = await ensureDefaultModel();
    detector = await createOnnxDetector(manifestPath, { scoreThreshold: 0.5 });
    frames = FRAMES.map((n) => frameAt(n, detector.inputWidth, detector.inputHeight));
  });
  afterAll(() => detector?.close());

  it('takes the manifest input size by default', () => {
    expect([detector.inputWidth, detector.inputHeight]).toEqual([detector.manifest.input.width, detector.manifest.input.height]);
  });

  it('finds the annotated people (recall and precision >= 0.8 at IoU 0.5, score >= 0.5)', async () => {
    const totals = await score(detector, frames);
    expect(totals.truePositives + totals.misses).toBeGreaterThan(20); // enough people for the ratios to mean something
    expect(totals.recall, `tp ${totals.truePositives}, misses ${totals.misses}`).toBeGreaterThanOrEqual(0.8);
    expect(totals.precision, `tp ${totals.truePositives}, fp ${totals.falsePositives}`).toBeGreaterThanOrEqual(0.8);
    expect(totals.meanIou).toBeGreaterThan(0.65);
  });

  it('returns only kept classes, boxes in source pixels inside the frame, scores above the threshold', async () => {
    const all = (await Promise.all(frames.map((f) => detector.detect(f)))).flat();
    expect(all.length).toBeGreaterThan(0);
    for (const d of all) {
      expect(['person', 'bicycle']).toContain(d.label);
      expect(d.score).toBeGreaterThanOrEqual(0.5);
      expect(d.box[0]).toBeGreaterThanOrEqual(0);
      expect(d.box[1]).toBeGreaterThanOrEqual(0);
      expect(d.box[2]).toBeLessThanOrEqual(SOURCE_WIDTH);
      expect(d.box[3]).toBeLessThanOrEqual(SOURCE_HEIGHT);
      expect(d.box[2]).toBeGreaterThan(d.box[0]);
      expect(d.box[3]).toBeGreaterThan(d.box[1]);
    }
    // People stand on the right of the PETS frame too: the boxes were scaled out of 416 x 416.
    expect(Math.max(...all.map((d) => d.box[2]))).toBeGreaterThan(500);
  });

  it('detectBatch runs several frames in one call with the same result as one by one', async () => {
    const batch = frames.slice(0, 3);
    const together = await detector.detectBatch(batch);
    expect(together).toHaveLength(3);
    for (let i = 0; i < batch.length; i++) {
      const alone = await detector.detect(batch[i]);
      expect(together[i].map((d) => d.label)).toEqual(alone.map((d) => d.label));
      together[i].forEach((d, k) => {
        expect(d.score).toBeCloseTo(alone[k].score, 4);
        d.box.forEach((v, j) => expect(v).toBeCloseTo(alone[k].box[j], 2));
      });
    }
  });

  it('refuses a frame of the wrong size, naming both sizes', async () => {
    const wrong = frameAt(FRAMES[0], 320, 256);
    await expect(detector.detect(wrong)).rejects.toThrow(/frame 30 is 320x256, but the detector \(nanodet-m\) takes 416x416/);
  });

  it('runs at another input size when the model takes any size (512 x 384)', async () => {
    const other = await createOnnxDetector(manifestPath, { scoreThreshold: 0.5, inputWidth: 512, inputHeight: 384, threads: 1 });
    try {
      expect([other.inputWidth, other.inputHeight]).toEqual([512, 384]);
      const totals = await score(other, FRAMES.map((n) => frameAt(n, 512, 384)));
      expect(totals.recall, `tp ${totals.truePositives}, misses ${totals.misses}`).toBeGreaterThanOrEqual(0.8);
      expect(totals.precision, `tp ${totals.truePositives}, fp ${totals.falsePositives}`).toBeGreaterThanOrEqual(0.8);
    } finally {
      await other.close();
    }
  });

  it('rejects input sizes the model cannot take', async () => {
    await expect(createOnnxDetector(manifestPath, { inputWidth: 500, inputHeight: 384 })).rejects.toThrow(/input size 500x384 .* multiples of 32/);
  });

  it('rejects keeping a class the model does not have', async () => {
    await expect(createOnnxDetector(manifestPath, { keepClasses: ['person', 'scooter'] })).rejects.toThrow(/class "scooter" to keep is not among the classes/);
  });
});

describe('OnnxDetector model checks', () => {
  let dir: string;
  let manifest: ModelManifest;

  beforeAll(async () => {
    const manifestPath = await ensureDefaultModel();
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ModelManifest;
    dir = await mkdtemp(path.join(tmpdir(), 'byliv-detect-'));
    await copyFile(path.join(path.dirname(manifestPath), manifest.file), path.join(dir, manifest.file));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function writeVariant(name: string, change: (m: ModelManifest) => ModelManifest): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, JSON.stringify(change(structuredClone(manifest))));
    return file;
  }

  it('opens the copied model when nothing is changed (the copy itself is sound)', async () => {
    const detector = await createOnnxDetector(await writeVariant('same.json', (m) => m), { threads: 1 });
    await detector.close();
  });

  it('refuses a model whose bytes differ from the manifest sha256', async () => {
    const corrupt = `corrupt-${manifest.file}`;
    const bytes = await readFile(path.join(dir, manifest.file));
    bytes[bytes.length >> 1] ^= 0x01; // one bit in the middle of the weights
    await writeFile(path.join(dir, corrupt), bytes);
    const manifestPath = await writeVariant('corrupt.json', (m) => ({ ...m, file: corrupt }));
    await expect(createOnnxDetector(manifestPath)).rejects.toThrow(/has sha256 [0-9a-f]{64}, but .*corrupt\.json expects/);
  });

  it('names the manifest field when the model has no such input or output', async () => {
    const badInput = await writeVariant('bad-input.json', (m) => ({ ...m, input: { ...m.input, name: 'pixels' } }));
    await expect(createOnnxDetector(badInput, { threads: 1 })).rejects.toThrow(/has inputs images, but .*bad-input\.json names input "pixels" \(field input\.name\)/);
    const badOutput = await writeVariant('bad-output.json', (m) => ({ ...m, outputs: [...m.outputs.slice(0, 5), 'boxes'] }));
    await expect(createOnnxDetector(badOutput, { threads: 1 })).rejects.toThrow(/lists boxes \(field outputs\)/);
  });

  it('refuses another input size when the manifest says the size is fixed', async () => {
    const fixed = await writeVariant('fixed.json', (m) => ({ ...m, input: { ...m.input, dynamicSize: false } }));
    await expect(createOnnxDetector(fixed, { inputWidth: 512, inputHeight: 384 })).rejects.toThrow(/takes only 416x416 input \(input\.dynamicSize is false\); asked for 512x384/);
  });
});
