/**
 * The detector alone on PETS09-S2L1: person precision and recall at IoU 0.5 against the
 * ground truth, at several score thresholds and input sizes, and the bare inference rate
 * (frames per second of the ONNX Runtime call alone, after a warm-up).
 *
 *   npx tsx bench/detector.ts [--every N] [--size WxH ...] [--threads T] [--model manifest.json]
 *
 * One ffmpeg child per size decodes the whole video to raw frames at the model's input size
 * (bilinear, as the edge agent's source stage does); frames stay in memory only.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultManifestPath, type RawDetection } from '@byliv/models';
import { createOnnxDetector, toSource, type OnnxDetector } from '../edge/src/detect/index.ts';
import { FrameSplitter } from '../edge/src/source/index.ts';
import type { Frame } from '../edge/src/types.ts';
import { byFrame, parseMot, PETS09_GT, PETS09_VIDEO } from './mot/index.ts';
import { MatchTotals, matchFrame, type Box } from './detection-match.ts';

const THRESHOLDS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5];
/** Cell-centre conventions compared: NanoDet measures from (x + 0.5) * s, or from x * s. */
const CENTRES = [0.5, 0];
const WARM_UP = 5;
const SOURCE_WIDTH = 768;
const SOURCE_HEIGHT = 576;

const { values } = parseArgs({
  options: {
    every: { type: 'string', default: '1' },
    size: { type: 'string', multiple: true },
    threads: { type: 'string' },
    model: { type: 'string' },
  },
});
const every = Number(values.every);
if (!Number.isInteger(every) || every < 1) throw new Error(`--every must be a whole number >= 1, got ${values.every}`);
const threads = values.threads ? Number(values.threads) : availableParallelism();
const manifestPath = values.model ?? defaultManifestPath();
const sizes = (values.size ?? ['416x416']).map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m) throw new Error(`--size must look like 416x320, got ${s}`);
  return { width: Number(m[1]), height: Number(m[2]) };
});

const truthByFrame = new Map<number, Box[]>();
for (const [frame, boxes] of byFrame(parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT))) {
  truthByFrame.set(frame - 1, boxes.map((b) => [b.left, b.top, b.left + b.width, b.top + b.height] as const));
}

/** All frames of the video at width x height, one at a time, from one ffmpeg child. */
async function* videoFrames(width: number, height: number): AsyncGenerator<Uint8Array> {
  const child = spawn('ffmpeg', ['-v', 'error', '-nostdin', '-i', PETS09_VIDEO, '-vf', `scale=${width}:${height}:flags=bilinear`, '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const splitter = new FrameSplitter(width * height * 3);
  for await (const chunk of child.stdout) yield* splitter.push(chunk as Buffer);
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg exited with ${code} decoding ${PETS09_VIDEO}`);
}

interface SizeResult {
  size: string;
  frames: number;
  msPerFrame: number;
  /** totals[centre][threshold] */
  totals: MatchTotals[][];
}

async function benchSize(detector: OnnxDetector): Promise<SizeResult> {
  const { inputWidth: width, inputHeight: height } = detector;
  const totals = CENTRES.map(() => THRESHOLDS.map(() => new MatchTotals()));
  let inferMs = 0;
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
    if (frames++ >= WARM_UP) {
      inferMs += ms;
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
  return { size: `${width}x${height}`, frames, msPerFrame: inferMs / Math.max(1, timed), totals };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`.padStart(7);

console.log(`detector bench: ${manifestPath}, PETS09-S2L1 every ${every} frame(s), ${threads} intra-op threads, persons at IoU 0.5`);
const results: SizeResult[] = [];
for (const size of sizes) {
  const detector = await createOnnxDetector(manifestPath, { inputWidth: size.width, inputHeight: size.height, threads, scoreThreshold: THRESHOLDS[0] });
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
