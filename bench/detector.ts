/**
 * The detector alone on PETS09-S2L1: person precision and recall at IoU 0.5 against the
 * ground truth, at several score thresholds and input sizes, and the bare inference rate
 * (frames per second of the ONNX Runtime call alone, after a warm-up).
 *
 *   npx tsx bench/detector.ts [--every N] [--size WxH ...] [--nms IOU] [--threads T] [--model manifest.json] [--compare-centre] [--spin]
 *
 * --compare-centre also decodes NanoDet with cells measured from their corner (x * s) instead
 * of their centre ((x + 0.5) * s), the check that chose the decoder's convention.
 *
 * One ffmpeg child per size decodes the whole video to raw frames at the model's input size
 * (bilinear, as the edge agent's source stage does); frames stay in memory only.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultManifestPath, type RawDetection } from '@byliv/models';
import { DEFAULT_NMS_IOU, DEFAULT_SCORE_THRESHOLD, createOnnxDetector, toSource, type OnnxDetector } from '../edge/src/detect/index.ts';
import { FrameSplitter } from '../edge/src/source/index.ts';
import type { Frame } from '../edge/src/types.ts';
import { byFrame, parseMot, PETS09_GT, PETS09_VIDEO } from './mot/index.ts';
import { MatchTotals, matchFrame, type Box } from './detection-match.ts';

const THRESHOLDS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
const WARM_UP = 5;
const SOURCE_WIDTH = 768;
const SOURCE_HEIGHT = 576;

const { values } = parseArgs({
  options: {
    every: { type: 'string', default: '1' },
    size: { type: 'string', multiple: true },
    threads: { type: 'string' },
    model: { type: 'string' },
    nms: { type: 'string' },
    'compare-centre': { type: 'boolean', default: false },
    spin: { type: 'boolean', default: false },
  },
});
const every = Number(values.every);
if (!Number.isInteger(every) || every < 1) throw new Error(`--every must be a whole number >= 1, got ${values.every}`);
const threads = values.threads ? Number(values.threads) : availableParallelism();
const manifestPath = values.model ?? defaultManifestPath();
const nmsIou = values.nms ? Number(values.nms) : DEFAULT_NMS_IOU;
/** Cell-centre conventions: NanoDet measures from (x + 0.5) * s, the alternative from x * s. */
const CENTRES = values['compare-centre'] ? [0.5, 0] : [0.5];
const sizes = (values.size ?? ['416x416']).map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m) throw new Error(`--size must look like 416x320, got ${s}`);
  return { width: Number(m[1]), height: Number(m[2]) };
});

const truthByFrame = new Map<number, Box[]>();
for (const [frame, boxes] of byFrame(parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT))) {
  truthByFrame.set(frame - 1, boxes.map((b) => [b.left, b.top, b.left + b.width, b.top + b.height] as const));
}

