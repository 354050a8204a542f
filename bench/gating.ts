/**
 * Motion gating (issue 13, item 3): effective frames per second of the real agent with the
 * gate off and on, and the counts with both, on
 *   (a) a quiet square: an empty-square frame held for --still seconds, then the first
 *       --clip-frames of PETS09-S2L1, at the clip's frame rate and size;
 *   (b) the plain PETS09-S2L1 clip (all 795 frames by default): counts must be equal.
 * The empty square is the clip's frames averaged over time (people wash out to faint ghosts).
 * Usage: npx tsx bench/gating.ts [--video V] [--scene S] [--still 40] [--clip-frames 200] [--frames N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDefaultModel } from '@byliv/models';
import { probeVideo } from '../edge/src/source/index.ts';
import { runEdge, type RunResult } from '../edge/src/run/edge-run.ts';
import { parseCli, type RunRequest } from '../edge/src/cli-args.ts';

const { values } = parseArgs({
  options: {
    video: { type: 'string', default: new URL('../../shared/datasets/pets09-s2l1/vtest.avi', import.meta.url).pathname },
    scene: { type: 'string', default: new URL('./scenes/pets09.json', import.meta.url).pathname },
    still: { type: 'string', default: '40' },
    'clip-frames': { type: 'string', default: '200' },
    frames: { type: 'string' },
  },
});
const video = values.video!;
const info = await probeVideo(video);
await ensureDefaultModel();

const dir = mkdtempSync(join(tmpdir(), 'byliv-gating-'));
function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${r.stderr}`);
}
// The empty square: every 8th frame averaged (tmix), the last output frame kept.
const empty = join(dir, 'empty.png');
ffmpeg(['-i', video, '-vf', `select='not(mod(n\\,8))',tmix=frames=99`, '-vsync', 'vfr', '-update', '1', empty]);
const quiet = join(dir, 'quiet.mp4');
const still = Number(values.still);
const clipFrames = Number(values['clip-frames']);
ffmpeg([
  '-loop', '1', '-framerate', String(info.fps), '-t', String(still), '-i', empty,
  '-i', video,
  '-filter_complex', `[0:v]scale=${info.width}:${info.height},format=yuv420p,setsar=1[a];[1:v]trim=end_frame=${clipFrames},setpts=PTS-STARTPTS,format=yuv420p,setsar=1[b];[a][b]concat=n=2:v=1[v]`,
  '-map', '[v]', '-r', String(info.fps), '-c:v', 'libx264', '-crf', '18', '-preset', 'veryfast', quiet,
]);

interface Measured {
  fps: number;
  result: RunResult;
}
async function measure(source: string, gate: 'on' | 'off', maxFrames?: number): Promise<Measured> {
  const req = parseCli(['run', '--source', source, '--scene', values.scene!, '--quiet', '--motion-gate', gate, ...(maxFrames ? ['--max-frames', String(maxFrames)] : [])]) as RunRequest;
  const t0 = performance.now();
  const result = await runEdge(req, { log: () => {} });
  return { fps: result.summary.frames / ((performance.now() - t0) / 1000), result };
}
const counts = (r: RunResult) => {
  const lines = Object.entries(r.summary.lines).map(([id, l]) => `${id} ${l.forward}/${l.backward}`);
  const zones = Object.entries(r.summary.zones).map(([id, z]) => `${id} in ${z.entries} out ${z.exits} ${z.personSeconds} person-s max ${z.maxOccupancy}`);
  return [...lines, ...zones].join('; ');
};
const same = (a: RunResult, b: RunResult) => JSON.stringify(a.summary) === JSON.stringify(b.summary);

function report(name: string, off: Measured, on: Measured): void {
  const frames = off.result.summary.frames;
  const calls = on.result.gate ? `${on.result.gate.detected} of ${on.result.gate.detected + on.result.gate.gated} (${on.result.gate.gated} skipped)` : '?';
  console.log(`${name}: ${frames} frames`);
  console.log(`  gate off ${off.fps.toFixed(1)} frames/s, model calls ${frames}`);
  console.log(`  gate on  ${on.fps.toFixed(1)} frames/s, model calls ${calls}`);
  console.log(`  on / off ${(on.fps / off.fps).toFixed(2)}x`);
  console.log(`  counts off: ${counts(off.result)}`);
  console.log(`  counts on:  ${counts(on.result)}`);
  console.log(`  summaries ${same(off.result, on.result) ? 'EQUAL' : 'DIFFER'}`);
}

const maxFrames = values.frames ? Number(values.frames) : undefined;
try {
  console.log(`motion gating on ${video.split('/').at(-1)} (${info.width}x${info.height} at ${info.fps} fps), ${process.env.BYLIV_BENCH_NOTE ?? ''}`);
  report(`(a) quiet square: ${still} s of an empty-square frame, then ${clipFrames} frames of the clip`, await measure(quiet, 'off'), await measure(quiet, 'on'));
  report('(b) plain clip', await measure(video, 'off', maxFrames), await measure(video, 'on', maxFrames));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
