import { describe, expect, it } from 'vitest';
import type { SceneZone } from '@byliv/protocol';
import { signedDepth } from './geometry.ts';
import { ZoneMembership } from './membership.ts';

const A: SceneZone = { id: 'A', polygon: [[0, 0], [100, 0], [100, 100], [0, 100]] };

describe('signedDepth', () => {
  it('is the distance to the nearest edge, positive inside and negative outside', () => {
    expect(signedDepth([50, 50], A.polygon)).toBe(50);
    expect(signedDepth([97, 50], A.polygon)).toBeCloseTo(3);
    expect(signedDepth([104, 50], A.polygon)).toBeCloseTo(-4);
    expect(signedDepth([103, 104], A.polygon)).toBeCloseTo(-5); // nearest the corner
  });
});

describe('ZoneMembership', () => {
  // 100 px tall: band max(3, 5 % of 100) = 5 px.
  const steps = (feet: number[], first = feet[0]): number[] => {
    const m = new ZoneMembership([A]);
    const inside = new Uint8Array(1);
    m.first([first, 50], inside);
    return feet.slice(1).map((x) => (m.step([x, 50], 100, inside), inside[0]));
  };
  const table: [name: string, feet: number[], want: number[]][] = [
    ['inside stays inside within the band outside the edge', [90, 103, 104.9, 98], [1, 1, 1]],
    ['leaves once clearly outside', [90, 103, 105.5, 101], [1, 0, 0]],
    ['outside does not enter within the band inside the edge', [120, 99, 95.1, 101], [0, 0, 0]],
    ['enters once clearly inside', [120, 99, 94, 99], [0, 1, 1]],
    ['first sight on the edge: plain point-in-polygon decides, then the band holds it', [99, 102, 97, 104], [1, 1, 1]],
  ];
  for (const [name, feet, want] of table) it(name, () => expect(steps(feet)).toEqual(want));

  it('the band grows with the box: a 40 px person (band 3 px) leaves at 3.5 px out', () => {
    const m = new ZoneMembership([A]);
    const inside = new Uint8Array(1);
    m.first([90, 50], inside);
    m.step([103.5, 50], 40, inside);
    expect(inside[0]).toBe(0);
  });
});
