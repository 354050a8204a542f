/**
 * ByteTrack (Zhang et al., ECCV 2022): associate every detection box, not only the
 * confident ones. Confident boxes are matched first against all live tracks (seen or
 * recently lost); the leftover tracks then get a second chance with the low-score boxes,
 * which are mostly the same people half hidden. Low-score boxes continue tracks but never
 * start one, so clutter does not become people.
 *
 * Differences from the reference implementation, on purpose:
 * - time-based: lost tracks live `trackBufferSeconds`, and the Kalman filter predicts by the
 *   time elapsed, because frame rates vary and frames get dropped;
 * - a third association finds lost people again near where they were last SEEN (recovery.ts,
 *   after OC-SORT / BoT-SORT): behind a lamp post or another walker the filter's prediction
 *   drifts and IoU alone hands out a new id;
 * - lost tracks are reported for a short while (`coastSeconds`), so a person missed for a
 *   few frames still stands in the zone they are in; not when they walked out of the frame;
 * - ids are handed out when a track is confirmed, so the ids the counters see are 1, 2, 3 …
 *   without holes left by tentative tracks that died;
 * - no special case for the first frame: a track is confirmed on its second hit there too.
 *
 * Defaults were chosen on PETS09-S2L1 at 10 fps by replaying the detector's cached output
 * (bench/tune/); each is also a physically sensible value, see the options.
 */
import type { BoxXYXY, Detection, MovementClass, TrackedObject } from '../types.ts';
import { linearAssignment } from './assignment.ts';
import { ClassVote, bicycleUnder, cyclistRule, type CyclistOptions, type CyclistRule } from './cyclist.ts';
import { iouCost } from './iou.ts';
import { BoxKalman, type KalmanOptions } from './kalman.ts';
import { ObservationTrail, recoveryCost, walkedOut, recoveryRule, type RecoveryOptions, type RecoveryRule } from './recovery.ts';

export interface ByteTrackerOptions {
  /** Detections at or above this score are "high" (first association, may start tracks). Default 0.5. */
  highThresh?: number;
  /**
   * Detections below this score are ignored; between this and highThresh they are "low".
   * Default 0.25: below it the default detector's boxes are mostly clutter (precision < 35%
   * on PETS09), and the clutter pulled tracks off their people.
   */
  lowThresh?: number;
  /**
   * An unmatched high detection starts a tentative track from this score. Default
   * highThresh + 0.2: a new person must be seen clearly; a known one may be seen vaguely.
   */
  newTrackThresh?: number;
  /** Cost limit (1 − IoU, or 1 − IoU·score when fused) of the first association. Default 0.8. */
  matchThresh?: number;
  /** Cost limit (1 − IoU) of the second association with low-score boxes. Default 0.5. */
  lowMatchThresh?: number;
  /** Cost limit for tentative tracks against the high boxes left over. Default 0.7. */
  tentativeMatchThresh?: number;
  /** Multiply IoU by the detection score in the high-score associations. Default true. */
  fuseScore?: boolean;
  /**
   * Seconds a lost track is kept to be found again. Default 2: long enough for a walker to
   * pass behind a post or another person, short enough that someone else arriving at the
   * same spot later is not taken for them.
   */
  trackBufferSeconds?: number;
  /**
   * Seconds a lost track of a person who stood still is kept. Default 6: a person on a bench
   * is hidden by passers-by for seconds at a time, and a still person is where they were. The
   * recovery gate of such a track stops growing after `trackBufferSeconds`, so the longer wait
   * does not widen the area in which someone else could be taken for them.
   */
  stationaryBufferSeconds?: number;
  /** Walking speed (box heights per second, over the last second seen) below which a person stands still. Default 0.15. */
  stationarySpeed?: number;
  /** Consecutive matched frames before a track is confirmed and gets an id. Default 2. */
  minHits?: number;
  /**
   * Box reported for a matched track: the raw detection or the Kalman-corrected box.
   * Default 'detection': the filter is tuned to hold identities through occlusions (it
   * trusts its motion model), which lags the box when people turn.
   */
  outputBox?: 'kalman' | 'detection';
  /**
   * Seconds per Kalman step (velocities and process noise are per step). Default 0.1. The
   * noise weights are the SORT/DeepSORT ones, published for 30 fps; taken per 1/30 s at
   * 10 fps they let the filter jump after every box, so one merged box of two people
   * crossing bent the track onto the other person.
   */
  kalmanStepSeconds?: number;
  /**
   * Filter noise. Default: SORT's velocity and measurement weights (1/160, 1/20) with half
   * its position process noise (1/40): walkers move smoothly over 0.1 s; boxes jitter more.
   */
  kalman?: KalmanOptions;
  /**
   * Third association: lost tracks against the high boxes left over, by distance from where
   * they were last seen (see recovery.ts); false turns it off. Default on, with recovery's defaults
   * except maxHeightRatio 1.4 and radius 0.75.
   */
  recovery?: RecoveryOptions | false;
  /**
   * Seconds a lost track is still reported at its predicted box, so a person missed for a
   * few frames still counts where they stand; 0 reports only tracks matched in the frame.
   * Default 0.5.
   */
  coastSeconds?: number;
  /**
   * Size of the source frame in pixels. With it, a lost track whose last sighting, carried
   * on at its walking velocity, touches the frame's edge has walked out of view: it is
   * neither coasted nor recovered by distance (whoever walks in there next is someone else);
   * an overlapping box can still continue it. Without it, edges are not special.
   */
  frame?: { width: number; height: number };
  /** How close (pixels) to the frame's edge a box counts as touching it. Default 1% of the frame width. */
  edgeMarginPx?: number;
  cyclist?: CyclistOptions;
  /** Detection labels. Defaults: 'person', 'bicycle' (COCO names). */
  personLabel?: string;
  bicycleLabel?: string;
}

