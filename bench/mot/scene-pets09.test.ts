/**
 * The benchmark scene follows its written rule (bench/README.md), loads with the agent's
 * own scene loader, and gives every line enough true crossings to measure a 10% error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSceneFitsFrame, loadSceneFile } from '../../edge/src/config/scene-file.ts';
import { countTrajectories } from './counting-gt.ts';
import { parseMot } from './gt.ts';
import { PETS09_GT, PETS09_SCENE } from './paths.ts';

const W = 768;
const H = 576;
const at = (fx: number, fy: number): [number, number] => [fx * W, fy * H];
const rect = (x0: number, x1: number): [number, number][] => [at(x0, 0.3), at(x1, 0.3), at(x1, 0.95), at(x0, 0.95)];

describe('bench/scenes/pets09.json', () => {
  const scene = loadSceneFile(PETS09_SCENE);

  it('is the scene the README rule describes, inside the 768×576 frame', () => {
    checkSceneFitsFrame(scene, W, H, PETS09_SCENE);
    expect(scene).toMatchObject({ site: 'pets09', camera: 'view1' });
    const close = (actual: unknown, expected: [number, number][]) =>
      (actual as [number, number][]).forEach((p, k) => {
        expect(p[0]).toBeCloseTo(expected[k][0], 6);
        expect(p[1]).toBeCloseTo(expected[k][1], 6);
      });
    const line = (id: string) => scene.lines.find((l) => l.id === id)!;
    const zone = (id: string) => scene.zones.find((z) => z.id === id)!.polygon;
    close([line('centre-vertical').a, line('centre-vertical').b], [at(0.5, 0.3), at(0.5, 0.95)]);
    close([line('lower-horizontal').a, line('lower-horizontal').b], [at(0.05, 0.6), at(0.95, 0.6)]);
    close([line('diagonal').a, line('diagonal').b], [at(0.25, 0.95), at(0.75, 0.3)]);
    close(zone('left-third'), rect(0, 1 / 3));
    close(zone('right-third'), rect(2 / 3, 1));
    close(zone('centre-diamond'), [at(0.5, 0.35), at(0.7, 0.5), at(0.5, 0.65), at(0.3, 0.5)]);
    expect(scene.lines).toHaveLength(3);
    expect(scene.zones).toHaveLength(3);
  });

  it('has more than 10 true crossings on every line and people in every zone', () => {
    const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);
    const truth = countTrajectories(gt, scene, { framesPerSecond: 10, frames: 795 });
    for (const [id, l] of Object.entries(truth.lines)) expect(l.forward + l.backward, id).toBeGreaterThan(10);
    for (const [id, z] of Object.entries(truth.zones)) {
      expect(z.entries, id).toBeGreaterThan(10);
      expect(z.personSeconds, id).toBeGreaterThan(30);
    }
  });
});
