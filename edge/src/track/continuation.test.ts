import { describe, expect, it } from 'vitest';
import type { TrackedObject } from '../types.ts';
import { TrackContinuation } from './continuation.ts';

/** A tracker's track `id`, 100 px tall, foot at (x, 300). */
const track = (id: number, x: number, h = 100): TrackedObject => ({ id, box: [x - 20, 300 - h, x + 20, 300], score: 0.9, foot: [x, 300], cls: 'person' });
const ids = (out: TrackedObject[]) => out.map((t) => t.id);
const frame = { width: 1000, height: 600 };

describe('TrackContinuation', () => {
  it('passes tracks through with person ids while nothing is lost', () => {
    const c = new TrackContinuation({ frame });
    expect(ids(c.update([track(7, 100), track(9, 400)], 0))).toEqual([1, 2]);
    expect(ids(c.update([track(7, 101), track(9, 401)], 0.1))).toEqual([1, 2]);
  });

  it('a new tracker id where a gone person stood, within the window, continues them', () => {
    const c = new TrackContinuation({ frame });
    for (let k = 0; k < 10; k++) c.update([track(3, 500)], k / 10);
    c.update([], 1); // gone (the tracker dropped id 3)
    expect(ids(c.update([track(8, 520)], 4))).toEqual([1]);
  });

  it('not while the tracker still holds the old id: that is the tracker\'s to recover', () => {
    const c = new TrackContinuation({ frame });
    c.update([track(3, 500)], 0);
    expect(ids(c.update([track(8, 505)], 1, (id) => id === 3))).toEqual([2]);
  });

  it('not after the window, not far away, not for a person of another size, not at the frame edge', () => {
    const late = new TrackContinuation({ frame, windowSeconds: 5 });
    late.update([track(3, 500)], 0);
    expect(ids(late.update([track(8, 500)], 5.5))).toEqual([2]);
    const far = new TrackContinuation({ frame });
    far.update([track(3, 500)], 0);
    expect(ids(far.update([track(8, 800)], 1))).toEqual([2]); // 3 box heights away
    const other = new TrackContinuation({ frame });
    other.update([track(3, 500)], 0);
    expect(ids(other.update([track(8, 500, 180)], 1))).toEqual([2]);
    const edge = new TrackContinuation({ frame });
    edge.update([track(3, 985)], 0); // box reaches x = 1005: walked out
    expect(ids(edge.update([track(8, 975)], 1))).toEqual([2]);
  });

  it('each gone person is continued once; the closer new track wins', () => {
    const c = new TrackContinuation({ frame });
    c.update([track(3, 500)], 0);
    expect(ids(c.update([track(8, 530), track(9, 505)], 1))).toEqual([2, 1]);
  });

  it('an old tracker id that comes back after its person was continued is someone new', () => {
    const c = new TrackContinuation({ frame });
    c.update([track(3, 500)], 0);
    c.update([track(8, 505)], 1);
    expect(ids(c.update([track(8, 505), track(3, 700)], 1.1))).toEqual([1, 2]);
  });

  it('windowSeconds 0 turns it off; time going backwards forgets everything', () => {
    const off = new TrackContinuation({ frame, windowSeconds: 0 });
    off.update([track(3, 500)], 0);
    expect(ids(off.update([track(8, 500)], 0.5))).toEqual([2]);
    const c = new TrackContinuation({ frame });
    c.update([track(3, 500)], 10);
    expect(ids(c.update([track(8, 500)], 0))).toEqual([2]);
    expect(() => new TrackContinuation({ windowSeconds: -1 })).toThrow(/windowSeconds/);
  });
});
