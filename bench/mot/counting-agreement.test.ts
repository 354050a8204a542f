/**
 * The counting ground truth and the edge agent's counters are two implementations of one
 * rule. Fed the PETS09 ground-truth trajectories as perfect tracks (and no jitter margin),
 * the edge's LineCounter and ZoneCounter must give exactly the reference counts; any
 * difference in the benchmark is then due to detection and tracking, not to the rules.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CountSummary } from '@byliv/protocol';
import { LineCounter, ZoneCounter } from '../../edge/src/count/index.ts';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import type { TrackedObject, ZoneEvent } from '../../edge/src/types.ts';
import { countTrajectories } from './counting-gt.ts';
import { byFrame, parseMot } from './gt.ts';
import { PETS09_GT, PETS09_SCENE } from './paths.ts';

const FPS = 10;

describe('edge counters on ground-truth tracks', () => {
  it('agree with the reference counts on every line and zone of the PETS09 scene', () => {
    const scene = loadSceneFile(PETS09_SCENE);
    const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);
    const frames = gt.reduce((n, b) => Math.max(n, b.frame), 0);
    const lineCounter = new LineCounter(scene.lines, { hysteresisPx: 0, hysteresisHeightFraction: 0 });
    // The reference rules have no jitter band, and a track that ends inside exits there.
    const zoneCounter = new ZoneCounter(scene.zones, { hysteresisPx: 0, hysteresisHeightFraction: 0, exitTimeoutSeconds: 3 });
    const edge: CountSummary = {
      frames,
      seconds: frames / FPS,
      lines: Object.fromEntries(scene.lines.map((l) => [l.id, { forward: 0, backward: 0 }])),
      zones: Object.fromEntries(scene.zones.map((z) => [z.id, { entries: 0, exits: 0, personSeconds: 0, maxOccupancy: 0 }])),
    };
    const personFrames: Record<string, number> = Object.fromEntries(scene.zones.map((z) => [z.id, 0]));
    const tally = (e: ZoneEvent) => {
      if (e.kind === 'entry') edge.zones[e.zoneId].entries++;
      if (e.kind === 'exit') edge.zones[e.zoneId].exits++;
    };
    const boxesByFrame = byFrame(gt);
    for (let f = 1; f <= frames; f++) {
      const time = (f - 1) / FPS;
      const tracks: TrackedObject[] = (boxesByFrame.get(f) ?? []).map((b) => ({
        id: b.id,
        box: [b.left, b.top, b.left + b.width, b.top + b.height],
        score: 1,
        foot: [b.left + b.width / 2, b.top + b.height],
        cls: 'person',
      }));
      for (const c of lineCounter.update(tracks, time)) edge.lines[c.lineId][c.direction]++;
      const step = zoneCounter.update(tracks, time, 1 / FPS);
      step.events.forEach(tally);
      for (const [id, n] of Object.entries(step.occupancy.byZone)) {
        personFrames[id] += n;
        edge.zones[id].maxOccupancy = Math.max(edge.zones[id].maxOccupancy, n);
      }
    }
    zoneCounter.finish((frames - 1) / FPS).forEach(tally);
    for (const id of Object.keys(personFrames)) edge.zones[id].personSeconds = personFrames[id] / FPS;

    expect(edge).toEqual(countTrajectories(gt, scene, { framesPerSecond: FPS, frames }));
  });
});
