/**
 * Speed of the edge agent, as ratios measured in one run on one machine:
 *   1. the model's bare inference rate (session runs on frames already in memory),
 *   2. the whole pipeline's rate (ffmpeg decode → detect → track → count → bin, the real CLI path),
 *      as a share of (1): the pipeline should lose little to everything around the model;
 *   3. the cost of tracking + counting per frame on the real video's detections.
 * The two rates are measured A B B A (inference, pipeline, pipeline, inference) so that load
 * drifting on a shared machine weighs on both alike.
 * Usage: npx tsx bench/speed.ts [--video V] [--scene S] [--frames N] [--size WxH] [--scales 1|2]
 * Bare inference is every detector pass the agent runs per frame (both, by default).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ensureDefaultModel, loadManifest } from '@byliv/models';
import { probeVideo } from '../edge/src/source/index.ts';
import { chooseInputSizes, describeSizes } from '../edge/src/run/input-size.ts';
import { createDetector } from '../edge/src/detect/index.ts';
import { runEdge } from '../edge/src/run/edge-run.ts';
import { parseCli, type RunRequest } from '../edge/src/cli-args.ts';
import { CountingPipeline } from '../edge/src/run/counting-pipeline.ts';
import { loadSceneFile } from '../edge/src/config/scene-file.ts';
import type { Detection, Frame } from '../edge/src/types.ts';

const { values } = parseArgs({
  options: {
    video: { type: 'string', default: new URL('../../shared/datasets/pets09-s2l1/vtest.avi', import.meta.url).pathname },
    scene: { type: 'string', default: new URL('./scenes/pets09.json', import.meta.url).pathname },
    frames: { type: 'string', default: '795' },
    size: { type: 'string' },
    scales: { type: 'string' },
  },
});
const frameCount = Number(values.frames);
const manifestPath = await ensureDefaultModel();
const sizeArgs = [...(values.size ? ['--input-size', values.size] : []), ...(values.scales ? ['--scales', values.scales] : [])];
const request = parseCli(['run', '--source', values.video!, '--scene', values.scene!, '--max-frames', String(frameCount), '--quiet', ...sizeArgs]) as RunRequest;

const source = await probeVideo(values.video!);
const { manifest } = await loadManifest(manifestPath);
// The same size the agent picks for this camera, so (1) and (2) run the same model input.
const sizes = chooseInputSizes(manifest.input, source, { requested: request.inputSize, scales: request.scales });
const detector = await createDetector(manifestPath, sizes);
const { inputWidth: width, inputHeight: height } = detector;

// Frames decoded up front, so (1) times the model and nothing else.
const raw = spawnSync('ffmpeg', ['-v', 'error', '-i', values.video!, '-frames:v', String(frameCount), '-vf', `scale=${width}:${height}:flags=bilinear`, '-f', 'rawvideo', '-pix_fmt', detector.manifest.input.pixelFormat, '-'], { maxBuffer: 2 ** 31 });
const frameBytes = width * height * 3;
const frames: Frame[] = [];
for (let i = 0; i * frameBytes < raw.stdout.length; i++) {
  frames.push({ index: i, time: i / source.fps, pixels: raw.stdout.subarray(i * frameBytes, (i + 1) * frameBytes), width, height, sourceWidth: source.width, sourceHeight: source.height });
}

for (const frame of frames.slice(0, 10)) await detector.detect(frame); // warm-up
let detections: Detection[][] = [];
async function bareInference(): Promise<number> {
  detections = [];
  const t0 = performance.now();
  for (const frame of frames) detections.push(await detector.detect(frame));
  return frames.length / ((performance.now() - t0) / 1000);
}
// (2) the real run, as the CLI does it: ffmpeg decoding, the detector, tracking, counting, binning.
async function wholePipeline(): Promise<number> {
  const t0 = performance.now();
  const result = await runEdge(request, { log: () => {} });
  return result.summary.frames / ((performance.now() - t0) / 1000);
}
// A B B A: a machine whose load drifts during the run affects both sides alike.
const inferenceRates = [await bareInference()];
const pipelineRates = [await wholePipeline(), await wholePipeline()];
inferenceRates.push(await bareInference());
await detector.close();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const inferenceRate = mean(inferenceRates);
const pipelineRate = mean(pipelineRates);

// (3) tracking + counting alone, repeated to get above the timer's resolution.
const scene = loadSceneFile(values.scene!);
const repeats = 20;
const perFrameUs: number[] = [];
for (let r = 0; r < repeats; r++) {
  const pipeline = new CountingPipeline(scene, { binSeconds: 60, origin: new Date('2026-01-01T00:00:00Z'), framesPerSecond: source.fps, frame: { width: source.width, height: source.height } });
  const start = performance.now();
  detections.forEach((d, i) => pipeline.step(i / source.fps, 1 / source.fps, d));
  pipeline.finish();
  perFrameUs.push(((performance.now() - start) * 1000) / detections.length);
}
perFrameUs.sort((a, b) => a - b);
const medianUs = perFrameUs[Math.floor(repeats / 2)];
const people = detections.reduce((n, d) => n + d.filter((x) => x.label === 'person' && x.score >= 0.25).length, 0) / detections.length;

console.log(`speed on ${frames.length} frames of ${values.video!.split('/').at(-1)} at ${describeSizes(sizes)}, ${process.env.BYLIV_BENCH_NOTE ?? ''}`);
console.log(`  bare inference            ${inferenceRate.toFixed(1)} frames/s  (${(1000 / inferenceRate).toFixed(1)} ms/frame; runs ${inferenceRates.map((r) => r.toFixed(1)).join(', ')})`);
console.log(`  whole pipeline (CLI path) ${pipelineRate.toFixed(1)} frames/s  (runs ${pipelineRates.map((r) => r.toFixed(1)).join(', ')}; includes start-up)`);
console.log(`  pipeline / inference      ${(pipelineRate / inferenceRate).toFixed(3)}   (target >= 0.85)`);
console.log(`  track + count             ${medianUs.toFixed(1)} us/frame median of ${repeats}, ${people.toFixed(1)} person detections/frame, ${((medianUs / 1000) / (1000 / inferenceRate) * 100).toFixed(2)}% of an inference`);
console.log('  (50-person synthetic scene: npx tsx bench/track-count.ts)');
