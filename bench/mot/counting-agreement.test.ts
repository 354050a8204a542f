/**
 * The counting ground truth and the edge agent's counters are two implementations of one
 * rule. Fed the PETS09 ground-truth trajectories as perfect tracks (and no jitter margin),
 * the edge's LineCounter and ZoneCounter must give exactly the reference counts; any
 * difference in the benchmark is then due to detection and tracking, not to the rules.
 *
 * Dwell: the edge's summary bins each exit event's dwellSeconds (bins.ts, dwellBucket) and
 * takes visits / stayingVisits / medianDwellSeconds from that histogram; the tally below does
 * the same. A visit of k frames that ends by stepping out lasts k / fps on both sides (the
 * edge exits at the first frame outside). One that ends because its trajectory ends inside
 * does not: the edge exits it at the last frame seen, (k − 1) / fps, the reference
 * (visits-gt.ts) counts the frame after, k / fps. The test checks each visit's dwell with
 * that frame allowed for; on PETS09 no such visit straddles a bucket edge, so the
 * histograms, and with them the whole summaries, still agree exactly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dwellHistogramOf, dwellMedian, stayingVisits, type CountSummary } from '@byliv/protocol';
import { LineCounter, ZoneCounter } from '../../edge/src/count/index.ts';
import { loadSceneFile } from '../../edge/src/config/scene-file.ts';
import type { TrackedObject, ZoneEvent } from '../../edge/src/types.ts';
import { countTrajectories } from './counting-gt.ts';
import { byFrame, parseMot, trajectories } from './gt.ts';
import { zoneVisits } from './visits-gt.ts';
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
      zones: Object.fromEntries(
        scene.zones.map((z) => [z.id, { entries: 0, exits: 0, personSeconds: 0, maxOccupancy: 0, visits: 0, dwellHistogram: [], stayingVisits: 0, medianDwellSeconds: null }]),
      ),
    };
    const personFrames: Record<string, number> = Object.fromEntries(scene.zones.map((z) => [z.id, 0]));
    const dwells: Record<string, number[]> = Object.fromEntries(scene.zones.map((z) => [z.id, []]));
    const tally = (e: ZoneEvent) => {
      if (e.kind === 'entry') edge.zones[e.zoneId].entries++;
      if (e.kind === 'exit') {
        edge.zones[e.zoneId].exits++;
        dwells[e.zoneId].push(e.dwellSeconds);
      }
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
    for (const id of Object.keys(personFrames)) {
      const dwellHistogram = dwellHistogramOf(dwells[id]);
      Object.assign(edge.zones[id], {
        personSeconds: personFrames[id] / FPS,
        visits: dwellHistogram.reduce((a, b) => a + b, 0),
        dwellHistogram,
        stayingVisits: stayingVisits(dwellHistogram),
        medianDwellSeconds: dwellMedian(dwellHistogram),
      });
    }

    // Each ended visit's dwell, one frame shorter on the edge when the trajectory ends inside.
    const trackEnd = new Map(trajectories(gt).map((t) => [t.id, t.boxes[t.boxes.length - 1].frame]));
    const visits = zoneVisits(gt, scene, { framesPerSecond: FPS, frames });
    const inFrames = (seconds: number[]) => seconds.map((s) => Math.round(s * FPS)).sort((a, b) => a - b);
    let endedByTrackEnd = 0;
    for (const z of scene.zones) {
      const want = visits[z.id].ended.map((v) => {
        const trackEnded = v.lastFrame === trackEnd.get(v.id);
        if (trackEnded) endedByTrackEnd++;
        return trackEnded ? (v.frames - 1) / FPS : v.seconds;
      });
      expect(inFrames(dwells[z.id]), z.id).toEqual(inFrames(want));
    }
    expect(endedByTrackEnd).toBeGreaterThan(0); // PETS09 has such visits: the difference is exercised

    expect(edge).toEqual(countTrajectories(gt, scene, { framesPerSecond: FPS, frames }));
  });
});
