import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { countTrajectories } from './counting-gt.ts';
import { parseMot } from './gt.ts';
import { PETS09_GT, PETS09_SCENE } from './paths.ts';
import { scoreSequence } from './sequence-score.ts';
import { formatSuite, pooled, worstMedianError } from './suite-report.ts';

describe.skipIf(!existsSync(PETS09_GT))('scoreSequence and the suite table (PETS09-S2L1 ground truth)', () => {
  const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);
  const scene = loadSceneFile(PETS09_SCENE);
  const perfect = countTrajectories(gt, scene, { framesPerSecond: 10, frames: 795 });

  it('the ground truth scored against itself has no error anywhere', () => {
    const s = scoreSequence(gt, gt, perfect, scene, 10, 795);
    expect(s.report.mot.mota).toBe(1);
    expect(s.hota.hota).toBeCloseTo(1, 12);
    expect([s.entriesError, s.visitsError, s.lineError]).toEqual([0, 0, 0]);
    expect(worstMedianError(s, true)).toBe(0);
    expect(s.visits.find((z) => z.id === 'centre-diamond')!.gt.visits).toBe(30);
  });

  it('counts short by one visit in a zone show as that zone\'s share of all visits', () => {
    const fewer = structuredClone(perfect);
    const z = fewer.zones['centre-diamond'];
    z.visits -= 1;
    z.entries -= 1;
    const s = scoreSequence(gt, gt, fewer, scene, 10, 795);
    const total = Object.values(perfect.zones).reduce((n, q) => n + q.visits, 0);
    expect(s.visitsError).toBeCloseTo(1 / total, 12);
  });

  it('pools MOTA from summed counts and prints one row per sequence and per role', () => {
    const s = scoreSequence(gt, gt.filter((b) => b.frame % 2 === 0), perfect, scene, 10, 795);
    const rows = [
      { id: 'a', role: 'dev', frames: 795, score: scoreSequence(gt, gt, perfect, scene, 10, 795), fps: 20 },
      { id: 'b', role: 'holdout', frames: 795, score: s },
    ];
    const p = pooled(rows);
    expect(p.mota).toBeCloseTo(1 - s.report.mot.fn / (2 * s.report.mot.numGt), 12);
    const text = formatSuite(rows);
    expect(text).toMatch(/^a\s+dev\s+795\s+100\.0\s+100\.0\s+100\.0/m);
    expect(text).toMatch(/^\(all holdout\)/m);
    expect(text).toMatch(/b: zones/);
  });
});
