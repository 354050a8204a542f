/**
 * Merges detection caches of one video made at different input sizes into one cache, as a
 * multi-scale detector would see them: per frame, the union of the boxes (source pixels),
 * then class-wise NMS. Lets a sweep measure what a second pass at another scale is worth
 * before any of it is built into the agent.
 *
 *   npx tsx bench/tune/merge-caches.ts --cache A.json --cache B.json [--iou 0.6] --out merged.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { nms } from '../../models/src/decoders/nms.ts';
import { readCache, type DetectionCache } from './cache.ts';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', multiple: true, default: [] },
    iou: { type: 'string', default: '0.6' },
    out: { type: 'string' },
  },
});
if (values.cache.length < 2 || !values.out) throw new Error('usage: merge-caches.ts --cache A.json --cache B.json [--iou 0.6] --out merged.json');
const iou = Number(values.iou);
if (!(iou > 0 && iou < 1)) throw new Error(`--iou must be in (0, 1), got ${values.iou}`);
const caches = values.cache.map(readCache);
const [first] = caches;
for (const c of caches) {
  if (c.video !== first.video) throw new Error(`caches are of different videos: ${first.video} and ${c.video}`);
  if (c.frames.length !== first.frames.length) throw new Error(`caches differ in frame count: ${first.frames.length} and ${c.frames.length}`);
}
// nms keeps classes apart by index: one per label, so a cyclist's bicycle never suppresses them.
const labels = [...new Set(caches.flatMap((c) => c.frames.flatMap((f) => f.detections.map((d) => d.label))))];
const merged: DetectionCache = {
  ...first,
  // width/height stay the first (fine) pass's; the file name says which passes were merged.
  scoreThreshold: Math.max(...caches.map((c) => c.scoreThreshold)),
  inferenceMsPerFrame: caches.reduce((s, c) => s + c.inferenceMsPerFrame, 0),
  frames: first.frames.map((f, k) => {
    const all = caches.flatMap((c) => c.frames[k].detections);
    const raw = all.map((d) => ({ box: d.box, score: d.score, classIndex: labels.indexOf(d.label), label: d.label }));
    return { ...f, detections: nms(raw, iou).map((d) => ({ box: d.box, score: d.score, label: d.label })) };
  }),
};
writeFileSync(values.out, JSON.stringify(merged));
process.stdout.write(`${merged.frames.length} frames merged from ${caches.length} caches (inputs ${caches.map((c) => `${c.width}x${c.height}`).join(' + ')}), ${merged.inferenceMsPerFrame.toFixed(1)} ms/frame together, written ${values.out}\n`);
