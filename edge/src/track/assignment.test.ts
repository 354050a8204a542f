import { describe, expect, it } from 'vitest';
import { linearAssignment, type Assignment } from './assignment.ts';

/** Every partial matching of allowed pairs, by brute force (small matrices only). */
function allMatchings(cost: number[][], limit: number): [number, number][][] {
  const rows = cost.length;
  const cols = rows ? cost[0].length : 0;
  const out: [number, number][][] = [];
  const usedCols = new Array<boolean>(cols).fill(false);
  const current: [number, number][] = [];
  const walk = (i: number): void => {
    if (i === rows) {
      out.push([...current]);
      return;
    }
    walk(i + 1); // row i unmatched
    for (let j = 0; j < cols; j++) {
      if (usedCols[j] || !(cost[i][j] <= limit)) continue;
      usedCols[j] = true;
      current.push([i, j]);
      walk(i + 1);
      current.pop();
      usedCols[j] = false;
    }
  };
  walk(0);
  return out;
}

const total = (cost: number[][], ms: [number, number][]): number => ms.reduce((s, [i, j]) => s + cost[i][j], 0);

function bestMaxMatches(cost: number[][], limit: number): { count: number; cost: number } {
  let best = { count: -1, cost: Infinity };
  for (const ms of allMatchings(cost, limit)) {
    const c = total(cost, ms);
    if (ms.length > best.count || (ms.length === best.count && c < best.cost)) best = { count: ms.length, cost: c };
  }
  return best;
}

function bestThreshold(cost: number[][], limit: number): number {
  const rows = cost.length;
  const cols = rows ? cost[0].length : 0;
  let best = Infinity;
  for (const ms of allMatchings(cost, limit)) {
    // each unmatched row and each unmatched column costs half the limit
    const c = total(cost, ms) + ((rows - ms.length + cols - ms.length) * limit) / 2;
    best = Math.min(best, c);
  }
  return best;
}

function checkShape(cost: number[][], limit: number, a: Assignment): void {
  const rows = cost.length;
  const cols = rows ? cost[0].length : 0;
  const rowsSeen = new Set<number>();
  const colsSeen = new Set<number>();
  for (const [i, j] of a.matches) {
    expect(cost[i][j]).toBeLessThanOrEqual(limit);
    expect(rowsSeen.has(i)).toBe(false);
    expect(colsSeen.has(j)).toBe(false);
    rowsSeen.add(i);
    colsSeen.add(j);
  }
  expect([...rowsSeen, ...a.unmatchedRows].sort((x, y) => x - y)).toEqual([...Array(rows).keys()]);
  expect([...colsSeen, ...a.unmatchedCols].sort((x, y) => x - y)).toEqual([...Array(cols).keys()]);
}

/** Small deterministic generator (mulberry32) so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('linearAssignment', () => {
  const table: { name: string; cost: number[][]; limit: number; matches: [number, number][] }[] = [
    { name: 'empty matrix', cost: [], limit: 1, matches: [] },
    { name: 'rows without columns', cost: [[], []], limit: 1, matches: [] },
    { name: 'identity is best', cost: [[0.1, 0.9], [0.9, 0.1]], limit: 1, matches: [[0, 0], [1, 1]] },
    // Greedy takes the cheapest pair (0,0)=1 first and is then forced into (1,1)=100.
    { name: 'greedy gets the total wrong', cost: [[1, 2], [2, 100]], limit: 1000, matches: [[0, 1], [1, 0]] },
    // Greedy takes (0,0)=0.1 and leaves row 1 with only a forbidden pair: one match, not two.
    { name: 'greedy loses a match', cost: [[0.1, 0.3], [0.2, 0.9]], limit: 0.5, matches: [[0, 1], [1, 0]] },
    { name: 'pairs above the limit are never matched', cost: [[0.9, 0.95], [0.85, 0.99]], limit: 0.8, matches: [] },
    { name: 'cost equal to the limit is allowed', cost: [[0.8]], limit: 0.8, matches: [[0, 0]] },
    { name: 'NaN and Infinity are forbidden', cost: [[NaN, 0.2], [Infinity, 0.1]], limit: 10, matches: [[1, 1]] },
    { name: 'more rows than columns', cost: [[0.5], [0.1], [0.3]], limit: 1, matches: [[1, 0]] },
    { name: 'more columns than rows', cost: [[0.5, 0.2, 0.4]], limit: 1, matches: [[0, 1]] },
    {
      name: 'two independent groups',
      cost: [
        [0.1, 0.2, 9, 9],
        [0.2, 0.9, 9, 9],
        [9, 9, 0.3, 0.1],
      ],
      limit: 1,
      matches: [[0, 1], [1, 0], [2, 3]],
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const a = linearAssignment(row.cost, row.limit);
      checkShape(row.cost, row.limit, a);
      expect(a.matches).toEqual(row.matches);
    });
  }

  it('threshold objective prefers one good pair to two poor ones', () => {
    // rows A,B; cols X,Y. A–X 0.1; A–Y 0.7; B–X 0.7; B–Y forbidden. Leaving a pair unmatched costs 0.8.
    const cost = [[0.1, 0.7], [0.7, 5]];
    expect(linearAssignment(cost, 0.8, { objective: 'threshold' }).matches).toEqual([[0, 0]]);
    expect(linearAssignment(cost, 0.8, { objective: 'max-matches' }).matches).toEqual([[0, 1], [1, 0]]);
  });

  it('rejects a ragged matrix with the row that is wrong', () => {
    expect(() => linearAssignment([[1, 2], [3]], 5)).toThrow(/row 1 has 1 columns/);
  });

  it('agrees with brute force on random sparse and dense matrices', () => {
    const rand = rng(42);
    for (let trial = 0; trial < 400; trial++) {
      const rows = 1 + Math.floor(rand() * 6);
      const cols = 1 + Math.floor(rand() * 6);
      const density = rand();
      const cost = Array.from({ length: rows }, () =>
        Array.from({ length: cols }, () => (rand() < density ? Math.round(rand() * 100) / 100 : 1 + rand())),
      );
      const limit = 0.3 + rand() * 0.7;

      const mm = linearAssignment(cost, limit);
      checkShape(cost, limit, mm);
      const bestMM = bestMaxMatches(cost, limit);
      expect(mm.matches.length, `trial ${trial}`).toBe(bestMM.count);
      expect(total(cost, mm.matches)).toBeCloseTo(bestMM.cost, 9);

      const th = linearAssignment(cost, limit, { objective: 'threshold' });
      checkShape(cost, limit, th);
      const got = total(cost, th.matches) + ((rows - th.matches.length + cols - th.matches.length) * limit) / 2;
      expect(got, `trial ${trial}`).toBeCloseTo(bestThreshold(cost, limit), 9);
    }
  });

  it('solves a 60 x 50 dense problem to a valid, locally optimal assignment', () => {
    const rand = rng(7);
    const cost = Array.from({ length: 60 }, () => Array.from({ length: 50 }, () => rand()));
    const a = linearAssignment(cost, 2);
    checkShape(cost, 2, a);
    expect(a.matches.length).toBe(50);
    // No swap of two matched pairs' columns lowers the total (2-opt optimality, implied by exactness).
    for (const [i1, j1] of a.matches) {
      for (const [i2, j2] of a.matches) {
        expect(cost[i1][j1] + cost[i2][j2]).toBeLessThanOrEqual(cost[i1][j2] + cost[i2][j1] + 1e-12);
      }
    }
  });
});
