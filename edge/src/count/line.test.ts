import { describe, expect, it } from 'vitest';
import type { SceneLine } from '@byliv/protocol';
import { LineCounter, type LineCounterOptions } from './line.ts';
import type { MovementClass, TrackedObject } from '../types.ts';

/** A track at one frame, by its foot point only (what the counter looks at). */
type Foot = [id: number, x: number, y: number, cls?: MovementClass];
type Frame = [time: number, feet: Foot[]];

const at = ([id, x, y, cls]: Foot): TrackedObject => ({ id, box: [x - 10, y - 50, x + 10, y], score: 0.9, foot: [x, y], cls: cls ?? 'person' });
const H: SceneLine = { id: 'h', a: [0, 100], b: [200, 100] }; // side > 0 below the line: walking down is forward
const HR: SceneLine = { id: 'hr', a: [200, 100], b: [0, 100] }; // the same line drawn right to left
const D: SceneLine = { id: 'd', a: [0, 0], b: [100, 100] };
const V: SceneLine = { id: 'v', a: [100, 0], b: [100, 200] };

/** One track walking through the given points, one frame per 0.1 s. */
const walk = (id: number, pts: [number, number][], t0 = 0): Frame[] => pts.map(([x, y], i) => [t0 + i / 10, [[id, x, y]]]);

function count(lines: SceneLine[], frames: Frame[], options?: LineCounterOptions): string[] {
  const lc = new LineCounter(lines, options);
  return frames.flatMap(([t, feet]) => lc.update(feet.map(at), t).map((c) => `${c.lineId} ${c.direction} ${c.cls} @${c.time.toFixed(1)}`));
}

