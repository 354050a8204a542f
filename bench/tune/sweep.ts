/**
 * Grid sweep of tracker settings over cached detections (bench/tune/cache-detections.ts):
 * every combination is replayed through the real tracker and counters and scored with the
 * benchmark's evaluator, in-process (well under a second each).
 *
 *   npx tsx bench/tune/sweep.ts [--cache bench/out/dets-416x416-s0.05.json]
 *        [--set key=v1,v2,... ...] [--sort idf1|mota|sum] [--top N] [--json out.json]
 *
 * Keys are ByteTrackerOptions fields (`trackBufferSeconds=2,4,6`), nested with a dot
 * (`kalman.velocityWeight=0.00625,0.0125`), or `minScore` (re-threshold the cached
 * detections). Values are numbers, `true`/`false`, or strings (`outputBox=kalman,detection`);
 * `recovery=false,on` compares a group off and on (its nested keys apply when on).
 * With no --set it scores the tracker's defaults.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import type { ByteTrackerOptions } from '../../edge/src/track/index.ts';
import { countTrajectories } from '../mot/counting-gt.ts';
import { parseMot } from '../mot/gt.ts';
import { PETS09_GT, PETS09_SCENE } from '../mot/paths.ts';
import { cachePath, readCache } from './cache.ts';
import { replay, row } from './replay.ts';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: cachePath(416, 416, 0.05) },
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

function toOptions(combo: Record<string, Value>): { tracker: ByteTrackerOptions; minScore?: number } {
  const tracker: Record<string, unknown> = {};
  let minScore: number | undefined;
  for (const [key, v] of Object.entries(combo)) {
    if (key === 'minScore') {
      minScore = Number(v);
      continue;
    }
    const path = key.split('.');
    let o: Record<string, unknown> | false = tracker;
    // A group switched off (`recovery=false`) ignores its nested keys.
    for (const p of path.slice(0, -1)) if (o) o = (o[p] ??= {}) as Record<string, unknown> | false;
    const leaf = path[path.length - 1];
    // `group=on` switches a group on with its defaults (nested keys may follow).
    if (o) o[leaf] = v === 'on' ? ((o[leaf] as object | undefined) ?? {}) : v;
  }
  return { tracker: tracker as ByteTrackerOptions, minScore };
}

const cache = readCache(values.cache);
const scene = loadSceneFile(PETS09_SCENE);
const gtAll = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);
const frames = cache.frames.length;
const gt = gtAll.filter((b) => b.frame <= frames);
const truth = countTrajectories(gt, scene, { framesPerSecond: cache.fps, frames });

const results: { combo: Record<string, Value>; r: Record<string, number>; us: number }[] = [];
for (const combo of combinations()) {
  const { tracker, minScore } = toOptions(combo);
  const res = replay(cache, scene, gt, truth, tracker, { minScore });
  results.push({ combo, r: row(res.report), us: res.usPerFrame });
}
const key = values.sort;
const score = (r: Record<string, number>): number => (key === 'sum' ? r.mota + r.idf1 : r[key]);
results.sort((a, b) => score(b.r) - score(a.r));

const pct = (x: number) => (100 * x).toFixed(1);
process.stdout.write(`cache ${values.cache} (${cache.width}x${cache.height}, ${frames} frames), ${results.length} settings, sorted by ${key}\n`);
process.stdout.write(['MOTA', 'IDF1', 'IDSW', 'FP', 'FN', 'ids', 'line%', 'zL%', 'zC%', 'zR%', 'us/f', 'setting'].map((h) => h.padStart(6)).join(' ') + '\n');
for (const { combo, r, us } of results.slice(0, Number(values.top))) {
  const cells = [pct(r.mota), pct(r.idf1), r.idsw, r.fp, r.fn, r.hypIds, pct(r.lineErr), pct(r.zLeft), pct(r.zCentre), pct(r.zRight), us.toFixed(0)].map((c) => String(c).padStart(6));
  process.stdout.write(`${cells.join(' ')}  ${Object.entries(combo).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
