/**
 * Zone visits: entries, exits with dwell time, occupancy, and flows between zones, from the
 * foot points of the tracks of each frame.
 *
 * Rules (each has a row in zone.test.ts):
 * - membership (inside or not) is membership.ts's: plain point-in-polygon at first sight,
 *   then a change only once the foot is clear of the jitter band, as for lines. A still
 *   person with the foot on an edge makes one visit, not one per wobble.
 * - entry: the foot goes from outside to inside. A track first seen already inside counts
 *   as an entry at its first frame: people appear inside a zone when they were hidden on
 *   the way in, or were there when the stream started, and their visit still happened
 *   (and entries − exits stays the number of open visits).
 * - exit: the foot goes from inside to outside, at the first frame seen outside; dwell is
 *   the time from entry to exit.
 * - a track not seen for more than `exitTimeoutSeconds` exits every zone it was inside at its
 *   last seen time, and is forgotten. Default 8 s: longer than the tracker keeps a still
 *   person's lost track and than the window in which a new track continues a lost one's
 *   visit (track/continuation.ts), so a person found again is never exited early.
 * - flow A→B: a track exits A and the next zone it enters is B (B ≠ A), within
 *   `flowWindowSeconds`. Exits are handled before entries, so stepping from A straight
 *   into a neighbouring B in one frame is a flow.
 * - occupancy: tracks of this frame whose foot is inside. A lost track is not counted while
 *   it is unseen (it is not in this frame's tracks).
 * - end of stream (`finish`): visits still open are NOT exits (the people did not leave,
 *   we stopped watching). `finish` emits only the exits that had already timed out and
 *   forgets everything else.
 * - classes: each event carries the track's class at the time of the event.
 */
import type { SceneZone } from '@byliv/protocol';
import type { MovementClass, OccupancySample, TrackedObject, ZoneEvent } from '../types.ts';
import type { JitterBandOptions } from './jitter.ts';
import { ZoneMembership } from './membership.ts';

export interface ZoneCounterOptions extends JitterBandOptions {
  /** Seconds unseen after which a track's open visits end (default 8). */
  exitTimeoutSeconds?: number;
  /** Most seconds between leaving A and entering B for a flow A→B (default 60). */
  flowWindowSeconds?: number;
}

interface TrackState {
  lastSeen: number;
  cls: MovementClass;
  /** Per zone: 1 while the foot is in it (membership.ts). */
  inside: Uint8Array;
  /** Per zone: entry time of the open visit, NaN when outside. */
  entered: Float64Array;
  /** Zone index and time of the last exit not yet followed by an entry; -1 when none. */
  lastExitZone: number;
  lastExitTime: number;
}

export interface ZoneStep {
  events: ZoneEvent[];
  occupancy: OccupancySample;
}

export class ZoneCounter {
  private readonly zones: SceneZone[];
  private readonly exitTimeout: number;
  private readonly flowWindow: number;
  private readonly tracks = new Map<number, TrackState>();
  private readonly membership: ZoneMembership;
  private lastTime = -Infinity;

  constructor(zones: readonly SceneZone[], options: ZoneCounterOptions = {}) {
    this.zones = [...zones];
    this.exitTimeout = options.exitTimeoutSeconds ?? 8;
    this.flowWindow = options.flowWindowSeconds ?? 60;
    this.membership = new ZoneMembership(this.zones, options);
  }

  /** The tracks of one frame at `time`, standing for `duration` seconds of the scene. */
  update(tracks: readonly TrackedObject[], time: number, duration: number): ZoneStep {
    if (time < this.lastTime) this.tracks.clear(); // a new stream: nothing carries over
    this.lastTime = time;
    const events: ZoneEvent[] = [];
    // Time out first, so an id reused after a long absence starts a new visit in this frame.
    this.expire(time, events);
    const byZone: Record<string, number> = {};
    const counts = new Int32Array(this.zones.length);
    for (const t of tracks) {
      let st = this.tracks.get(t.id);
      if (!st) {
        const n = this.zones.length;
        st = { lastSeen: time, cls: t.cls, inside: new Uint8Array(n), entered: new Float64Array(n).fill(NaN), lastExitZone: -1, lastExitTime: 0 };
        this.membership.first(t.foot, st.inside);
        this.tracks.set(t.id, st);
      } else {
        this.membership.step(t.foot, t.box[3] - t.box[1], st.inside);
      }
      st.lastSeen = time;
      st.cls = t.cls;
      this.visit(st, time, events);
      for (let z = 0; z < this.zones.length; z++) if (st.inside[z]) counts[z]++;
    }
    this.zones.forEach((z, i) => (byZone[z.id] = counts[i]));
    return { events, occupancy: { time, duration, byZone } };
  }

  /**
   * End of the stream at `time`: returns the exits of visits whose track had already been
   * gone longer than the timeout, and forgets all state. Open visits are not exits.
   */
  finish(time: number): ZoneEvent[] {
    const events: ZoneEvent[] = [];
    this.expire(time, events);
    this.tracks.clear();
    this.lastTime = -Infinity;
    return events;
  }

  /** Visit events from the track's membership now against its open visits. */
  private visit(st: TrackState, time: number, events: ZoneEvent[]): void {
    const n = this.zones.length;
    for (let z = 0; z < n; z++) {
      if (st.inside[z] || Number.isNaN(st.entered[z])) continue;
      events.push({ kind: 'exit', zoneId: this.zones[z].id, cls: st.cls, time, dwellSeconds: time - st.entered[z] });
      st.entered[z] = NaN;
      st.lastExitZone = z;
      st.lastExitTime = time;
    }
    for (let z = 0; z < n; z++) {
      if (!st.inside[z] || !Number.isNaN(st.entered[z])) continue;
      events.push({ kind: 'entry', zoneId: this.zones[z].id, cls: st.cls, time });
      st.entered[z] = time;
      if (st.lastExitZone >= 0) {
        if (st.lastExitZone !== z && time - st.lastExitTime <= this.flowWindow) {
          events.push({ kind: 'flow', from: this.zones[st.lastExitZone].id, to: this.zones[z].id, time });
        }
        st.lastExitZone = -1; // the next zone entered after an exit is the only candidate
      }
    }
  }

  private expire(time: number, events: ZoneEvent[]): void {
    for (const [id, st] of this.tracks) {
      if (time - st.lastSeen <= this.exitTimeout) continue;
      for (let z = 0; z < this.zones.length; z++) {
        if (Number.isNaN(st.entered[z])) continue;
        events.push({ kind: 'exit', zoneId: this.zones[z].id, cls: st.cls, time: st.lastSeen, dwellSeconds: st.lastSeen - st.entered[z] });
      }
      this.tracks.delete(id);
    }
  }
}
