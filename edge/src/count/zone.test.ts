import { describe, expect, it } from 'vitest';
import type { SceneZone } from '@byliv/protocol';
import { ZoneCounter, type ZoneCounterOptions } from './zone.ts';
import type { MovementClass, TrackedObject, ZoneEvent } from '../types.ts';

type Foot = [id: number, x: number, y: number, cls?: MovementClass];
type Frame = [time: number, feet: Foot[]];

const at = ([id, x, y, cls]: Foot): TrackedObject => ({ id, box: [x - 10, y - 50, x + 10, y], score: 0.9, foot: [x, y], cls: cls ?? 'person' });
const A: SceneZone = { id: 'A', polygon: [[0, 0], [100, 0], [100, 100], [0, 100]] };
const B: SceneZone = { id: 'B', polygon: [[100, 0], [200, 0], [200, 100], [100, 100]] };
// A "U": the notch between x 330..370, y 30..100 is outside.
const U: SceneZone = { id: 'U', polygon: [[300, 0], [400, 0], [400, 100], [370, 100], [370, 30], [330, 30], [330, 100], [300, 100]] };

const fmt = (e: ZoneEvent): string =>
  e.kind === 'flow'
    ? `flow ${e.from}>${e.to} @${e.time}`
    : e.kind === 'exit'
      ? `exit ${e.zoneId} ${e.cls} @${e.time} dwell ${e.dwellSeconds.toFixed(1)}`
      : `entry ${e.zoneId} ${e.cls} @${e.time}`;

function events(zones: SceneZone[], frames: Frame[], options?: ZoneCounterOptions): string[] {
  const zc = new ZoneCounter(zones, options);
  return frames.flatMap(([t, feet]) => zc.update(feet.map(at), t, 0.1).events.map(fmt));
}

