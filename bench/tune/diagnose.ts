/**
 * Where a tracker setting loses: the detector's recall/precision in the cache at several
 * score thresholds, then, for the tracker's output, each GT person's story as runs of
 * "frames covered by hypothesis id X" and gaps (no hypothesis at IoU >= 0.5), so
 * fragmentation and switches can be read off person by person.
 *
 *   npx tsx bench/tune/diagnose.ts [--cache F] [--set key=value ...] [--id GT_ID]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { MatchTotals, matchFrame, type Box } from '../detection-match.ts';
import { countTrajectories } from '../mot/counting-gt.ts';
import { byFrame, iou, parseMot, trajectories } from '../mot/gt.ts';
import { PETS09_GT, PETS09_SCENE } from '../mot/paths.ts';
import { cachePath, readCache } from './cache.ts';
import { replay } from './replay.ts';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', default: cachePath(416, 416, 0.05) },
    set: { type: 'string', multiple: true, default: [] },
    id: { type: 'string' },
  },
});
const cache = readCache(values.cache);
const scene = loadSceneFile(PETS09_SCENE);
const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT).filter((b) => b.frame <= cache.frames.length);
const truth = countTrajectories(gt, scene, { framesPerSecond: cache.fps, frames: cache.frames.length });
const gtFrames = byFrame(gt);

process.stdout.write('detector (persons) against GT, IoU 0.5\nscore  recall  precision\n');
for (const s of [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) {
  const tot = new MatchTotals();
  for (const f of cache.frames) {
    const dets = f.detections.filter((d) => d.label === 'person' && d.score >= s);
    const truthBoxes = (gtFrames.get(f.index + 1) ?? []).map((b) => [b.left, b.top, b.left + b.width, b.top + b.height] as Box);
    tot.add(matchFrame(dets.map((d) => ({ box: d.box, score: d.score })), truthBoxes));
  }
  const recall = tot.truePositives / (tot.truePositives + tot.misses);
  const precision = tot.truePositives / (tot.truePositives + tot.falsePositives);
  process.stdout.write(`${s.toFixed(2)}  ${(100 * recall).toFixed(1).padStart(6)}  ${(100 * precision).toFixed(1).padStart(9)}\n`);
}

const tracker: Record<string, unknown> = {};
for (const spec of values.set) {
  const [key, raw] = spec.split('=');
  const v = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw;
  const path = key.split('.');
  let o = tracker;
  for (const p of path.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[path[path.length - 1]] = v;
}
const res = replay(cache, scene, gt, truth, tracker);
const hypFrames = byFrame(res.hyp);
process.stdout.write(`\ntracker ${JSON.stringify(tracker)}: MOTA ${(100 * res.report.mot.mota).toFixed(1)} IDF1 ${(100 * res.report.mot.idf1).toFixed(1)}\n`);
process.stdout.write('per GT id: runs as hypId:firstFrame-lastFrame, "-" = not covered\n');
for (const t of trajectories(gt)) {
  if (values.id && String(t.id) !== values.id) continue;
  const runs: { id: string; from: number; to: number }[] = [];
  for (const b of t.boxes) {
    let best = '-';
    let bestIou = 0.5;
    for (const h of hypFrames.get(b.frame) ?? []) {
      const o = iou(b, h);
      if (o >= bestIou) {
        bestIou = o;
        best = String(h.id);
      }
    }
    const last = runs[runs.length - 1];
    if (last && last.id === best && last.to === b.frame - 1) last.to = b.frame;
    else runs.push({ id: best, from: b.frame, to: b.frame });
  }
  const foot = (f: number) => {
    const b = t.boxes.find((x) => x.frame === f)!;
    return `(${Math.round(b.left + b.width / 2)},${Math.round(b.top + b.height)})`;
  };
  process.stdout.write(`GT ${t.id} [${t.boxes.length}]: ${runs.map((r) => `${r.id}:${r.from}-${r.to}${r.id === '-' ? foot(r.from) : ''}`).join(' ')}\n`);
}
