import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { countTrajectories } from '../mot/counting-gt.ts';
import { byFrame, parseMot } from '../mot/gt.ts';
import { PETS09_GT, PETS09_SCENE } from '../mot/paths.ts';
import type { DetectionCache } from './cache.ts';
import { replay, row } from './replay.ts';

const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);
const scene = loadSceneFile(PETS09_SCENE);
const frames = 795;
const truth = countTrajectories(gt, scene, { framesPerSecond: 10, frames });

/** The ground truth itself as a detector's output (every person, score 0.9), 10 fps. */
function perfectCache(): DetectionCache {
  const boxes = byFrame(gt);
  return {
    video: 'gt',
    model: 'ground truth',
    width: 768,
    height: 576,
    scoreThreshold: 0.05,
    fps: 10,
    sourceWidth: 768,
    sourceHeight: 576,
    inferenceMsPerFrame: 0,
    frames: Array.from({ length: frames }, (_, index) => ({
      index,
      time: index / 10,
      detections: (boxes.get(index + 1) ?? []).map((b) => ({ box: [b.left, b.top, b.left + b.width, b.top + b.height] as [number, number, number, number], score: 0.9, label: 'person' })),
    })),
  };
}

describe('replay', () => {
  it('tracks perfect detections almost perfectly, with 1-based frames and counts close to the truth', () => {
    // The agent always knows its frame size (without it, see the next test).
    const res = replay(perfectCache(), scene, gt, truth, { frame: { width: 768, height: 576 } });
    const r = row(res.report);
    // Only first frames before confirmation and the odd crossing of two people cost anything.
    expect(r.mota).toBeGreaterThan(0.97);
    expect(r.idf1).toBeGreaterThan(0.9);
    expect(r.lineErr).toBeLessThan(0.1);
    expect(res.hyp[0].frame).toBe(2); // confirmed on the second frame (frame 2 in MOT numbering)
    expect(res.summary.frames).toBe(frames);
  });

  it('keeps every identity apart on perfect detections once the tracker knows the frame size', () => {
    // Without it, two people who left the view are taken for the next person walking in at
    // the same spot (17 ids for 19 people); with it, exactly 19.
    const blind = row(replay(perfectCache(), scene, gt, truth, {}).report);
    const told = row(replay(perfectCache(), scene, gt, truth, { frame: { width: 768, height: 576 } }).report);
    expect(blind.hypIds).toBeLessThan(19);
    expect(told.hypIds).toBe(19);
    expect(told.idsw).toBe(0);
    expect(told.idf1).toBeGreaterThan(0.99);
  });

  it('re-thresholds the cache: with every detection below minScore nothing is tracked', () => {
    const res = replay(perfectCache(), scene, gt, truth, {}, { minScore: 0.95 });
    expect(res.hyp).toEqual([]);
    expect(res.report.mot.fn).toBe(gt.length);
  });
});