/** Frames of the video at width x height (all, or the first `limit`), from one ffmpeg child. */
async function* videoFrames(width: number, height: number, limit?: number): AsyncGenerator<Uint8Array> {
  const args = ['-v', 'error', '-nostdin', '-i', PETS09_VIDEO, '-vf', `scale=${width}:${height}:flags=bilinear`];
  if (limit !== undefined) args.push('-frames:v', String(limit));
  const child = spawn('ffmpeg', [...args, '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const splitter = new FrameSplitter(width * height * 3);
  let complete = false;
  try {
    for await (const chunk of child.stdout) yield* splitter.push(chunk as Buffer);
    complete = true;
  } finally {
    if (!complete) child.kill(); // the consumer stopped early
  }
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg exited with ${code} decoding ${PETS09_VIDEO}: ${stderr.trim()}`);
}

interface SizeResult {
  size: string;
  frames: number;
  msPerFrame: number;
  /** Decoding at the detector's default threshold, for comparison with inference. */
  decodeMsPerFrame: number;
  /** totals[centre][threshold] */
  totals: MatchTotals[][];
}

async function benchSize(detector: OnnxDetector): Promise<SizeResult> {
  const { inputWidth: width, inputHeight: height } = detector;
  const totals = CENTRES.map(() => THRESHOLDS.map(() => new MatchTotals()));
  let inferMs = 0;
  let decodeMs = 0;
  let timed = 0;
  let index = -1;
  let frames = 0;
  for await (const pixels of videoFrames(width, height)) {
    index++;
    if (index % every) continue;
    const frame: Frame = { index, time: index / 10, pixels, width, height, sourceWidth: SOURCE_WIDTH, sourceHeight: SOURCE_HEIGHT };
    const started = performance.now();
    const outputs = await detector.infer([frame]);
    const ms = performance.now() - started;
    const decodeStarted = performance.now();
    detector.decode(outputs, 0, { scoreThreshold: DEFAULT_SCORE_THRESHOLD });
    const decodeTook = performance.now() - decodeStarted;
    if (frames++ >= WARM_UP) {
      inferMs += ms;
      decodeMs += decodeTook;
      timed++;
    }
    const truth = truthByFrame.get(index) ?? [];
    CENTRES.forEach((centerOffset, ci) => {
      // One decode at the lowest threshold serves all: greedy NMS never lets a box below a
      // threshold suppress one above it, so filtering afterwards equals decoding at each.
      const raw: RawDetection[] = detector.decode(outputs, 0, { scoreThreshold: THRESHOLDS[0], centerOffset });
      const persons = toSource(raw, frame, width, height).filter((d) => d.label === 'person');
      THRESHOLDS.forEach((t, ti) => totals[ci][ti].add(matchFrame(persons.filter((d) => d.score >= t), truth)));
    });
  }
  return { size: `${width}x${height}`, frames, msPerFrame: inferMs / Math.max(1, timed), decodeMsPerFrame: decodeMs / Math.max(1, timed), totals };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`.padStart(7);

/**
 * The CPU is shared, so the video pass's mean is at the mercy of whatever else runs. Here
 * each size runs one frame alone and as a batch of 4, in turn, and the median is kept so
 * bursts of other load drop out. Sizes are timed one after the other, never with two
 * sessions open: with --spin an idle session's threads busy-wait and would slow the other.
 */
async function medianTiming(size: { width: number; height: number }, rounds: number): Promise<{ size: string; single: number; batched: number }> {
  const detector = await createOnnxDetector(manifestPath, { inputWidth: size.width, inputHeight: size.height, threads, spinWait: values.spin });
  try {
    let frame: Frame | undefined;
    for await (const pixels of videoFrames(size.width, size.height, 1)) {
      frame = { index: 0, time: 0, pixels, width: size.width, height: size.height, sourceWidth: SOURCE_WIDTH, sourceHeight: SOURCE_HEIGHT };
    }
    if (!frame) throw new Error('the video has no frames');
    const single: number[] = [];
    const batched: number[] = [];
    for (let round = -3; round < rounds; round++) {
      let t = performance.now();
      await detector.infer([frame]);
      if (round >= 0) single.push(performance.now() - t);
      t = performance.now();
      await detector.infer([frame, frame, frame, frame]);
      if (round >= 0) batched.push((performance.now() - t) / 4);
    }
    const median = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1];
    return { size: `${size.width}x${size.height}`, single: median(single), batched: median(batched) };
  } finally {
    await detector.close();
  }
}

console.log(`detector bench: ${manifestPath}, PETS09-S2L1 every ${every} frame(s), ${threads} intra-op threads${values.spin ? ' (spinning)' : ''}, NMS IoU ${nmsIou}, persons matched at IoU 0.5`);
const results: SizeResult[] = [];
for (const size of sizes) {
  const detector = await createOnnxDetector(manifestPath, { inputWidth: size.width, inputHeight: size.height, threads, scoreThreshold: THRESHOLDS[0], iouThreshold: nmsIou, spinWait: values.spin });
  try {
    results.push(await benchSize(detector));
  } finally {
    await detector.close();
  }
}

console.log('\nsize      frames  infer ms  fps   | centre | thr  precision  recall  mean IoU');
for (const r of results) {
  CENTRES.forEach((c, ci) =>
    THRESHOLDS.forEach((t, ti) => {
      const m = r.totals[ci][ti];
      const head = ci === 0 && ti === 0 ? `${r.size.padEnd(9)} ${String(r.frames).padStart(6)}  ${r.msPerFrame.toFixed(1).padStart(8)}  ${(1000 / r.msPerFrame).toFixed(1).padStart(4)}` : ' '.repeat(34);
      console.log(`${head}  | ${c.toFixed(1).padStart(6)} | ${t.toFixed(2)}  ${pct(m.precision)}  ${pct(m.recall)}  ${m.meanIou.toFixed(3).padStart(8)}   (tp ${m.truePositives}, fp ${m.falsePositives}, miss ${m.misses})`);
    }),
  );
}
console.log('(infer ms: mean of session.run over the video pass, after a warm-up of 5 frames)');
const decodeLine = results.map((r) => `${r.size} ${r.decodeMsPerFrame.toFixed(2)} ms`).join(', ');
console.log(`decode + NMS at score >= ${DEFAULT_SCORE_THRESHOLD} (persons, bicycles): ${decodeLine} a frame`);

const ROUNDS = 20;
console.log(`\ntiming, median of ${ROUNDS} rounds (session.run only):`);
console.log('size      1 frame ms   fps   | batch of 4, ms/frame   fps');
for (const size of sizes) {
  const t = await medianTiming(size, ROUNDS);
  console.log(`${t.size.padEnd(9)} ${t.single.toFixed(1).padStart(10)}  ${(1000 / t.single).toFixed(1).padStart(5)}  | ${t.batched.toFixed(1).padStart(20)}  ${(1000 / t.batched).toFixed(1).padStart(5)}`);
}
