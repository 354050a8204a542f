/**
 * The staying scene and held frame follow the written rule (README.md) on the real ground
 * truth; the scene file is the rule's output; the held ground truth gives one staying visit
 * per zone and no crossing during the hold.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { STAYING_SECONDS } from '@byliv/protocol';
import { checkSceneFitsFrame, loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { footPoint, insidePolygon } from '../mot/counting-gt.ts';
import { parseMot } from '../mot/gt.ts';
import { PETS09_GT } from '../mot/paths.ts';
import { holdGroundTruth } from './hold.ts';
import { STAYING_HOLD_FRAME } from './make-staying.ts';
import { stayingTruth } from './report.ts';
import { chooseHoldFrame, PETS09_SIZE, sceneJson, STAYING_SCENE, stayingScene } from './rule.ts';

describe.skipIf(!existsSync(PETS09_GT))('the staying rule on PETS09-S2L1', () => {
  const gt = existsSync(PETS09_GT) ? parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT) : [];

  it('chooses frame 688 with 7 people, and the scene file is what the rule places', () => {
    const choice = chooseHoldFrame(gt, PETS09_SIZE);
    expect(choice.frame).toBe(STAYING_HOLD_FRAME);
    expect(choice.people.map((b) => b.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const { scene } = stayingScene(choice.people, PETS09_SIZE, choice.frame);
    expect(readFileSync(STAYING_SCENE, 'utf8')).toBe(sceneJson(scene));
    const loaded = loadSceneFile(STAYING_SCENE);
    checkSceneFitsFrame(loaded, PETS09_SIZE.width, PETS09_SIZE.height, STAYING_SCENE);
    expect(loaded).toEqual(scene);
  });

  it('runs each edge zone within 0.1 px of its person’s foot, with the foot inside', () => {
    const people = gt.filter((b) => b.frame === STAYING_HOLD_FRAME);
    const { scene, roles } = stayingScene(people, PETS09_SIZE, STAYING_HOLD_FRAME);
    for (const r of roles) {
      const [x, y] = r.foot;
      const zone = scene.zones.find((z) => z.id === r.element);
      if (r.kind === 'line') {
        const line = scene.lines.find((l) => l.id === r.element)!;
        expect(Math.abs(line.a[1] - y)).toBeLessThanOrEqual(0.05);
        expect(line.a[1]).toBe(line.b[1]);
        continue;
      }
      expect(insidePolygon(zone!.polygon, r.foot), r.element).toBe(true);
      const xs = zone!.polygon.map((p) => p[0]);
      const ys = zone!.polygon.map((p) => p[1]);
      const d = { 'top-edge': y - Math.min(...ys), 'bottom-edge': Math.max(...ys) - y, 'right-edge': Math.max(...xs) - x, inside: Math.min(x - Math.min(...xs), Math.max(...xs) - x, y - Math.min(...ys), Math.max(...ys) - y) }[r.kind];
      if (r.kind === 'inside') expect(d).toBeGreaterThan(r.boxHeight / 4 - 0.1);
      else {
        expect(d, r.element).toBeGreaterThan(0);
        expect(d, r.element).toBeLessThanOrEqual(0.1);
      }
    }
  });

  it('gives each zone one staying visit of the held person, and no crossing during the hold', () => {
    const held = holdGroundTruth(gt, STAYING_HOLD_FRAME, 600);
    const scene = loadSceneFile(STAYING_SCENE);
    const truth = stayingTruth(held, scene, { fps: 10, frames: 1395, holdFrame: STAYING_HOLD_FRAME, holdFrames: 600 });
    const people = new Map(held.filter((b) => b.frame === STAYING_HOLD_FRAME).map((b) => [b.id, footPoint(b)]));
    for (const z of scene.zones) {
      expect(truth.visits[z.id].open, z.id).toEqual([]);
      const staying = truth.visits[z.id].ended.filter((v) => v.seconds >= STAYING_SECONDS);
      expect(staying, z.id).toHaveLength(1);
      expect(insidePolygon(z.polygon, people.get(staying[0].id)!)).toBe(true);
      expect(staying[0].firstFrame).toBeLessThanOrEqual(STAYING_HOLD_FRAME);
      expect(staying[0].lastFrame).toBeGreaterThanOrEqual(STAYING_HOLD_FRAME + 600);
    }
    expect(truth.crossingsDuringHold).toEqual({ 'standing-on-line': 0 });
    expect(truth.counts.lines['standing-on-line']).toEqual({ forward: 4, backward: 4 });
  });
});
