import { describe, expect, it } from 'vitest';
import { ClassVote, bicycleUnder, cyclistRule } from './cyclist.ts';
import type { BoxXYXY, MovementClass } from '../types.ts';

const rule = cyclistRule();
const personAt = (x: number, y = 100): BoxXYXY => [x, y, x + 40, y + 100];

describe('bicycleUnder', () => {
  const p = personAt(100); // centre y 150
  const table: { name: string; bikes: BoxXYXY[]; want: number | null }[] = [
    { name: 'bicycle under the rider', bikes: [[80, 150, 160, 210]], want: 0 },
    { name: 'bicycle above the centre (carried overhead, or a sign)', bikes: [[80, 60, 160, 120]], want: null },
    { name: 'bicycle beside, not touching', bikes: [[150, 150, 230, 210]], want: null },
    { name: 'bicycle barely touching the box edge', bikes: [[135, 150, 215, 210]], want: null },
    { name: 'the most covered of two bicycles', bikes: [[130, 150, 210, 210], [85, 150, 165, 210]], want: 1 },
  ];
  for (const row of table) {
    it(row.name, () => {
      const got = bicycleUnder(p, row.bikes, rule);
      expect(got).toBe(row.want === null ? null : row.bikes[row.want]);
    });
  }
});

describe('ClassVote', () => {
  it('switches to cyclist on a clear majority and back only on a clear minority (hysteresis)', () => {
    const v = new ClassVote(cyclistRule({ windowFrames: 10, enterShare: 0.6, leaveShare: 0.3 }));
    const seq = [false, false, true, true, true, true]; // 4 of 6 riding
    let cls: MovementClass = 'person';
    for (const r of seq) cls = v.push(r);
    expect(cls).toBe('cyclist');
    // Share falls to 0.5 then 0.4: still a cyclist; at 0.3 a pedestrian again.
    for (const r of [false, false, false, false]) cls = v.push(r); // 10 frames, 4 riding: 0.4
    expect(cls).toBe('cyclist');
    cls = v.push(false); // oldest (false) drops out: still 4 of 10
    cls = v.push(false); // drops a false: 4 of 10
    cls = v.push(false); // drops a true: 3 of 10 = 0.3
    expect(cls).toBe('person');
  });

  it('ignores a pedestrian walking slowly past a parked bicycle, which overlap alone would not', () => {
    const bike: BoxXYXY = [500, 160, 560, 210];
    const walk = (r = rule): MovementClass[] => {
      const v = new ClassVote(r);
      const out: MovementClass[] = [];
      for (let f = 0; f < 40; f++) {
        const p = personAt(580 - 3 * f); // 3 px per frame, right to left over the bicycle
        out.push(v.observe(p, bicycleUnder(p, [bike], r)));
      }
      return out;
    };
    expect(walk()).not.toContain('cyclist');
    expect(walk(cyclistRule({ maxDriftShare: Infinity }))).toContain('cyclist');
  });

  it('keeps a rider whose bicycle box jitters a cyclist', () => {
    const v = new ClassVote(rule);
    let cls: MovementClass = 'person';
    for (let f = 0; f < 30; f++) {
      const p = personAt(100 + 12 * f);
      const j = ((f * 7) % 5) - 2; // deterministic jitter of ±2 px
      const bike: BoxXYXY = [p[0] - 20 + j, 150 - j, p[0] + 60 + 2 * j, 210 + j];
      cls = v.observe(p, bicycleUnder(p, [bike], rule));
    }
    expect(cls).toBe('cyclist');
  });

  it('abstains while the person stands still next to a bicycle', () => {
    const v = new ClassVote(rule);
    const p = personAt(100);
    for (let f = 0; f < 20; f++) expect(v.observe(p, [80, 150, 160, 210])).toBe('person');
  });

  it('rejects a leave share that is not below the enter share', () => {
    expect(() => cyclistRule({ enterShare: 0.5, leaveShare: 0.5 })).toThrow(/leaveShare/);
  });
});