/** The tuned filter noise (see ByteTrackerOptions.kalman). */
export const DEFAULT_TRACK_KALMAN: Readonly<KalmanOptions> = { positionWeight: 1 / 40, velocityWeight: 1 / 160, measurementWeight: 1 / 20 };
/** Recovery settings that differ from recovery.ts's own defaults. */
export const DEFAULT_TRACK_RECOVERY: Readonly<RecoveryOptions> = { radius: 0.75, maxHeightRatio: 1.4 };

type TrackState = 'tentative' | 'tracked' | 'lost';

interface Track {
  /** 0 while tentative. */
  id: number;
  state: TrackState;
  kf: BoxKalman;
  /** Predicted (then corrected) box, refreshed every frame. */
  box: BoxXYXY;
  hits: number;
  lastSeen: number;
  vote: ClassVote;
  /** Set when matched in the current frame. */
  det: Detection | null;
  /** Score of the last detection matched. */
  lastScore: number;
  trail: ObservationTrail;
}

export class ByteTracker {
  private readonly o: Required<Omit<ByteTrackerOptions, 'kalman' | 'cyclist' | 'recovery' | 'frame'>>;
  private readonly frame: { width: number; height: number } | null;
  private readonly kalmanOptions: KalmanOptions;
  private readonly rule: CyclistRule;
  private readonly recovery: RecoveryRule | null;
  /** How a lost track's last sighting is carried on (recovery's rule, also when recovery is off). */
  private readonly motion: RecoveryRule;
  private tracks: Track[] = [];
  private nextId = 1;
  private lastTime: number | null = null;

  constructor(options: ByteTrackerOptions = {}) {
    const highThresh = options.highThresh ?? 0.5;
    this.o = {
      highThresh,
      lowThresh: options.lowThresh ?? 0.25,
      newTrackThresh: options.newTrackThresh ?? highThresh + 0.2,
      matchThresh: options.matchThresh ?? 0.8,
      lowMatchThresh: options.lowMatchThresh ?? 0.5,
      tentativeMatchThresh: options.tentativeMatchThresh ?? 0.7,
      fuseScore: options.fuseScore ?? true,
      trackBufferSeconds: options.trackBufferSeconds ?? 2,
      stationaryBufferSeconds: options.stationaryBufferSeconds ?? 6,
      stationarySpeed: options.stationarySpeed ?? 0.15,
      minHits: options.minHits ?? 2,
      outputBox: options.outputBox ?? 'detection',
      kalmanStepSeconds: options.kalmanStepSeconds ?? 0.1,
      coastSeconds: options.coastSeconds ?? 0.5,
      edgeMarginPx: options.edgeMarginPx ?? (options.frame ? 0.01 * options.frame.width : 0),
      personLabel: options.personLabel ?? 'person',
      bicycleLabel: options.bicycleLabel ?? 'bicycle',
    };
    if (!(this.o.lowThresh <= this.o.highThresh)) {
      throw new Error(`tracker.lowThresh (${this.o.lowThresh}) must not exceed tracker.highThresh (${this.o.highThresh})`);
    }
    if (!(this.o.kalmanStepSeconds > 0)) throw new Error(`tracker.kalmanStepSeconds must be > 0, got ${this.o.kalmanStepSeconds}`);
    if (!(this.o.minHits >= 1)) throw new Error(`tracker.minHits must be at least 1, got ${this.o.minHits}`);
    this.kalmanOptions = { ...DEFAULT_TRACK_KALMAN, ...options.kalman };
    if (!(this.o.coastSeconds >= 0)) throw new Error(`tracker.coastSeconds must be >= 0, got ${this.o.coastSeconds}`);
    this.frame = options.frame ?? null;
    if (this.frame && !(this.frame.width > 0 && this.frame.height > 0)) throw new Error(`tracker.frame must have a positive width and height, got ${this.frame.width}x${this.frame.height}`);
    this.rule = cyclistRule(options.cyclist);
    this.recovery = options.recovery === false ? null : recoveryRule({ ...DEFAULT_TRACK_RECOVERY, ...options.recovery });
    this.motion = this.recovery ?? recoveryRule(DEFAULT_TRACK_RECOVERY);
  }

