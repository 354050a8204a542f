import { describe, expect, it } from 'vitest';
import { BoxKalman } from './kalman.ts';
import type { BoxXYXY } from '../types.ts';

/** The textbook 8-d filter with full matrices (SORT/DeepSORT noise model), to check the split form against. */
class FullKalman {
  x: number[];
  P: number[][];
  constructor(box: BoxXYXY, private wp = 1 / 20, private wv = 1 / 160, private wm = wp) {
    const z = meas(box);
    this.x = [...z, 0, 0, 0, 0];
    const h = z[3];
    const std = [2 * wp * h, 2 * wp * h, 1e-2, 2 * wp * h, 10 * wv * h, 10 * wv * h, 1e-5, 10 * wv * h];
    this.P = diag(std.map((s) => s * s));
  }
  predict(k: number): void {
    const F = eye(8);
    for (let i = 0; i < 4; i++) F[i][i + 4] = k;
    const h = this.x[3];
    const std = [this.wp * h, this.wp * h, 1e-2, this.wp * h, this.wv * h, this.wv * h, 1e-5, this.wv * h];
    this.x = mulV(F, this.x);
    this.P = add(mul(mul(F, this.P), tr(F)), diag(std.map((s) => s * s * k)));
  }
  update(box: BoxXYXY): void {
    const z = meas(box);
    const h = this.x[3];
    const r = [this.wm * h, this.wm * h, 1e-1, this.wm * h].map((s) => s * s);
    // H picks the first four state entries; invert the 4×4 innovation covariance by Gauss-Jordan.
    const S = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => this.P[i][j] + (i === j ? r[i] : 0)));
    const Si = inv(S);
    const PHt = this.P.map((row) => row.slice(0, 4));
    const K = mul(PHt, Si);
    const y = z.map((v, i) => v - this.x[i]);
    this.x = this.x.map((v, i) => v + K[i].reduce((s, kij, j) => s + kij * y[j], 0));
    const KH = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (j < 4 ? K[i][j] : 0)));
    this.P = mul(add(eye(8), KH.map((row) => row.map((v) => -v))), this.P);
  }
}
const meas = (b: BoxXYXY): number[] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, (b[2] - b[0]) / (b[3] - b[1]), b[3] - b[1]];
const eye = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const diag = (d: number[]): number[][] => d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));
const tr = (a: number[][]): number[][] => a[0].map((_, j) => a.map((row) => row[j]));
const mul = (a: number[][], b: number[][]): number[][] => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const mulV = (a: number[][], v: number[]): number[] => a.map((row) => row.reduce((s, x, k) => s + x * v[k], 0));
const add = (a: number[][], b: number[][]): number[][] => a.map((row, i) => row.map((v, j) => v + b[i][j]));
function inv(m: number[][]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...eye(n)[i]]);
  for (let c = 0; c < n; c++) {
    const p = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}

describe('BoxKalman', () => {
  it.each([
    { name: 'SORT weights', wp: 1 / 20, wv: 1 / 160, wm: undefined },
    { name: 'measurement noise set apart (the tracker default)', wp: 1 / 40, wv: 1 / 160, wm: 1 / 20 },
  ])('gives the same boxes as the full 8-d filter over predict/update cycles with uneven steps ($name)', ({ wp, wv, wm }) => {
    const start: BoxXYXY = [100, 50, 140, 150];
    const split = new BoxKalman(start, { positionWeight: wp, velocityWeight: wv, measurementWeight: wm });
    const full = new FullKalman(start, wp, wv, wm ?? wp);
    const steps = [1, 1, 3, 0.5, 1, 2, 1];
    let box = start;
    steps.forEach((k, i) => {
      split.predict(k);
      full.predict(k);
      box = [box[0] + 4 * k, box[1] + 1 * k + (i % 2), box[2] + 4 * k + (i % 3), box[3] + 1 * k];
      split.update(box);
      full.update(box);
      const got = split.box();
      const f = full.x;
      const want = [f[0] - (f[2] * f[3]) / 2, f[1] - f[3] / 2, f[0] + (f[2] * f[3]) / 2, f[1] + f[3] / 2];
      for (let c = 0; c < 4; c++) expect(got[c]).toBeCloseTo(want[c], 8);
    });
  });

  it('learns a constant velocity and predicts across a gap', () => {
    const kf = new BoxKalman([0, 0, 20, 60]);
    for (let f = 1; f <= 30; f++) {
      kf.predict(1);
      kf.update([5 * f, 0, 5 * f + 20, 60]);
    }
    expect(kf.velocity()[0]).toBeCloseTo(5, 1);
    kf.predict(4); // four frames without a detection
    const b = kf.box();
    expect((b[0] + b[2]) / 2).toBeCloseTo(5 * 34 + 10, 0);
  });

  it('follows a step in the boxes more slowly when measurements are noisier than the motion', () => {
    const start: BoxXYXY = [0, 0, 20, 60];
    const trusting = new BoxKalman(start, { positionWeight: 1 / 20, measurementWeight: 1 / 20 });
    const sceptical = new BoxKalman(start, { positionWeight: 1 / 40, measurementWeight: 1 / 20 });
    for (let f = 1; f <= 10; f++) {
      for (const kf of [trusting, sceptical]) {
        kf.predict(1);
        kf.update([0, 0, 20, 60]);
      }
    }
    for (const kf of [trusting, sceptical]) {
      kf.predict(1);
      kf.update([30, 0, 50, 60]); // one box 30 px off (a merged box of two people, say)
    }
    const cx = (kf: BoxKalman) => (kf.box()[0] + kf.box()[2]) / 2;
    expect(cx(sceptical)).toBeGreaterThan(10);
    expect(cx(sceptical)).toBeLessThan(cx(trusting) - 2);
  });

  it('predict(0) leaves the box unchanged', () => {
    const kf = new BoxKalman([10, 10, 30, 70]);
    kf.predict(0);
    expect(kf.box()).toEqual([10, 10, 30, 70]);
  });
});
