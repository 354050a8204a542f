/**
 * Zone visits from trajectories: how long each person stayed in each zone, per stay. Pure:
 * boxes and scene in, per zone the ended visits and the ones still open at the end.
 *
 * Same conventions as `counting-gt.ts`: the foot point (bottom centre of the box), inside by
 * the even–odd rule, and consecutive annotated frames of one id are one step (a gap in the
 * annotation while inside keeps the person inside).
 * - A visit starts at the first frame the foot is inside (a trajectory that starts inside
 *   starts a visit at its first frame) and lasts to the last frame it is inside before it
 *   is outside again or its trajectory ends. A visit of k frames (last − first + 1) lasts
 *   k / fps seconds.
 * - A visit whose trajectory ends inside before the last frame of the sequence has ended
 *   (the person walked out of view). One still inside at the last frame has not: it is
 *   listed under `open`, not among the ended visits, since its length is not known. So is
 *   one whose trajectory goes on past `frames` (a sequence cut short).
 */
import type { Scene } from '@byliv/protocol';
import { footPoint, insidePolygon } from './counting-gt.ts';
import { trajectories, type MotBox } from './gt.ts';

export interface VisitOptions {
  /** Frame rate: one frame stands for 1 / framesPerSecond seconds. */
  framesPerSecond: number;
  /** Frames in the sequence (1..frames); default: the last annotated frame. */
  frames?: number;
}

/** One stay of one person in one zone. */
export interface Visit {
  /** The trajectory's id. */
  id: number;
  firstFrame: number;
  lastFrame: number;
  /** lastFrame − firstFrame + 1. */
  frames: number;
  /** frames / fps. */
  seconds: number;
}

export interface ZoneVisits {
  /** Visits that ended, sorted by last frame then id. */
  ended: Visit[];
  /** Seconds of each ended visit, in the same order. */
  durations: number[];
  /** Visits still open at the last frame (their seconds so far). */
  open: Visit[];
}

/** Per zone id, the visits of every trajectory. */
export function zoneVisits(boxes: readonly MotBox[], scene: Pick<Scene, 'zones'>, options: VisitOptions): Record<string, ZoneVisits> {
  const fps = options.framesPerSecond;
  if (!(fps > 0) || !Number.isFinite(fps)) throw new Error(`zoneVisits: framesPerSecond must be a positive number, got ${fps}`);
  const lastFrame = options.frames ?? boxes.reduce((m, b) => Math.max(m, b.frame), 0);
  const tracks = trajectories(boxes).map((t) => ({ id: t.id, frames: t.boxes.map((b) => b.frame), feet: t.boxes.map(footPoint) }));
  const visit = (id: number, first: number, last: number): Visit => ({ id, firstFrame: first, lastFrame: last, frames: last - first + 1, seconds: (last - first + 1) / fps });

  const out: Record<string, ZoneVisits> = {};
  for (const zone of scene.zones) {
    const ended: Visit[] = [];
    const open: Visit[] = [];
    for (const t of tracks) {
      let first = -1; // first frame of the visit in progress; -1 when outside
      let last = -1;
      let goesOn = false; // the trajectory has boxes after the last frame (a shortened sequence)
      for (let k = 0; k < t.feet.length; k++) {
        if (t.frames[k] > lastFrame) {
          goesOn = true;
          break;
        }
        const inside = insidePolygon(zone.polygon, t.feet[k]);
        if (inside) {
          if (first < 0) first = t.frames[k];
          last = t.frames[k];
        } else if (first >= 0) {
          ended.push(visit(t.id, first, last));
          first = -1;
        }
      }
      if (first >= 0) (last < lastFrame && !goesOn ? ended : open).push(visit(t.id, first, last));
    }
    ended.sort((a, b) => a.lastFrame - b.lastFrame || a.id - b.id);
    open.sort((a, b) => a.id - b.id);
    out[zone.id] = { ended, durations: ended.map((v) => v.seconds), open };
  }
  return out;
}

export interface VisitStats {
  /** Ended visits. */
  visits: number;
  /** Ended visits of at least `stayingSeconds`. */
  staying: number;
  /** Median seconds of the ended visits (mean of the middle two for an even count); NaN when none. */
  medianSeconds: number;
  /** Visits still open at the last frame. */
  open: number;
}

/** Counts for a table: ended visits, staying visits (>= stayingSeconds, default 30 s), median dwell. */
export function visitStats(v: ZoneVisits, stayingSeconds = 30): VisitStats {
  const d = [...v.durations].sort((a, b) => a - b);
  const n = d.length;
  const medianSeconds = n === 0 ? NaN : n % 2 === 1 ? d[(n - 1) / 2] : (d[n / 2 - 1] + d[n / 2]) / 2;
  return { visits: n, staying: d.filter((s) => s >= stayingSeconds).length, medianSeconds, open: v.open.length };
}
