import { describe, expect, it } from 'vitest';
import { ByteTracker } from './byte-tracker.ts';
import type { BoxXYXY, Detection, TrackedObject } from '../types.ts';

const person = (x: number, y: number, score = 0.9, w = 40, h = 100): Detection => ({ box: [x, y, x + w, y + h], score, label: 'person' });
const bicycle = (box: BoxXYXY, score = 0.8): Detection => ({ box, score, label: 'bicycle' });
const FPS = 10;

/** Run frames of detections at FPS; returns each frame's output. */
function run(tracker: ByteTracker, frames: Detection[][], t0 = 0): TrackedObject[][] {
  return frames.map((dets, f) => tracker.update(dets, t0 + f / FPS));
}
const ids = (out: TrackedObject[]): number[] => out.map((t) => t.id);

describe('ByteTracker', () => {
  it('confirms a track on its second frame, with ids 1, 2, … and the foot at the bottom centre', () => {
    const tr = new ByteTracker();
    const out = run(tr, [
      [person(100, 100), person(400, 100)],
      [person(104, 100), person(404, 100)],
      [person(108, 100), person(408, 100)],
    ]);
    expect(out[0]).toEqual([]);
    expect(ids(out[1])).toEqual([1, 2]);
    expect(ids(out[2])).toEqual([1, 2]);
    const a = out[2][0];
    expect(a.foot[0]).toBeCloseTo((a.box[0] + a.box[2]) / 2, 9);
    expect(a.foot[1]).toBe(a.box[3]);
    expect(a.cls).toBe('person');
    expect(a.score).toBe(0.9);
  });

  it('keeps ids of two people walking past each other', () => {
    const tr = new ByteTracker();
    const frames: Detection[][] = [];
    for (let f = 0; f < 40; f++) {
      // A walks right, B walks left slightly behind (higher up, a bit smaller); they meet at f = 20.
      frames.push([person(100 + 8 * f, 100), person(420 - 8 * f, 90, 0.85, 38, 95)]);
    }
    const out = run(tr, frames);
    const aId = out[1].find((t) => t.box[0] < 200)!.id;
    const bId = out[1].find((t) => t.box[0] > 200)!.id;
    for (let f = 1; f < 40; f++) {
      expect(out[f]).toHaveLength(2);
      const a = out[f].find((t) => t.id === aId)!;
      const b = out[f].find((t) => t.id === bId)!;
      // A's box follows A's detections (x grows), B's follows B's.
      expect(Math.abs(a.box[0] - (100 + 8 * f))).toBeLessThan(6);
      expect(Math.abs(b.box[0] - (420 - 8 * f))).toBeLessThan(6);
    }
  });

  it('keeps the id of a person missed for a few frames (lost, then found again)', () => {
    const tr = new ByteTracker();
    const frames: Detection[][] = [];
    for (let f = 0; f < 30; f++) frames.push(f >= 10 && f < 16 ? [] : [person(100 + 5 * f, 100)]);
    const out = run(tr, frames);
    expect(ids(out[9])).toEqual([1]);
    for (let f = 10; f < 16; f++) expect(out[f]).toEqual([]);
    expect(ids(out[16])).toEqual([1]);
    expect(ids(out[29])).toEqual([1]);
  });

  it('gives a new id after the track buffer (seconds, not frames) has run out', () => {
    const tr = new ByteTracker({ trackBufferSeconds: 1 });
    expect(tr.update([person(100, 100)], 0)).toEqual([]);
    expect(ids(tr.update([person(100, 100)], 0.1))).toEqual([1]);
    expect(ids(tr.update([person(100, 100)], 1.0))).toEqual([1]); // 0.9 s gap: same person
    tr.update([], 1.5);
    tr.update([], 2.1); // lost for 1.1 s > 1 s: forgotten
    expect(tr.update([person(100, 100)], 2.2)).toEqual([]);
    expect(ids(tr.update([person(100, 100)], 2.3))).toEqual([2]);
  });

  it('starts afresh when time goes backwards (a new stream), without reusing ids', () => {
    const tr = new ByteTracker();
    run(tr, [[person(100, 100)], [person(104, 100)]], 500);
    expect(tr.size).toBe(1);
    const out = run(tr, [[person(300, 300)], [person(304, 300)]], 0);
    expect(tr.size).toBe(1);
    expect(ids(out[1])).toEqual([2]);
  });

  it('continues a track with a low-score box, but a low-score box never starts one', () => {
    const tr = new ByteTracker();
    const out = run(tr, [
      [person(100, 100), person(400, 100, 0.3)],
      [person(104, 100), person(400, 100, 0.3)],
      [person(108, 100, 0.3), person(400, 100, 0.3)], // the known person is half hidden
      [person(112, 100, 0.2), person(400, 100, 0.3)],
      [person(116, 100), person(400, 100, 0.3)],
    ]);
    expect(ids(out[1])).toEqual([1]);
    expect(ids(out[2])).toEqual([1]);
    expect(out[2][0].score).toBe(0.3);
    expect(ids(out[3])).toEqual([1]);
    expect(ids(out[4])).toEqual([1]);
    expect(tr.size).toBe(1);
  });

  it('ignores boxes below lowThresh and labels other than person/bicycle', () => {
    const tr = new ByteTracker();
    const out = run(tr, [
      [person(100, 100), person(300, 100, 0.05), { box: [500, 100, 540, 200], score: 0.9, label: 'car' }],
      [person(104, 100), person(300, 100, 0.05), { box: [500, 100, 540, 200], score: 0.9, label: 'car' }],
    ]);
    expect(out[1]).toHaveLength(1);
    expect(tr.size).toBe(1);
  });

  it('never confirms a spurious single-frame box', () => {
    const tr = new ByteTracker();
    const frames: Detection[][] = [];
    for (let f = 0; f < 10; f++) frames.push(f === 3 ? [person(100, 100), person(500, 300, 0.95)] : [person(100, 100)]);
    const out = run(tr, frames);
    for (const o of out.slice(1)) expect(ids(o)).toEqual([1]);
    expect(tr.size).toBe(1);
  });

  it('does not start a track from a high box below newTrackThresh', () => {
    const tr = new ByteTracker(); // high 0.5, new tracks from 0.6
    const out = run(tr, [[person(100, 100, 0.55)], [person(100, 100, 0.55)], [person(100, 100, 0.55)]]);
    expect(out.flat()).toEqual([]);
  });

  it('reports the raw detection box when asked', () => {
    const tr = new ByteTracker({ outputBox: 'detection' });
    const out = run(tr, [[person(100, 100)], [person(107, 103)]]);
    expect(out[1][0].box).toEqual([107, 103, 147, 203]);
  });

  it('calls a person riding a bicycle a cyclist, and a walker passing a parked bicycle a person', () => {
    const tr = new ByteTracker();
    const frames: Detection[][] = [];
    for (let f = 0; f < 20; f++) {
      const rx = 100 + 15 * f; // rider
      const wx = 600 - 4 * f; // walker passing a bike parked at x 540..600 around f 5..8
      frames.push([
        person(rx, 100, 0.9, 40, 100),
        bicycle([rx - 20, 150, rx + 60, 210]),
        person(wx, 300, 0.9, 40, 100),
        bicycle([540, 360, 600, 410]),
      ]);
    }
    const out = run(tr, frames);
    const last = out[19];
    const rider = last.find((t) => t.box[0] > 300 && t.box[1] < 200)!;
    const walker = last.find((t) => t.box[1] > 250)!;
    expect(rider.cls).toBe('cyclist');
    expect(walker.cls).toBe('person');
    // The walker overlapped the parked bike for a few frames only: never flipped.
    for (const o of out) for (const t of o) if (t.id === walker.id) expect(t.cls).toBe('person');
  });

  it('does not let a cyclist flicker when the bicycle is missed now and then', () => {
    const tr = new ByteTracker();
    const frames: Detection[][] = [];
    for (let f = 0; f < 30; f++) {
      const rx = 100 + 10 * f;
      const bikeSeen = f < 10 || f % 3 !== 0; // from frame 10, every third frame has no bicycle box
      frames.push(bikeSeen ? [person(rx, 100), bicycle([rx - 20, 150, rx + 60, 210])] : [person(rx, 100)]);
    }
    const out = run(tr, frames);
    for (const o of out.slice(2)) expect(o[0].cls).toBe('cyclist');
  });

  it('predicts by elapsed time, so it follows a walker across dropped frames', () => {
    const tr = new ByteTracker();
    const got: TrackedObject[][] = [];
    // 150 px/s; from frame 10 only every third frame arrives: 45 px jumps, and boxes 40 px
    // wide no longer overlap from one frame to the next unless the motion is predicted.
    for (let f = 0; f < 20; f++) {
      const t = f < 10 ? f * 0.1 : 0.9 + (f - 9) * 0.3;
      got.push(tr.update([person(150 * t, 100)], t));
    }
    for (const o of got.slice(1)) expect(ids(o)).toEqual([1]);
  });
});