  /** Whether confirmed track `id` is still held (seen or lost), so it may be reported again. */
  holds(id: number): boolean {
    return this.tracks.some((t) => t.id === id);
  }

  /** Number of tracks held (tentative, tracked and lost); for tests and diagnostics. */
  get size(): number {
    return this.tracks.length;
  }

  /**
   * Feed one frame's detections at stream time `time` (seconds). Returns the confirmed tracks
   * matched in this frame, and those lost for at most `coastSeconds` (at their predicted box,
   * with their last score), in id order.
   */
  update(detections: readonly Detection[], time: number): TrackedObject[] {
    const o = this.o;
    if (!Number.isFinite(time)) throw new Error(`tracker: time must be a finite number of seconds, got ${time}`);
    // Time going backwards means a new stream: nothing from the old one can be matched.
    // Ids keep counting up, so the counters downstream never see an id twice.
    if (this.lastTime !== null && time < this.lastTime) this.tracks = [];
    const dt = this.lastTime === null || time < this.lastTime ? 0 : time - this.lastTime;
    this.lastTime = time;
    const steps = dt / o.kalmanStepSeconds;

    const high: Detection[] = [];
    const low: Detection[] = [];
    const bicycles = this.frameBicycles;
    bicycles.length = 0;
    for (const d of detections) {
      if (d.label === o.personLabel) {
        if (d.score >= o.highThresh) high.push(d);
        else if (d.score >= o.lowThresh) low.push(d);
      } else if (d.label === o.bicycleLabel) bicycles.push(d.box);
    }

    for (const t of this.tracks) {
      if (t.state === 'lost') t.kf.holdHeight();
      t.kf.predict(steps);
      t.kf.box(t.box);
      t.det = null;
    }

    // 1. High boxes against every confirmed track, seen or lost.
    const pool = this.tracks.filter((t) => t.state !== 'tentative');
    const first = this.associate(pool, high, o.matchThresh, o.fuseScore, time);

    // 2. Low boxes against the tracks seen last frame that are still unmatched.
    const stillTracked = first.tracks.filter((t) => t.state === 'tracked');
    const second = this.associate(stillTracked, low, o.lowMatchThresh, false, time);
    for (const t of second.tracks) t.state = 'lost';

    // 3. Lost tracks against the high boxes left, by distance from where they were last
    // seen. Low boxes are not offered: static clutter (a sign, a bin) would catch them.
    let highLeft = first.dets;
    if (this.recovery) {
      const lost = this.tracks.filter((t) => t.state === 'lost' && !this.walkedOut(t, time));
      const taken = this.recover(lost, highLeft, time);
      if (taken.size) highLeft = highLeft.filter((d) => !taken.has(d));
    }

    // 4. Tentative tracks against the high boxes nobody took; a miss ends them.
    const tentative = this.tracks.filter((t) => t.state === 'tentative');
    const fourth = this.associate(tentative, highLeft, o.tentativeMatchThresh, o.fuseScore, time);
    const dead = new Set<Track>(fourth.tracks);

    // 5. Confident leftovers start tentative tracks.
    for (const d of fourth.dets) {
      if (d.score < o.newTrackThresh) continue;
      const kf = new BoxKalman(d.box, this.kalmanOptions);
      const t: Track = { id: 0, state: 'tentative', kf, box: kf.box(), hits: 0, lastSeen: time, vote: new ClassVote(this.rule), det: null, lastScore: d.score, trail: new ObservationTrail() };
      this.tracks.push(t);
      this.matched(t, d, time);
    }

    // Promote, and forget what is dead or lost for too long.
    const kept: Track[] = [];
    for (const t of this.tracks) {
      if (dead.has(t)) continue;
      if (t.state === 'lost' && time - t.lastSeen > this.bufferOf(t)) continue;
      if (t.state === 'tentative' && t.hits >= o.minHits) {
        t.state = 'tracked';
        t.id = this.nextId++;
      }
      kept.push(t);
    }
    this.tracks = kept;

    const out: TrackedObject[] = [];
    for (const t of kept) {
      if (t.id === 0) continue;
      const coasting = t.state === 'lost' && time - t.lastSeen <= o.coastSeconds && !this.walkedOut(t, time);
      if (!coasting && (t.state !== 'tracked' || t.det === null)) continue;
      const cls: MovementClass = t.vote.cls;
      const box: BoxXYXY = o.outputBox === 'kalman' || t.det === null ? [t.box[0], t.box[1], t.box[2], t.box[3]] : [...t.det.box];
      out.push({ id: t.id, box, score: t.det?.score ?? t.lastScore, foot: [(box[0] + box[2]) / 2, box[3]], cls });
    }
    out.sort((a, b) => a.id - b.id);
    return out;
  }

