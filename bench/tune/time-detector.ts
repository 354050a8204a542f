/**
 * What a bigger input costs: the detector call (inference + decode) per frame at several
 * input sizes, timed round-robin over the same frames (one frame at each size in turn), so
 * that load from other processes on a shared machine hits every size alike. Prints the
 * median and the 90th percentile per size.
 *
 *   npx tsx bench/tune/time-detector.ts [--size 416x416 --size 512x384 ...] [--frames 60] [--threads 2]
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { ensureDefaultModel } from '@byliv/models';
import { createOnnxDetector, type OnnxDetector } from '../../edge/src/detect/index.ts';
import { FrameSplitter } from '../../edge/src/source/index.ts';
import type { Frame } from '../../edge/src/types.ts';
import { PETS09_VIDEO } from '../mot/paths.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', multiple: true, default: ['416x416', '512x384', '640x480'] },
    frames: { type: 'string', default: '60' },
    threads: { type: 'string' },
  },
});
const count = Number(values.frames);
const threads = values.threads ? Number(values.threads) : availableParallelism();
const sizes = values.size.map((s) => {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m) throw new Error(`--size must look like 416x416, got ${s}`);
  return { width: Number(m[1]), height: Number(m[2]) };
});

/** The first `n` frames at width x height, from every 10th frame of the video (varied content). */
async function frames(width: number, height: number, n: number): Promise<Frame[]> {
  const child = spawn('ffmpeg', ['-v', 'error', '-nostdin', '-i', PETS09_VIDEO, '-vf', `select=not(mod(n\\,10)),scale=${width}:${height}:flags=bilinear`, '-vsync', '0', '-frames:v', String(n), '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const splitter = new FrameSplitter(width * height * 3);
  const out: Frame[] = [];
  for await (const chunk of child.stdout) {
    for (const pixels of splitter.push(chunk as Buffer)) {
      out.push({ index: out.length, time: out.length, pixels, width, height, sourceWidth: 768, sourceHeight: 576 });
    }
  }
  return out;
}

const manifest = await ensureDefaultModel();
const runs: { name: string; detector: OnnxDetector; frames: Frame[]; ms: number[] }[] = [];
for (const s of sizes) {
  const detector = await createOnnxDetector(manifest, { inputWidth: s.width, inputHeight: s.height, threads });
  runs.push({ name: `${s.width}x${s.height}`, detector, frames: await frames(s.width, s.height, count), ms: [] });
}
for (const r of runs) for (const f of r.frames.slice(0, 5)) await r.detector.detect(f); // warm-up
for (let k = 0; k < count; k++) {
  for (const r of runs) {
    const f = r.frames[k % r.frames.length];
    const t0 = performance.now();
    await r.detector.detect(f);
    r.ms.push(performance.now() - t0);
  }
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
process.stdout.write(`detector call per frame, ${threads} threads, ${count} frames round-robin\nsize      pixels   median ms  p90 ms\n`);
for (const r of runs) {
  const [w, h] = r.name.split('x').map(Number);
  process.stdout.write(`${r.name.padEnd(9)} ${String(w * h).padStart(7)}  ${q(r.ms, 0.5).toFixed(1).padStart(9)}  ${q(r.ms, 0.9).toFixed(1).padStart(6)}\n`);
  await r.detector.close();
}
