/**
 * Line crossings. A crossing is a step of a track's foot point (from where it was last seen
 * to where it is now) whose segment intersects the counting line: the same rule the ground
 * truth is counted with, so a person walking back and forth counts every time.
 *
 * Cases the state below exists for (each has a row in line.test.ts):
 * - a track that jumps over the line between two frames counts (segment test, not "near");
 * - a step that crosses the infinite line beyond an end of the segment does not count, but
 *   it does move the track to the other side;
 * - a foot exactly on the line keeps the side it came from, so touching the line and going
 *   back counts nothing, and stepping onto the line then off the other side counts once;
 * - a lost and found track: the step from its last seen point to the new one counts;
 * - jitter: a crossing is only counted once the foot is clear of the jitter band around the
 *   line (jitter.ts, the same band zones use); if it comes back before, neither step counts;
 * - ids: a track not seen for `forgetSeconds` is forgotten, so a reused id starts afresh;
 *   time going backwards (a new stream) forgets everything.
 */
import type { SceneLine } from '@byliv/protocol';
import type { Crossing, Direction, MovementClass, Point, TrackedObject } from '../types.ts';
import { crossingParameter, side } from './geometry.ts';
import { jitterBand, type JitterBand, type JitterBandOptions } from './jitter.ts';

export interface LineCounterOptions extends JitterBandOptions {
  /** Seconds after which an unseen track's state is dropped (must exceed the tracker's lost buffer and the visit link window). Default 8. */
  forgetSeconds?: number;
}

interface TrackState {
  lastSeen: number;
  foot: Point;
  /** Per line: the side the track is on (−1, +1), 0 while never seen off the line. */
  sides: Int8Array;
  /** Per line: side of a crossing not yet counted because the foot is within the hysteresis band. */
  pending: Int8Array;
}

export class LineCounter {
  private readonly lines: SceneLine[];
  private readonly lengths: Float64Array;
  private readonly band: JitterBand;
  private readonly forgetSeconds: number;
  private readonly tracks = new Map<number, TrackState>();
  private lastTime = -Infinity;

  constructor(lines: readonly SceneLine[], options: LineCounterOptions = {}) {
    this.lines = [...lines];
    this.lengths = new Float64Array(this.lines.length);
    this.lines.forEach((l, i) => {
      this.lengths[i] = Math.hypot(l.b[0] - l.a[0], l.b[1] - l.a[1]);
      if (!(this.lengths[i] > 0)) throw new Error(`line "${l.id}": a and b are the same point`);
    });
    this.band = jitterBand(options, 'lineCounter');
    this.forgetSeconds = options.forgetSeconds ?? 8;
  }

  /** The tracks of one frame at stream time `time`; returns the crossings of this step. */
  update(tracks: readonly TrackedObject[], time: number): Crossing[] {
    if (time < this.lastTime) this.tracks.clear();
    this.lastTime = time;
    // Forget first, so an id reused after a long absence starts afresh in this very frame.
    for (const [id, st] of this.tracks) if (time - st.lastSeen > this.forgetSeconds) this.tracks.delete(id);
    const out: Crossing[] = [];
    for (const t of tracks) {
      const st = this.tracks.get(t.id);
      if (!st) {
        this.tracks.set(t.id, this.firstSight(t.foot, time));
        continue;
      }
      const band = this.band(t.box[3] - t.box[1]);
      for (let i = 0; i < this.lines.length; i++) this.step(i, st, t.foot, t.cls, time, band, out);
      st.foot = t.foot;
      st.lastSeen = time;
    }
    return out;
  }

  private firstSight(foot: Point, time: number): TrackState {
    const sides = new Int8Array(this.lines.length);
    for (let i = 0; i < this.lines.length; i++) sides[i] = Math.sign(side(this.lines[i].a, this.lines[i].b, foot));
    return { lastSeen: time, foot, sides, pending: new Int8Array(this.lines.length) };
  }

  private step(i: number, st: TrackState, q: Point, cls: MovementClass, time: number, band: number, out: Crossing[]): void {
    const { a, b, id } = this.lines[i];
    const sq = side(a, b, q);
    const now = Math.sign(sq);
    if (now === 0) return; // on the line: still on the side it came from
    const was = st.sides[i];
    const beyond = Math.abs(sq) / this.lengths[i] >= band;
    if (was === 0) {
      st.sides[i] = now; // first time off the line: nothing to cross from
      return;
    }
    if (now === was) {
      if (st.pending[i] !== 0 && beyond) {
        out.push(crossing(id, st.pending[i], cls, time));
        st.pending[i] = 0;
      }
      return;
    }
    // The foot changed sides in this step.
    st.sides[i] = now;
    if (st.pending[i] !== 0) {
      st.pending[i] = 0; // back before it got clear of the line: jitter, neither step counts
      return;
    }
    const p = st.foot;
    const sp = side(a, b, p);
    // sp may be 0 (p on the line, having come from `was`): the crossing point is p itself.
    const u = crossingParameter(a, b, p, q, Math.sign(sp) === was ? sp : 0, sq);
    if (u < 0 || u > 1) return; // went round an end of the line
    if (beyond) out.push(crossing(id, now, cls, time));
    else st.pending[i] = now;
  }
}

function crossing(lineId: string, toSide: number, cls: MovementClass, time: number): Crossing {
  const direction: Direction = toSide > 0 ? 'forward' : 'backward';
  return { lineId, direction, cls, time };
}