  /** Match `tracks` to `dets`, update the matched ones, return what is left of both. */
  private associate(
    tracks: Track[],
    dets: Detection[],
    costLimit: number,
    fuse: boolean,
    time: number,
  ): { tracks: Track[]; dets: Detection[] } {
    if (tracks.length === 0 || dets.length === 0) return { tracks, dets };
    const cost = iouCost(
      tracks.map((t) => t.box),
      dets.map((d) => d.box),
      fuse ? dets.map((d) => d.score) : undefined,
    );
    const a = linearAssignment(cost, costLimit, { objective: 'threshold' });
    for (const [i, j] of a.matches) this.take(tracks[i], dets[j], time);
    return { tracks: a.unmatchedRows.map((i) => tracks[i]), dets: a.unmatchedCols.map((j) => dets[j]) };
  }

  /** How long lost track `t` is kept: longer for a person who stood still when last seen. */
  private bufferOf(t: Track): number {
    const [vx, vy] = t.trail.velocity(this.motion.velocityWindowSeconds);
    const h = t.trail.last[3] - t.trail.last[1];
    const still = h > 0 && Math.hypot(vx, vy) < this.o.stationarySpeed * h;
    return still ? Math.max(this.o.trackBufferSeconds, this.o.stationaryBufferSeconds) : this.o.trackBufferSeconds;
  }

  /** Whether lost track `t` has walked out of view by `time` (only known with `frame`). */
  private walkedOut(t: Track, time: number): boolean {
    return this.frame !== null && walkedOut(t.trail, time, this.motion, this.frame, this.o.edgeMarginPx);
  }

  /** Lost tracks against leftover boxes by observation-centric distance; returns the boxes taken. */
  private recover(lost: Track[], dets: Detection[], time: number): Set<Detection> {
    const taken = new Set<Detection>();
    if (lost.length === 0 || dets.length === 0 || !this.recovery) return taken;
    const rule = this.recovery;
    // A still person's gate grows only over the walker's buffer (see stationaryBufferSeconds).
    const gateTime = (t: Track) => Math.min(time, t.lastSeen + this.o.trackBufferSeconds);
    const cost = lost.map((t) => dets.map((d) => recoveryCost(t.trail, d.box, gateTime(t), rule)));
    const a = linearAssignment(cost, 1, { objective: 'threshold' });
    for (const [i, j] of a.matches) {
      this.take(lost[i], dets[j], time);
      taken.add(dets[j]);
    }
    return taken;
  }

  /** Update track `t` with its matched box `d`. */
  private take(t: Track, d: Detection, time: number): void {
    t.kf.update(d.box);
    t.kf.box(t.box);
    if (t.state === 'lost') t.state = 'tracked';
    this.matched(t, d, time);
  }

  /** Bicycle boxes of the frame being processed (reused array). */
  private readonly frameBicycles: BoxXYXY[] = [];

  private matched(t: Track, d: Detection, time: number): void {
    t.det = d;
    t.hits++;
    t.lastSeen = time;
    t.lastScore = d.score;
    t.trail.push(d.box, time);
    // Riding is judged on the raw person box: that is what overlaps the raw bicycle box.
    t.vote.observe(d.box, bicycleUnder(d.box, this.frameBicycles, this.rule));
  }
}
