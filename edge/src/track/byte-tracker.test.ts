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

  it('keeps the id of a person missed for a few frames, reporting them at the predicted box for coastSeconds', () => {
    const tr = new ByteTracker();
    const frames: Detection[][] = [];
    for (let f = 0; f < 30; f++) frames.push(f >= 10 && f < 16 ? [] : [person(100 + 5 * f, 100)]);
    const out = run(tr, frames);
    expect(ids(out[9])).toEqual([1]);
    // Missed from frame 10: coasted for 0.5 s (frames 10–14), walking on at the learnt velocity.
    for (let f = 10; f < 15; f++) {
      expect(ids(out[f])).toEqual([1]);
      expect(out[f][0].box[0]).toBeGreaterThan(out[f - 1][0].box[0]);
      expect(Math.abs(out[f][0].box[0] - (100 + 5 * f))).toBeLessThan(5);
    }
    expect(out[15]).toEqual([]);
    expect(ids(out[16])).toEqual([1]);
    expect(ids(out[29])).toEqual([1]);
  });

  it('reports only matched tracks with coastSeconds 0', () => {
    const tr = new ByteTracker({ coastSeconds: 0 });
    const frames: Detection[][] = [];
    for (let f = 0; f < 20; f++) frames.push(f >= 10 && f < 13 ? [] : [person(100 + 5 * f, 100)]);
    const out = run(tr, frames);
    for (let f = 10; f < 13; f++) expect(out[f]).toEqual([]);
    expect(ids(out[13])).toEqual([1]);
  });

  it('gives a new id after the track buffer (seconds, not frames) has run out', () => {
    const tr = new ByteTracker({ trackBufferSeconds: 1, stationaryBufferSeconds: 1 });
    expect(tr.update([person(100, 100)], 0)).toEqual([]);
    expect(ids(tr.update([person(100, 100)], 0.1))).toEqual([1]);
    expect(ids(tr.update([person(100, 100)], 1.0))).toEqual([1]); // 0.9 s gap: same person
    tr.update([], 1.5);
    tr.update([], 2.1); // lost for 1.1 s > 1 s: forgotten
    expect(tr.update([person(100, 100)], 2.2)).toEqual([]);
    expect(ids(tr.update([person(100, 100)], 2.3))).toEqual([2]);
  });

  it('keeps a lost person who stood still for stationaryBufferSeconds, a walker only for trackBufferSeconds', () => {
    const still = new ByteTracker({ trackBufferSeconds: 1, stationaryBufferSeconds: 5 });
    for (let k = 0; k <= 10; k++) still.update([person(100, 100)], k / 10);
    still.update([], 2);
    still.update([], 5.5); // lost 4.5 s: still held
    expect(ids(still.update([person(102, 100)], 5.6))).toEqual([1]);
    const walker = new ByteTracker({ trackBufferSeconds: 1, stationaryBufferSeconds: 5 });
    for (let k = 0; k <= 10; k++) walker.update([person(100 + 10 * k, 100)], k / 10);
    walker.update([], 2);
    walker.update([], 2.5); // lost 1.5 s: forgotten
    expect(walker.holds(1)).toBe(false);
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
      [person(112, 100, 0.27), person(400, 100, 0.3)],
      [person(116, 100), person(400, 100, 0.3)],
    ]);
    expect(ids(out[1])).toEqual([1]);
    expect(ids(out[2])).toEqual([1]);
    // Matched to the low boxes themselves (not coasted: those would keep the last score and move on).
    expect(out[2][0].score).toBe(0.3);
    expect(out[3][0].score).toBe(0.27);
    expect(out[3][0].box).toEqual([112, 100, 152, 200]);
    expect(ids(out[4])).toEqual([1]);
    expect(tr.size).toBe(1);
  });

  it('ignores boxes below lowThresh and labels other than person/bicycle', () => {
    const tr = new ByteTracker();
    const out = run(tr, [
      [person(100, 100), person(300, 100, 0.05), { box: [500, 100, 540, 200], score: 0.9, label: 'car' }],
      [person(104, 100), person(300, 100, 0.05), { box: [500, 100, 540, 200], score: 0.9, label: 'car' }],
      [person(108, 100, 0.2)], // below the default lowThresh 0.25: the person is lost (and coasted)
    ]);
    expect(out[1]).toHaveLength(1);
    expect(tr.size).toBe(1);
    expect(out[2][0].score).toBe(0.9); // coasted with its last score, not matched to the 0.2 box
    expect(out[2][0].box).not.toEqual([108, 100, 148, 200]);
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
    const tr = new ByteTracker(); // high 0.5, new tracks from 0.7
    const out = run(tr, [[person(100, 100, 0.65)], [person(100, 100, 0.65)], [person(100, 100, 0.65)]]);
    expect(out.flat()).toEqual([]);
    const started = run(new ByteTracker(), [[person(100, 100, 0.7)], [person(100, 100, 0.65)]]);
    expect(ids(started[1])).toEqual([1]); // once started, a 0.65 box continues it
  });

  it('reports the raw detection box by default, the Kalman box when asked', () => {
    const frames = [[person(100, 100)], [person(107, 103)]];
    expect(run(new ByteTracker(), frames)[1][0].box).toEqual([107, 103, 147, 203]);
    const smoothed = run(new ByteTracker({ outputBox: 'kalman' }), frames)[1][0].box;
    expect(smoothed[0]).toBeGreaterThan(100);
    expect(smoothed[0]).toBeLessThan(107);
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

  /** Walks right at 100 px/s for 1 s, is hidden for 1 s, and reappears `dx` px on, standing, with box height `h`. */
  function occluded(dx: number, h = 100): Detection[][] {
    const frames: Detection[][] = [];
    for (let f = 0; f < 10; f++) frames.push([person(100 + 10 * f, 100)]);
    for (let f = 10; f < 20; f++) frames.push([]); // behind a post; stopped there
    for (let f = 20; f < 25; f++) frames.push([person(190 + dx, 100 + 100 - h, 0.9, 0.4 * h, h)]);
    return frames;
  }

  it('finds a person again near where they were last seen, where IoU with the drifted prediction gives a new id', () => {
    // The filter predicts the walker 100 px further on; they stopped 15 px on, no overlap left.
    const found = run(new ByteTracker(), occluded(15));
    expect(ids(found[9])).toEqual([1]);
    expect(ids(found[20])).toEqual([1]);
    expect(ids(found[24])).toEqual([1]);
    const iouOnly = run(new ByteTracker({ recovery: false }), occluded(15));
    expect(iouOnly[20]).toEqual([]); // a tentative new track…
    expect(ids(iouOnly[21])).toEqual([2]); // …confirmed under a new id
  });

  it('does not take a box of another height there for the lost person', () => {
    const out = run(new ByteTracker(), occluded(15, 150)); // someone much nearer the camera
    expect(out[20]).toEqual([]);
    expect(ids(out[21])).toEqual([2]);
  });

  it('knows that someone who walked out of the frame is gone (given the frame size)', () => {
    // A walks right and leaves a 400 px wide frame; 0.5 s later B walks in at the same spot.
    const frames: Detection[][] = [];
    for (let f = 0; f < 10; f++) frames.push([person(270 + 10 * f, 100)]); // last box ends at x 400
    for (let f = 10; f < 15; f++) frames.push([]);
    for (let f = 15; f < 20; f++) frames.push([person(355 - 10 * (f - 15), 100)]);
    const withFrame = run(new ByteTracker({ frame: { width: 400, height: 300 } }), frames);
    for (let f = 10; f < 15; f++) expect(withFrame[f]).toEqual([]); // not coasted off screen
    expect(ids(withFrame[16])).toEqual([2]);
    // Without the frame size the edge means nothing: A is coasted, and B is taken for A.
    const blind = run(new ByteTracker(), frames);
    expect(ids(blind[10])).toEqual([1]);
    expect(ids(blind[16])).toEqual([1]);
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
