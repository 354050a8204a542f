/**
 * Runs the detector once over the whole PETS09-S2L1 video at one input size, with a low score
 * threshold, and caches every frame's detections (source pixels) as JSON in bench/out/, so
 * the tracker can be tuned by replaying them (bench/tune/sweep.ts) instead of re-running the
 * model for every setting. Frames and times come from the agent's own source stage, so a
 * replay sees exactly what `edge run` would.
 *
 *   npx tsx bench/tune/cache-detections.ts [--size 416x416] [--coarse 320x256 [--coarse-only]] [--score 0.05] [--nms-iou 0.6] [--threads 2] [--model manifest.json] [--video V]
 *
 * With `--coarse`, the agent's two-pass detector (edge/src/detect/multi-scale.ts): the fine
 * frame at --size plus a coarse pass scaled from it, merged; with `--coarse-only`, the coarse
 * pass's boxes alone (to replay merge settings with merge-caches.ts).
 * Writes bench/out/[<seq>-]dets-<W>x<H>[+<w>x<h>]-s<score>.json (bench/out/ is git-ignored:
 * detections are derived from the video and never committed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDefaultModel } from '@byliv/models';
import { createDetector, type MultiScaleDetector } from '../../edge/src/detect/index.ts';
import { openVideoSource, probeVideo } from '../../edge/src/source/index.ts';
import { PETS09_VIDEO } from '../mot/paths.ts';
import { cachePath, type DetectionCache } from './cache.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '416x416' },
    coarse: { type: 'string' },
    'coarse-only': { type: 'boolean', default: false },
    'nms-iou': { type: 'string' },
    score: { type: 'string', default: '0.05' },
    threads: { type: 'string' },
    model: { type: 'string' },
    video: { type: 'string' },
  },
});
function parseSize(flag: string, text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m) throw new Error(`--${flag} must look like 416x416, got ${text}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}
const { width, height } = parseSize('size', values.size);
const coarse = values.coarse ? parseSize('coarse', values.coarse) : undefined;
const coarseOnly = values['coarse-only'];
if (coarseOnly && !coarse) throw new Error('--coarse-only needs --coarse WxH');
const scoreThreshold = Number(values.score);
if (!(scoreThreshold > 0 && scoreThreshold < 1)) throw new Error(`--score must be in (0, 1), got ${values.score}`);
const video = values.video ?? PETS09_VIDEO;

const manifestPath = values.model ?? (await ensureDefaultModel());
const info = await probeVideo(video);
const detector = await createDetector(manifestPath, { fine: { width, height }, coarse }, {
  scoreThreshold,
  iouThreshold: values['nms-iou'] ? Number(values['nms-iou']) : undefined,
  threads: values.threads ? Number(values.threads) : availableParallelism(),
});
const cache: DetectionCache = { video, model: detector.manifest.name, width, height, scoreThreshold, fps: info.fps, sourceWidth: info.width, sourceHeight: info.height, inferenceMsPerFrame: 0, frames: [] };
let inferenceMs = 0;
try {
  for await (const frame of openVideoSource({
    url: video,
    width,
    height,
    pixelFormat: detector.manifest.input.pixelFormat,
    sourceWidth: info.width,
    sourceHeight: info.height,
  })) {
    const t0 = performance.now();
    const detections = coarseOnly ? (await (detector as MultiScaleDetector).detectPasses([frame])).coarse[0] : await detector.detect(frame);
    inferenceMs += performance.now() - t0;
    cache.frames.push({
      index: frame.index,
      time: frame.time,
      detections: detections.map((d) => ({ box: d.box.map((v) => Math.round(v * 100) / 100) as typeof d.box, score: Math.round(d.score * 1e4) / 1e4, label: d.label })),
    });
    if (frame.index % 100 === 0) process.stderr.write(`frame ${frame.index}\n`);
  }
} finally {
  await detector.close();
}
cache.inferenceMsPerFrame = inferenceMs / cache.frames.length;
const sequence = values.video ? basename(dirname(resolve(video))) : '';
const out = cachePath(width, height, scoreThreshold, sequence, coarse, coarseOnly);
mkdirSync(new URL('.', `file://${out}`).pathname, { recursive: true });
writeFileSync(out, JSON.stringify(cache));
process.stdout.write(`${cache.frames.length} frames, ${cache.inferenceMsPerFrame.toFixed(1)} ms/frame detect+decode, written ${out}\n`);