describe('LineCounter', () => {
  const table: { name: string; lines: SceneLine[]; frames: Frame[]; options?: LineCounterOptions; want: string[] }[] = [
    { name: 'walking down across counts forward', lines: [H], frames: walk(1, [[100, 80], [100, 90], [100, 110], [100, 120]]), want: ['h forward person @0.2'] },
    { name: 'walking up across counts backward', lines: [H], frames: walk(1, [[100, 120], [100, 110], [100, 90]]), want: ['h backward person @0.2'] },
    { name: 'a line drawn right to left swaps the direction', lines: [HR], frames: walk(1, [[100, 80], [100, 120]]), want: ['hr backward person @0.1'] },
    { name: 'touching the line and going back counts nothing', lines: [H], frames: walk(1, [[100, 90], [100, 100], [100, 100], [100, 90]]), want: [] },
    { name: 'stepping onto the line, then off the other side, counts once', lines: [H], frames: walk(1, [[100, 90], [100, 100], [100, 110]]), want: ['h forward person @0.2'] },
    { name: 'jumping across between two frames counts', lines: [H], frames: walk(1, [[100, 20], [100, 180]]), want: ['h forward person @0.1'] },
    { name: 'passing beside the end counts nothing', lines: [H], frames: walk(1, [[210, 80], [210, 120]]), want: [] },
    { name: 'grazing the end point exactly counts', lines: [H], frames: walk(1, [[200, 80], [200, 120]]), want: ['h forward person @0.1'] },
    { name: 'a diagonal step through the segment counts', lines: [D], frames: walk(1, [[60, 40], [40, 60]]), want: ['d forward person @0.1'] },
    { name: 'a diagonal step through the extension does not', lines: [D], frames: walk(1, [[160, 140], [140, 160]]), want: [] },
    {
      name: 'going round the end, then back through the line, counts the way back only',
      lines: [H],
      frames: walk(1, [[250, 80], [250, 120], [150, 120], [150, 80]]),
      want: ['h backward person @0.3'],
    },
    {
      name: 'real back and forth counts every crossing',
      lines: [H],
      frames: walk(1, [[100, 80], [100, 110], [100, 130], [100, 90], [100, 70], [100, 120]]),
      want: ['h forward person @0.1', 'h backward person @0.3', 'h forward person @0.5'],
    },
    {
      name: 'jitter within the hysteresis band counts once, when the foot gets clear',
      lines: [H],
      frames: walk(1, [[100, 90], [100, 101], [100, 99], [100, 101], [100, 99], [100, 102], [100, 120]]),
      want: ['h forward person @0.6'],
    },
    {
      name: 'jitter that ends where it started counts nothing',
      lines: [H],
      frames: walk(1, [[100, 90], [100, 101], [100, 99], [100, 102], [100, 80]]),
      want: [],
    },
    {
      name: 'without hysteresis every jitter step is a crossing (the ground-truth rule)',
      lines: [H],
      options: { hysteresisPx: 0, hysteresisHeightFraction: 0 },
      frames: walk(1, [[100, 90], [100, 101], [100, 99], [100, 120]]),
      want: ['h forward person @0.1', 'h backward person @0.2', 'h forward person @0.3'],
    },
    {
      name: 'a lost and found track counts the step across the gap',
      lines: [H],
      frames: [[0, [[1, 100, 80]]], [0.1, [[1, 100, 85]]], [0.5, []], [1.2, [[2, 20, 20]]], [2.0, [[1, 100, 140]]]],
      want: ['h forward person @2.0'],
    },
    {
      name: 'two people crossing at once, in opposite directions',
      lines: [H],
      frames: [
        [0, [[1, 100, 90], [2, 110, 110]]],
        [0.1, [[1, 100, 110], [2, 110, 90]]],
      ],
      want: ['h forward person @0.1', 'h backward person @0.1'],
    },
    {
      name: 'a reused id after the forget time is a new track, not a jump across',
      lines: [H],
      frames: [[0, [[1, 100, 80]]], [10, [[1, 100, 120]]], [10.1, [[1, 100, 130]]]],
      want: [],
    },
    {
      name: 'time going backwards (a new stream) forgets every track',
      lines: [H],
      frames: [[5, [[1, 100, 80]]], [0, [[1, 100, 120]]]],
      want: [],
    },
    {
      name: 'one step across two lines counts on both, with the track class',
      lines: [H, V],
      frames: [[0, [[1, 80, 80, 'cyclist']]], [0.1, [[1, 120, 120, 'cyclist']]]],
      want: ['h forward cyclist @0.1', 'v backward cyclist @0.1'],
    },
    { name: 'a track seen once counts nothing', lines: [H], frames: walk(1, [[100, 120]]), want: [] },
  ];
  for (const row of table) it(row.name, () => expect(count(row.lines, row.frames, row.options)).toEqual(row.want));

  it('rejects a line whose end points coincide', () => {
    expect(() => new LineCounter([{ id: 'x', a: [5, 5], b: [5, 5] }])).toThrow(/line "x"/);
  });

  it('widens the jitter band for people close to the camera (5 % of their height)', () => {
    const path: [number, number][] = [[100, 90], [100, 106], [100, 104], [100, 112]];
    const run = (height: number) => {
      const lc = new LineCounter([H]);
      return path.flatMap(([x, y], i) => lc.update([{ id: 1, box: [x - 10, y - height, x + 10, y], score: 0.9, foot: [x, y], cls: 'person' }], i / 10).map((c) => c.time));
    };
    expect(run(50)).toEqual([0.1]); // band 3 px: clear of the line at once
    expect(run(200)).toEqual([0.3]); // band 10 px: counted only when 12 px past the line
  });

  it('matches the ground-truth rule on random walks when hysteresis is off', () => {
    // Ground truth: a step counts when segments p→q and a→b properly intersect.
    const segCross = (p: number[], q: number[], a: number[], b: number[]): number => {
      const s = (u: number[], v: number[], w: number[]) => (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0]);
      const sp = s(a, b, p);
      const sq = s(a, b, q);
      if (sp * sq >= 0 || s(p, q, a) * s(p, q, b) > 0) return 0;
      return sq > 0 ? 1 : -1;
    };
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const line: SceneLine = { id: 'l', a: [37.3, 20.1], b: [160.7, 180.9] };
    for (let trial = 0; trial < 50; trial++) {
      const lc = new LineCounter([line], { hysteresisPx: 0, hysteresisHeightFraction: 0 });
      let p = [rand() * 200, rand() * 200];
      let fwd = 0;
      let bwd = 0;
      let wantF = 0;
      let wantB = 0;
      for (let f = 0; f < 200; f++) {
        const q = [Math.min(200, Math.max(0, p[0] + (rand() - 0.5) * 30)), Math.min(200, Math.max(0, p[1] + (rand() - 0.5) * 30))];
        if (f > 0) {
          const d = segCross(p, q, line.a, line.b);
          if (d > 0) wantF++;
          if (d < 0) wantB++;
        }
        for (const c of lc.update([at([1, q[0], q[1]])], f / 10)) c.direction === 'forward' ? fwd++ : bwd++;
        p = q;
      }
      expect([fwd, bwd], `trial ${trial}`).toEqual([wantF, wantB]);
    }
  });
});
