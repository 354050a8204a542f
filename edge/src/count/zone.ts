/**
 * Zone visits: entries, exits with dwell time, occupancy, and flows between zones, from the
 * foot points of the tracks of each frame.
 *
 * Rules (each has a row in zone.test.ts):
 * - entry: the foot goes from outside to inside. A track first seen already inside counts
 *   as an entry at its first frame: people appear inside a zone when they were hidden on
 *   the way in, or were there when the stream started, and their visit still happened
 *   (and entries − exits stays the number of open visits).
 * - exit: the foot goes from inside to outside, at the first frame seen outside; dwell is
 *   the time from entry to exit.
 * - a track not seen for more than `exitTimeoutSeconds` (default 3 s, the tracker's lost
 *   buffer, so a track the tracker can still find again is never exited early) exits every
 *   zone it was inside at its last seen time, and is forgotten.
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
import type { MovementClass, OccupancySample, Point, TrackedObject, ZoneEvent } from '../types.ts';
import { pointInPolygon } from './geometry.ts';

export interface ZoneCounterOptions {
  /** Seconds unseen after which a track's open visits end (default 3). */
  exitTimeoutSeconds?: number;
  /** Most seconds between leaving A and entering B for a flow A→B (default 60). */
  flowWindowSeconds?: number;
}

interface TrackState {
  lastSeen: number;
  cls: MovementClass;
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
  private readonly inside: Uint8Array;
  private lastTime = -Infinity;

  constructor(zones: readonly SceneZone[], options: ZoneCounterOptions = {}) {
    this.zones = [...zones];
    this.exitTimeout = options.exitTimeoutSeconds ?? 3;
    this.flowWindow = options.flowWindowSeconds ?? 60;
    this.inside = new Uint8Array(this.zones.length);
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
        st = { lastSeen: time, cls: t.cls, entered: new Float64Array(this.zones.length).fill(NaN), lastExitZone: -1, lastExitTime: 0 };
        this.tracks.set(t.id, st);
      }
      st.lastSeen = time;
      st.cls = t.cls;
      this.visit(st, t.foot, time, events);
      for (let z = 0; z < this.zones.length; z++) if (this.inside[z]) counts[z]++;
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

  private visit(st: TrackState, foot: Point, time: number, events: ZoneEvent[]): void {
    const n = this.zones.length;
    for (let z = 0; z < n; z++) this.inside[z] = pointInPolygon(foot, this.zones[z].polygon) ? 1 : 0;
    for (let z = 0; z < n; z++) {
      if (this.inside[z] || Number.isNaN(st.entered[z])) continue;
      events.push({ kind: 'exit', zoneId: this.zones[z].id, cls: st.cls, time, dwellSeconds: time - st.entered[z] });
      st.entered[z] = NaN;
      st.lastExitZone = z;
      st.lastExitTime = time;
    }
    for (let z = 0; z < n; z++) {
      if (!this.inside[z] || !Number.isNaN(st.entered[z])) continue;
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
