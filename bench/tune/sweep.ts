/**
 * Grid sweep of tracker settings over cached detections (bench/tune/cache-detections.ts):
 * every combination is replayed through the real tracker and counters and scored with the
 * benchmark's evaluator, in-process (well under a second each).
 *
 *   npx tsx bench/tune/sweep.ts [--cache bench/out/dets-416x416-s0.05.json ...]
 *        [--set key=v1,v2,... ...] [--sort idf1|mota|sum] [--top N] [--json out.json]
 *
 * Keys are ByteTrackerOptions fields (`trackBufferSeconds=2,4,6`), nested with a dot
 * (`kalman.velocityWeight=0.00625,0.0125`), or `minScore` (re-threshold the cached
 * detections). Values are numbers, `true`/`false`, or strings (`outputBox=kalman,detection`);
 * `recovery=false,on` compares a group off and on (its nested keys apply when on);
 * `frame=source` tells the tracker the source frame size (any other value: not told).
 * `continuation.<key>` and `zoneCounter.<key>` set the stages after the tracker.
 * With no --set it scores the tracker's defaults. Each cache is scored against the ground
 * truth and scene of the sequence whose video it was made from (bench/mot/sequences.ts).
 * With several --cache files (several sequences, or one at several input sizes) each setting
 * is ranked by its mean over them and its worst case is shown too: a setting that only wins
 * on one detector's particular misses is tuned to noise. Tune on the dev sequences only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { resolve } from 'node:path';
import type { ZoneCounterOptions } from '../../edge/src/count/index.ts';
import type { ByteTrackerOptions, ContinuationOptions } from '../../edge/src/track/index.ts';
import { countTrajectories } from '../mot/counting-gt.ts';
import { parseMot } from '../mot/gt.ts';
import { findSequences } from '../mot/sequences.ts';
import { cachePath, readCache } from './cache.ts';
import { replay, row } from './replay.ts';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', multiple: true, default: [cachePath(416, 416, 0.05)] },
    set: { type: 'string', multiple: true, default: [] },
    sort: { type: 'string', default: 'sum' },
    top: { type: 'string', default: '40' },
    json: { type: 'string' },
  },
});

type Value = number | boolean | string;
const parseValue = (s: string): Value => (s === 'true' ? true : s === 'false' ? false : s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
const axes: [string, Value[]][] = values.set.map((spec) => {
  const eq = spec.indexOf('=');
  if (eq < 1) throw new Error(`--set must look like key=v1,v2, got "${spec}"`);
  return [spec.slice(0, eq), spec.slice(eq + 1).split(',').map(parseValue)];
});

function* combinations(k = 0, acc: Record<string, Value> = {}): Generator<Record<string, Value>> {
  if (k === axes.length) {
    yield { ...acc };
    return;
  }
  const [key, vals] = axes[k];
  for (const v of vals) {
    acc[key] = v;
    yield* combinations(k + 1, acc);
  }
}

function toOptions(combo: Record<string, Value>): { tracker: ByteTrackerOptions; minScore?: number; continuation: ContinuationOptions; zoneCounter: ZoneCounterOptions } {
  const tracker: Record<string, unknown> = {};
  const stages: Record<string, Record<string, unknown>> = { continuation: {}, zoneCounter: {} };
  let minScore: number | undefined;
  for (const [key, v] of Object.entries(combo)) {
    if (key === 'minScore') {
      minScore = Number(v);
      continue;
    }
    const path = key.split('.');
    // `continuation.windowSeconds=…`, `zoneCounter.hysteresisPx=…` set the stages after the tracker.
    const stage = stages[path[0]];
    if (stage) path.shift();
    let o: Record<string, unknown> | false = stage ?? tracker;
    // A group switched off (`recovery=false`) ignores its nested keys.
    for (const p of path.slice(0, -1)) if (o) o = (o[p] ??= {}) as Record<string, unknown> | false;
    const leaf = path[path.length - 1];
    // `group=on` switches a group on with its defaults (nested keys may follow).
    if (o) o[leaf] = v === 'on' ? ((o[leaf] as object | undefined) ?? {}) : v;
  }
  return { tracker: tracker as ByteTrackerOptions, minScore, continuation: stages.continuation, zoneCounter: stages.zoneCounter };
}

const caches = values.cache.map(readCache);
// Each cache is scored against its own sequence's ground truth and scene (bench/mot/sequences.ts).
const { available } = findSequences();
const scored = caches.map((c) => {
  const seq = available.find((q) => resolve(q.video) === resolve(c.video));
  if (!seq) throw new Error(`cache of ${c.video}: no benchmark sequence has this video (bench/mot/sequences.ts)`);
  const frames = c.frames.length;
  const scene = loadSceneFile(seq.scene);
  const gt = parseMot(readFileSync(seq.gt, 'utf8'), seq.gt).filter((b) => b.frame <= frames);
  const truth = countTrajectories(gt.filter((b) => b.score !== 0), scene, { framesPerSecond: seq.fps, frames });
  return { seq, scene, gt, truth };
});

const key = values.sort;
const score = (r: Record<string, number>): number => (key === 'sum' ? r.mota + r.idf1 : r[key]);
interface Result {
  combo: Record<string, Value>;
  /** Per cache. */
  rows: Record<string, number>[];
  us: number;
  mean: number;
  worst: number;
}
const results: Result[] = [];
for (const combo of combinations()) {
  const { tracker, minScore, continuation, zoneCounter } = toOptions(combo);
  // `frame=source`: the tracker is told the source frame size of each cache.
  const forCache = (c: (typeof caches)[number]): ByteTrackerOptions =>
    (tracker.frame as unknown) === 'source' ? { ...tracker, frame: { width: c.sourceWidth, height: c.sourceHeight } } : { ...tracker, frame: undefined };
  const runs = caches.map((c, k) => replay(c, scored[k].scene, scored[k].gt, scored[k].truth, forCache(c), { minScore, continuation, zoneCounter }));
  const rows = runs.map((r) => row(r.report));
  const scores = rows.map(score);
  results.push({ combo, rows, us: Math.max(...runs.map((r) => r.usPerFrame)), mean: scores.reduce((a, b) => a + b, 0) / scores.length, worst: Math.min(...scores) });
}
results.sort((a, b) => b.mean - a.mean);

const pct = (x: number) => (100 * x).toFixed(1);
process.stdout.write(`caches ${caches.map((c, k) => `${scored[k].seq.id} ${c.width}x${c.height}`).join(', ')}, ${results.length} settings, sorted by mean ${key}\n`);
process.stdout.write(['sequence size'.padStart(20), 'MOTA', 'IDF1', 'IDSW', 'FP', 'FN', 'ids', 'line%', 'zL%', 'zC%', 'zR%', 'us/f'].map((h) => h.padStart(7)).join(' ') + '\n');
for (const { combo, rows, us, mean, worst } of results.slice(0, Number(values.top))) {
  process.stdout.write(`mean ${key} ${pct(mean)}, worst ${pct(worst)}: ${Object.entries(combo).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
  rows.forEach((r, k) => {
    const cells = [`${scored[k].seq.id.slice(0, 8)} ${caches[k].width}x${caches[k].height}`, pct(r.mota), pct(r.idf1), r.idsw, r.fp, r.fn, r.hypIds, pct(r.lineErr), pct(r.zLeft), pct(r.zCentre), pct(r.zRight), us.toFixed(0)];
    process.stdout.write(cells.map((c) => String(c).padStart(7)).join(' ') + '\n');
  });
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