describe('ZoneCounter', () => {
  const table: { name: string; zones: SceneZone[]; frames: Frame[]; options?: ZoneCounterOptions; want: string[] }[] = [
    {
      name: 'walking in and out: an entry, then an exit with the dwell time',
      zones: [A],
      frames: [[0, [[1, -20, 50]]], [1, [[1, 50, 50]]], [2, [[1, 60, 50]]], [4.5, [[1, 150, 50]]]],
      want: ['entry A person @1', 'exit A person @4.5 dwell 3.5'],
    },
    {
      name: 'a track first seen inside enters at its first frame',
      zones: [A],
      frames: [[0, [[1, 50, 50]]], [1, [[1, 150, 50]]]],
      want: ['entry A person @0', 'exit A person @1 dwell 1.0'],
    },
    {
      name: 'stepping from A straight into the neighbouring B is a flow A>B',
      zones: [A, B],
      frames: [[0, [[1, 50, 50]]], [1, [[1, 150, 50]]]],
      want: ['entry A person @0', 'exit A person @1 dwell 1.0', 'entry B person @1', 'flow A>B @1'],
    },
    {
      name: 'A, outside for a while, then B within the window: a flow',
      zones: [A, U],
      frames: [[0, [[1, 50, 50]]], [1, [[1, 250, 50]]], [2, [[1, 310, 50]]]],
      want: ['entry A person @0', 'exit A person @1 dwell 1.0', 'entry U person @2', 'flow A>U @2'],
    },
    {
      name: 'A, then B after the flow window: no flow',
      zones: [A, U],
      options: { flowWindowSeconds: 0.5 },
      frames: [[0, [[1, 50, 50]]], [1, [[1, 250, 50]]], [2, [[1, 310, 50]]]],
      want: ['entry A person @0', 'exit A person @1 dwell 1.0', 'entry U person @2'],
    },
    {
      name: 'leaving A and coming back to A is not a flow, and uses up the exit',
      zones: [A, B],
      frames: [[0, [[1, 50, 50]]], [1, [[1, 50, 150]]], [2, [[1, 50, 50]]], [3, [[1, 50, 150]]], [4, [[1, 150, 50]]]],
      want: [
        'entry A person @0',
        'exit A person @1 dwell 1.0',
        'entry A person @2',
        'exit A person @3 dwell 1.0',
        'entry B person @4',
        'flow A>B @4',
      ],
    },
    {
      name: 'the notch of a concave zone is outside',
      zones: [U],
      frames: [[0, [[1, 350, 80]]], [1, [[1, 350, 20]]], [2, [[1, 350, 80]]]],
      want: ['entry U person @1', 'exit U person @2 dwell 1.0'],
    },
    {
      name: 'a track lost inside exits at its last seen time once the timeout has passed',
      zones: [A],
      options: { exitTimeoutSeconds: 3 },
      frames: [[0, [[1, 50, 50]]], [1, [[1, 50, 50]]], [3.9, []], [4.1, []]],
      want: ['entry A person @0', 'exit A person @1 dwell 1.0'],
    },
    {
      name: 'a track lost inside and found again within the timeout is one visit',
      zones: [A],
      frames: [[0, [[1, 50, 50]]], [1, []], [2.5, [[1, 55, 50]]], [3, [[1, 150, 50]]]],
      want: ['entry A person @0', 'exit A person @3 dwell 3.0'],
    },
    {
      name: 'an id reused after the timeout: the old visit exits, the new one enters',
      zones: [A],
      frames: [[0, [[1, 50, 50]]], [10, [[1, 60, 50]]]],
      want: ['entry A person @0', 'exit A person @0 dwell 0.0', 'entry A person @10'],
    },
    {
      name: 'events carry the class the track has at the time',
      zones: [A],
      frames: [[0, [[1, 50, 50, 'cyclist']]], [1, [[1, 150, 50, 'cyclist']]]],
      want: ['entry A cyclist @0', 'exit A cyclist @1 dwell 1.0'],
    },
    {
      name: 'two people entering in the same frame',
      zones: [A],
      frames: [[0, [[1, -5, 50], [2, 105, 50]]], [1, [[1, 5, 50], [2, 95, 50]]]],
      want: ['entry A person @1', 'entry A person @1'],
    },
  ];
  for (const row of table) it(row.name, () => expect(events(row.zones, row.frames, row.options)).toEqual(row.want));

  // A person 50 px tall (band: max(3 px, 5 % of 50) = 3 px) walks in, stands 60 s at 10 fps
  // with the foot on A's right edge (x = 100), wobbling by ±amp px, then walks out.
  const onTheEdge = (amp: number, wobble: (k: number) => number): Frame[] => {
    const frames: Frame[] = [[0, [[1, 50, 50]]], [1, [[1, 90, 50]]]];
    for (let k = 0; k <= 600; k++) frames.push([2 + k / 10, [[1, 100 + amp * wobble(k), 50]]]);
    frames.push([62.5, [[1, 150, 50]]]);
    return frames;
  };
  // A tall person (100 px: band 5 px) wobbling up to the band; a short one (50 px: band 3 px) within it.
  const jitterTable: { name: string; amp: number; height: number; wobble: (k: number) => number }[] = [
    { name: '±2 px, alternating every frame', amp: 2, height: 50, wobble: (k) => (k % 2 ? 1 : -1) },
    { name: '±2.9 px, a sine over 7 frames', amp: 2.9, height: 50, wobble: (k) => Math.sin((2 * Math.PI * k) / 7) },
    { name: '±4.9 px for a 100 px person, pseudo-random', amp: 4.9, height: 100, wobble: (k) => Math.sin(k * 12.9898) },
    { name: '±5 px for a 100 px person, alternating', amp: 5, height: 100, wobble: (k) => (k % 2 ? 1 : -1) },
  ];
  for (const row of jitterTable) {
    it(`a still person with the foot on the edge, ${row.name}: one visit of the right dwell`, () => {
      const zc = new ZoneCounter([A]);
      const out: ZoneEvent[] = [];
      for (const [t, feet] of onTheEdge(row.amp, row.wobble)) {
        const tracks = feet.map(([id, x, y]) => ({ id, box: [x - 10, y - row.height, x + 10, y], score: 0.9, foot: [x, y], cls: 'person' }) as TrackedObject);
        out.push(...zc.update(tracks, t, 0.1).events);
      }
      expect(out.map(fmt)).toEqual(['entry A person @0', 'exit A person @62.5 dwell 62.5']);
    });
  }

  it('without a jitter band the same wobble is hundreds of visits (the old rule)', () => {
    expect(events([A], onTheEdge(2, (k) => (k % 2 ? 1 : -1)), { hysteresisPx: 0, hysteresisHeightFraction: 0 }).length).toBeGreaterThan(500);
  });

  it('a walker who skims the edge from outside never enters; one who crosses clearly does', () => {
    // First seen outside (x 120), then walks along x = 101 .. 98 (within the 3 px band).
    const skim: Frame[] = [[0, [[1, 120, 50]]], [1, [[1, 101, 50]]], [2, [[1, 98.5, 50]]], [3, [[1, 101, 50]]], [4, [[1, 99, 50]]], [5, [[1, 130, 50]]]];
    expect(events([A], skim)).toEqual([]);
    const across: Frame[] = [[0, [[1, 120, 50]]], [1, [[1, 101, 50]]], [2, [[1, 96, 50]]], [3, [[1, 120, 50]]]];
    expect(events([A], across)).toEqual(['entry A person @2', 'exit A person @3 dwell 1.0']);
  });

  it('reports occupancy of the tracks seen in this frame, every zone listed', () => {
    const zc = new ZoneCounter([A, B, U]);
    const step = zc.update([[1, 50, 50], [2, 60, 60], [3, 150, 50], [4, 500, 500]].map((f) => at(f as Foot)), 7, 0.1);
    expect(step.occupancy).toEqual({ time: 7, duration: 0.1, byZone: { A: 2, B: 1, U: 0 } });
    // Track 1 unseen in the next frame: not counted while lost.
    expect(zc.update([at([2, 60, 60])], 7.1, 0.1).occupancy.byZone).toEqual({ A: 1, B: 0, U: 0 });
  });

  it('finish: open visits are not exits, visits already timed out are', () => {
    const zc = new ZoneCounter([A], { exitTimeoutSeconds: 3 });
    zc.update([at([1, 50, 50]), at([2, 60, 60])], 0, 0.1);
    zc.update([at([2, 60, 60])], 5, 0.1); // track 1 timed out here already
    zc.update([at([3, 70, 70])], 6, 0.1);
    zc.update([at([3, 70, 70])], 9.5, 0.1); // track 2 last seen at 5: gone for 4.5 s
    const zc2 = new ZoneCounter([A], { exitTimeoutSeconds: 3 });
    zc2.update([at([1, 50, 50])], 0, 0.1);
    zc2.update([at([2, 60, 60])], 2, 0.1);
    // Track 1 (last seen 0) has been gone 3.5 s at 3.5: exits; track 2 (seen 2) is still open.
    expect(zc2.finish(3.5).map(fmt)).toEqual(['exit A person @0 dwell 0.0']);
    // After finish the counter starts afresh: the same id is a new entry.
    expect(zc2.update([at([2, 60, 60])], 4, 0.1).events.map(fmt)).toEqual(['entry A person @4']);
    expect(zc.finish(9.6)).toEqual([]);
  });
});
