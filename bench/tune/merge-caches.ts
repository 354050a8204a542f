/**
 * Merges detection caches of one video made at different input sizes into one cache, as a
 * multi-scale detector would see them: per frame, the union of the boxes (source pixels),
 * then class-wise NMS. Lets a sweep measure what a second pass at another scale is worth
 * before any of it is built into the agent.
 *
 *   npx tsx bench/tune/merge-caches.ts --cache A.json --cache B.json [--iou 0.6] [--later-min-height H] --out merged.json
 *
 * The first --cache is the fine pass; `--later-min-height` (in the later pass's input pixels) as in
 * edge/src/detect/merge.ts (the agent's default: DEFAULT_COARSE_MIN_HEIGHT).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mergeDetections } from '../../edge/src/detect/merge.ts';
import { readCache, type DetectionCache } from './cache.ts';

const { values } = parseArgs({
  options: {
    cache: { type: 'string', multiple: true, default: [] },
    iou: { type: 'string', default: '0.6' },
    'later-min-height': { type: 'string', default: '0' },
    out: { type: 'string' },
  },
});
if (values.cache.length < 2 || !values.out) throw new Error('usage: merge-caches.ts --cache A.json --cache B.json [--iou 0.6] --out merged.json');
const iou = Number(values.iou);
if (!(iou > 0 && iou < 1)) throw new Error(`--iou must be in (0, 1), got ${values.iou}`);
const laterMinHeight = Number(values['later-min-height']);
if (!(laterMinHeight >= 0)) throw new Error(`--later-min-height must be a number >= 0, got ${values['later-min-height']}`);
const caches = values.cache.map(readCache);
const [first] = caches;
for (const c of caches) {
  if (c.video !== first.video) throw new Error(`caches are of different videos: ${first.video} and ${c.video}`);
  if (c.frames.length !== first.frames.length) throw new Error(`caches differ in frame count: ${first.frames.length} and ${c.frames.length}`);
}
// Input pixels of the later pass -> source pixels, as MultiScaleDetector does it.
const laterPassMinHeight = caches.length > 1 ? (laterMinHeight * caches[1].sourceHeight) / caches[1].height : 0;
const merged: DetectionCache = {
  ...first,
  // width/height stay the first (fine) pass's; the file name says which passes were merged.
  scoreThreshold: Math.max(...caches.map((c) => c.scoreThreshold)),
  inferenceMsPerFrame: caches.reduce((s, c) => s + c.inferenceMsPerFrame, 0),
  // The agent's own merge (class-wise NMS, so a cyclist's bicycle never suppresses them).
  frames: first.frames.map((f, k) => ({ ...f, detections: mergeDetections(caches.map((c) => c.frames[k].detections), { iouThreshold: iou, laterPassMinHeight }) })),
};
writeFileSync(values.out, JSON.stringify(merged));
process.stdout.write(`${merged.frames.length} frames merged from ${caches.length} caches (inputs ${caches.map((c) => `${c.width}x${c.height}`).join(' + ')}), ${merged.inferenceMsPerFrame.toFixed(1)} ms/frame together, written ${values.out}\n`);
