/**
 * Finding a lost person again by where they were last SEEN, not by where the Kalman filter
 * thinks they went (observation-centric recovery, as in OC-SORT / BoT-SORT).
 *
 * Why: behind a lamp post or another walker a person can be missed for a second or more. By
 * then the filter's constant-velocity prediction has drifted, and a box re-detected next to
 * the person's last sighting no longer overlaps it, so plain IoU matching starts a new id.
 * Here a lost track keeps its last few observed boxes; a detection nobody else took is
 * accepted as the same person when its centre lies within a gate around the last observed
 * centre moved on by the observed walking velocity (fading, since people stop and turn), the
 * gate growing with the time unseen, and its height is about the same (one person, one scale).
 * Distances are in box heights, so the rule is the same near and far from the camera.
 */
import type { BoxXYXY } from '../types.ts';

export interface RecoveryOptions {
  /** Gate radius around the extrapolated centre right after the loss, in box heights. Default 0.5. */
  radius?: number;
  /** Growth of the gate radius per second unseen, in box heights (walking ≈ 1 height/s). Default 0.5. */
  radiusPerSecond?: number;
  /** Largest ratio between the heights of the last observed box and the candidate. Default 1.3. */
  maxHeightRatio?: number;
  /**
   * Time constant (s) with which the observed velocity fades while unseen: the extrapolation
   * runs at most v · this far. Default 1.
   */
  velocityFadeSeconds?: number;
  /** Seconds of observations the walking velocity is measured over. Default 1. */
  velocityWindowSeconds?: number;
}

export type RecoveryRule = Required<RecoveryOptions>;

export function recoveryRule(o: RecoveryOptions = {}): RecoveryRule {
  const rule = {
    radius: o.radius ?? 0.5,
    radiusPerSecond: o.radiusPerSecond ?? 0.5,
    maxHeightRatio: o.maxHeightRatio ?? 1.3,
    velocityFadeSeconds: o.velocityFadeSeconds ?? 1,
    velocityWindowSeconds: o.velocityWindowSeconds ?? 1,
  };
  if (!(rule.radius >= 0 && rule.radiusPerSecond >= 0)) throw new Error(`tracker.recovery.radius and radiusPerSecond must be >= 0, got ${rule.radius}, ${rule.radiusPerSecond}`);
  if (!(rule.maxHeightRatio >= 1)) throw new Error(`tracker.recovery.maxHeightRatio must be >= 1, got ${rule.maxHeightRatio}`);
  if (!(rule.velocityFadeSeconds > 0)) throw new Error(`tracker.recovery.velocityFadeSeconds must be > 0, got ${rule.velocityFadeSeconds}`);
  if (!(rule.velocityWindowSeconds > 0)) throw new Error(`tracker.recovery.velocityWindowSeconds must be > 0, got ${rule.velocityWindowSeconds}`);
  return rule;
}

const TRAIL = 16;

/** A track's latest observed boxes (detections it was matched to), newest last, in a ring. */
export class ObservationTrail {
  private readonly cx = new Float64Array(TRAIL);
  private readonly cy = new Float64Array(TRAIL);
  private readonly t = new Float64Array(TRAIL);
  private next = 0;
  private count = 0;
  /** The last observed box (a copy). */
  readonly last: BoxXYXY = [0, 0, 0, 0];
  lastTime = NaN;

  push(box: BoxXYXY, time: number): void {
    this.cx[this.next] = (box[0] + box[2]) / 2;
    this.cy[this.next] = (box[1] + box[3]) / 2;
    this.t[this.next] = time;
    this.next = (this.next + 1) % TRAIL;
    if (this.count < TRAIL) this.count++;
    this.last[0] = box[0];
    this.last[1] = box[1];
    this.last[2] = box[2];
    this.last[3] = box[3];
    this.lastTime = time;
  }

  /** Centre velocity in px/s from the newest observation and the oldest within `window` s of it; 0 with one observation. */
  velocity(window: number): [number, number] {
    if (this.count < 2) return [0, 0];
    const newest = (this.next + TRAIL - 1) % TRAIL;
    let oldest = newest;
    for (let k = 1; k < this.count; k++) {
      const i = (newest + TRAIL - k) % TRAIL;
      if (this.t[newest] - this.t[i] > window) break;
      oldest = i;
    }
    const dt = this.t[newest] - this.t[oldest];
    if (!(dt > 0)) return [0, 0];
    return [(this.cx[newest] - this.cx[oldest]) / dt, (this.cy[newest] - this.cy[oldest]) / dt];
  }
}

/** Where the trail's last observed centre has moved by `time`: the observed velocity, fading. */
export function extrapolatedCentre(trail: ObservationTrail, time: number, rule: RecoveryRule): [number, number] {
  const gap = Math.max(0, time - trail.lastTime);
  const [vx, vy] = trail.velocity(rule.velocityWindowSeconds);
  const tau = rule.velocityFadeSeconds;
  const travel = tau * (1 - Math.exp(-gap / tau));
  const b = trail.last;
  return [(b[0] + b[2]) / 2 + vx * travel, (b[1] + b[3]) / 2 + vy * travel];
}

/**
 * Cost of taking `box` at `time` as the person of `trail`: distance from the extrapolated
 * centre over the gate radius (≤ 1 inside the gate), Infinity when the heights disagree.
 */
export function recoveryCost(trail: ObservationTrail, box: BoxXYXY, time: number, rule: RecoveryRule): number {
  const h = trail.last[3] - trail.last[1];
  const hd = box[3] - box[1];
  if (!(h > 0 && hd > 0) || Math.max(h / hd, hd / h) > rule.maxHeightRatio) return Infinity;
  const [px, py] = extrapolatedCentre(trail, time, rule);
  const gap = Math.max(0, time - trail.lastTime);
  const gate = h * (rule.radius + rule.radiusPerSecond * gap);
  const d = Math.hypot((box[0] + box[2]) / 2 - px, (box[1] + box[3]) / 2 - py);
  return gate > 0 ? d / gate : d === 0 ? 0 : Infinity;
}

/**
 * Whether the person of a lost trail has walked out of a `frame`-sized view by `time`: their
 * last observed box, carried on like extrapolatedCentre, touches an edge (within `margin` px).
 */
export function walkedOut(trail: ObservationTrail, time: number, rule: RecoveryRule, frame: { width: number; height: number }, margin: number): boolean {
  const b = trail.last;
  const [cx, cy] = extrapolatedCentre(trail, time, rule);
  const dx = cx - (b[0] + b[2]) / 2;
  const dy = cy - (b[1] + b[3]) / 2;
  return b[0] + dx <= margin || b[1] + dy <= margin || b[2] + dx >= frame.width - margin || b[3] + dy >= frame.height - margin;
}
