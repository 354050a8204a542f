/**
 * Several cameras in one agent process over one model session, as ratios measured in one run:
 *   1. a single-camera run (runEdge, the CLI's path) on the PETS video: the base rate;
 *   2. the Agent with 1, 2 and 4 cameras on the same video: frames per second per camera and in
 *      total, each as a ratio to the base rate, and each camera's summary checked against the
 *      single-camera run's (they must be identical: cameras share the session, not their counts);
 *      The 2 and 4 camera runs are repeated with frames batched across cameras (SharedModel);
 *   3. whether batching frames across cameras would pay: one inference call on 2 frames
 *      against 2 calls on one frame each, on frames already in memory.
 * Usage: npx tsx bench/multi-camera.ts [--video V] [--scene S] [--max-frames N] [--threads T]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ensureDefaultModel, loadManifest } from '@byliv/models';
import { parseCli, type RunRequest } from '../edge/src/cli-args.ts';
import { runEdge } from '../edge/src/run/edge-run.ts';
import { createAgent } from '../edge/src/agent/index.ts';
import { createOnnxDetector } from '../edge/src/detect/index.ts';
import { probeVideo } from '../edge/src/source/index.ts';
import { chooseInputSizes } from '../edge/src/run/input-size.ts';
import type { Frame } from '../edge/src/types.ts';

const { values } = parseArgs({
  options: {
    video: { type: 'string', default: new URL('../../shared/datasets/pets09-s2l1/vtest.avi', import.meta.url).pathname },
    scene: { type: 'string', default: new URL('./scenes/pets09.json', import.meta.url).pathname },
    'max-frames': { type: 'string', default: '200' },
    threads: { type: 'string' },
  },
});
const maxFrames = Number(values['max-frames']);
const manifestPath = await ensureDefaultModel();
const work = mkdtempSync(join(tmpdir(), 'byliv-multi-camera-'));
// A fixed start time: every run has the same bins, so summaries compare exactly.
const common = ['--source', values.video!, '--max-frames', String(maxFrames), '--start-time', '2025-05-01T10:00:00Z', '--quiet', '--model', manifestPath];
if (values.threads) common.push('--threads', values.threads);

/** The same scene under camera id `view<i>`: each camera its own counts and outbox. */
function sceneFor(i: number): string {
  const scene = JSON.parse(readFileSync(values.scene!, 'utf8'));
  const path = join(work, `scene-${i}.json`);
  writeFileSync(path, JSON.stringify({ ...scene, camera: `view${i}` }));
  return path;
}
const request = (i: number) => parseCli(['run', ...common, '--scene', sceneFor(i)]) as RunRequest;

try {
  const t0 = performance.now();
  const single = await runEdge(request(1), { log: () => {} });
  const baseRate = single.summary.frames / ((performance.now() - t0) / 1000);
  console.log(`single-camera run (runEdge): ${single.summary.frames} frames at ${baseRate.toFixed(2)} frames/s`);
  console.log('\ncameras | frames/s per camera (ratio) | total frames/s (ratio) | summaries identical to the single-camera run');

  let allIdentical = true;
  const runs = [1, 2, 4].map((n) => ({ n, batch: false })).concat([2, 4].map((n) => ({ n, batch: true })));
  for (const { n, batch } of runs) {
    const agent = createAgent({ cameras: Array.from({ length: n }, (_, i) => request(i + 1)), log: () => {}, batchAcrossCameras: batch });
    const started = performance.now();
    await agent.start();
    const outcomes = await agent.finished;
    const seconds = (performance.now() - started) / 1000;
    const failed = outcomes.filter((o) => !o.result);
    if (failed.length) throw new Error(`${failed.length} of ${n} cameras failed: ${failed.map((o) => o.error?.message).join('; ')}`);
    const perCamera = outcomes.map((o) => o.result!.summary.frames / seconds);
    const mean = perCamera.reduce((a, b) => a + b, 0) / n;
    const total = perCamera.reduce((a, b) => a + b, 0);
    const identical = outcomes.every((o) => isDeepStrictEqual(o.result!.summary, single.summary));
    allIdentical &&= identical;
    console.log(`${n}${batch ? ' batched' : ''} | ${mean.toFixed(2)} (${(mean / baseRate).toFixed(2)}) | ${total.toFixed(2)} (${(total / baseRate).toFixed(2)}) | ${identical ? 'yes' : 'NO'}`);
  }

  // 3. Batching across cameras: 2 frames in one session call against one call each.
  const info = await probeVideo(values.video!);
  const { manifest } = await loadManifest(manifestPath);
  const { fine } = chooseInputSizes(manifest.input, info);
  const detector = await createOnnxDetector(manifestPath, { inputWidth: fine.width, inputHeight: fine.height, threads: values.threads ? Number(values.threads) : undefined });
  const count = 20;
  const raw = spawnSync('ffmpeg', ['-v', 'error', '-i', values.video!, '-frames:v', String(count), '-vf', `scale=${fine.width}:${fine.height}:flags=bilinear`, '-f', 'rawvideo', '-pix_fmt', manifest.input.pixelFormat, '-'], { maxBuffer: 2 ** 28 });
  const bytes = fine.width * fine.height * 3;
  const frames: Frame[] = Array.from({ length: count }, (_, i) => ({ index: i, time: i / info.fps, pixels: raw.stdout.subarray(i * bytes, (i + 1) * bytes), width: fine.width, height: fine.height, sourceWidth: info.width, sourceHeight: info.height }));
  for (const f of frames.slice(0, 4)) await detector.detect(f); // warm-up
  const timeIt = async (run: () => Promise<unknown>) => {
    const s = performance.now();
    await run();
    return performance.now() - s;
  };
  // A B B A, so load drifting on a shared machine weighs on both alike.
  const oneByOne = () => timeIt(async () => { for (const f of frames) await detector.detect(f); });
  const inPairs = () => timeIt(async () => { for (let i = 0; i < count; i += 2) await detector.detectBatch(frames.slice(i, i + 2)); });
  const a1 = await oneByOne();
  const b1 = await inPairs();
  const b2 = await inPairs();
  const a2 = await oneByOne();
  await detector.close();
  const ratio = (a1 + a2) / (b1 + b2);
  console.log(`\nbatching across cameras (fine pass ${fine.width}x${fine.height}, ${count} frames): one call per frame ${((a1 + a2) / 2 / count).toFixed(1)} ms/frame, two frames per call ${((b1 + b2) / 2 / count).toFixed(1)} ms/frame: batches of 2 are ${ratio.toFixed(2)}x the speed of single frames`);
  console.log(allIdentical ? '\nevery camera’s summary is identical to the single-camera run of the same video' : '\nFAILED: some camera’s summary differs from the single-camera run');
  process.exitCode = allIdentical ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
