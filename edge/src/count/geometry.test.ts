import { describe, expect, it } from 'vitest';
import { crossingParameter, pointInPolygon, side } from './geometry.ts';
import type { Point } from '../types.ts';

describe('side', () => {
  it('follows the ARCHITECTURE.md sign convention (y down)', () => {
    // Line left to right: a point below it (larger y) is on the positive side.
    expect(side([0, 0], [10, 0], [5, 5])).toBeGreaterThan(0);
    expect(side([0, 0], [10, 0], [5, -5])).toBeLessThan(0);
    expect(side([0, 0], [10, 0], [20, 0])).toBe(0);
    expect(Math.abs(side([0, 0], [10, 0], [5, 7])) / 10).toBe(7); // |side| / length = distance
  });
});

describe('crossingParameter', () => {
  const a: Point = [0, 0];
  const b: Point = [100, 0];
  const u = (p: Point, q: Point) => crossingParameter(a, b, p, q, side(a, b, p), side(a, b, q));
  it('places the crossing point along a→b', () => {
    expect(u([50, -10], [50, 10])).toBeCloseTo(0.5);
    expect(u([0, -10], [20, 10])).toBeCloseTo(0.1);
    expect(u([150, -10], [150, 10])).toBeCloseTo(1.5);
    expect(u([-10, -10], [-10, 30])).toBeCloseTo(-0.1);
  });
});

describe('pointInPolygon', () => {
  const square: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
  const u: Point[] = [[0, 0], [30, 0], [30, 30], [20, 30], [20, 10], [10, 10], [10, 30], [0, 30]];
  const bow: Point[] = [[0, 0], [10, 10], [10, 0], [0, 10]]; // self-crossing "bow tie"
  const table: [string, Point[], Point, boolean][] = [
    ['inside a square', square, [5, 5], true],
    ['outside a square', square, [15, 5], false],
    ['in a concave arm', u, [5, 20], true],
    ['in the notch of a concave polygon', u, [15, 20], false],
    ['level with a vertex, outside', u, [35, 10], false],
    ['level with a vertex, inside', u, [25, 10], true],
    ['in a wing of a bow tie', bow, [2, 5], true],
    ['between the wings of a bow tie', bow, [5, 2], false],
  ];
  for (const [name, poly, p, want] of table) it(name, () => expect(pointInPolygon(p, poly)).toBe(want));
});
