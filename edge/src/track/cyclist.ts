/**
 * Telling cyclists from pedestrians. The detector sees a "person" and a "bicycle"; a rider is
 * a person whose box overlaps a bicycle that sits in the lower part of the person's box, and
 * the bicycle moves with them. Overlap alone is not enough: a pedestrian walking past a
 * parked bicycle overlaps it for a second or two, but the bicycle stays put, so its offset
 * from the person drifts; a ridden bicycle keeps its offset. One frame can still be wrong (a
 * bicycle hidden behind its rider), so each track votes over its recent frames, with
 * hysteresis so the class does not flicker.
 */
import type { BoxXYXY, MovementClass } from '../types.ts';
import { boxArea, intersectionArea } from './iou.ts';

export interface CyclistOptions {
  /** IoU of person and bicycle boxes above which the person rides it (default 0.15). */
  minIoU?: number;
  /** Or: share of the bicycle's box inside the person's box (default 0.3). */
  minBicycleOverlap?: number;
  /**
   * How far (fraction of the person's height) the person must have moved since the overlap
   * began before the frame votes at all; standing still next to a bicycle says nothing
   * (default 0.1).
   */
  minMotion?: number;
  /**
   * The bicycle counts as ridden while its offset from the person has drifted by at most
   * this share of the person's own movement since the overlap began (default 0.5).
   */
  maxDriftShare?: number;
  /** How many of the track's latest matched frames vote (default 10). */
  windowFrames?: number;
  /** Riding share of the window at which a pedestrian becomes a cyclist (default 0.6). */
  enterShare?: number;
  /** Riding share at or below which a cyclist becomes a pedestrian again (default 0.3). */
  leaveShare?: number;
}

export interface CyclistRule {
  minIoU: number;
  minBicycleOverlap: number;
  minMotion: number;
  maxDriftShare: number;
  windowFrames: number;
  enterShare: number;
  leaveShare: number;
}

export function cyclistRule(o: CyclistOptions = {}): CyclistRule {
  const rule = {
    minIoU: o.minIoU ?? 0.15,
    minBicycleOverlap: o.minBicycleOverlap ?? 0.3,
    minMotion: o.minMotion ?? 0.1,
    maxDriftShare: o.maxDriftShare ?? 0.5,
    windowFrames: o.windowFrames ?? 10,
    enterShare: o.enterShare ?? 0.6,
    leaveShare: o.leaveShare ?? 0.3,
  };
  if (!(rule.windowFrames >= 1 && Number.isInteger(rule.windowFrames))) {
    throw new Error(`cyclist.windowFrames must be a positive integer, got ${rule.windowFrames}`);
  }
  if (!(rule.leaveShare < rule.enterShare)) {
    throw new Error(`cyclist.leaveShare (${rule.leaveShare}) must be below cyclist.enterShare (${rule.enterShare})`);
  }
  return rule;
}

/**
 * The bicycle this person box could be riding in this frame (the one most inside it, below
 * its centre), or null.
 */
export function bicycleUnder(person: BoxXYXY, bicycles: readonly BoxXYXY[], rule: CyclistRule): BoxXYXY | null {
  const personCy = (person[1] + person[3]) / 2;
  const personArea = boxArea(person);
  let best: BoxXYXY | null = null;
  let bestShare = -1;
  for (const bike of bicycles) {
    // The bicycle is under the rider: its centre lies below the person's centre.
    if ((bike[1] + bike[3]) / 2 <= personCy) continue;
    const inter = intersectionArea(person, bike);
    if (inter === 0) continue;
    const bikeArea = boxArea(bike);
    const share = bikeArea > 0 ? inter / bikeArea : 0;
    if (share >= rule.minBicycleOverlap || inter / (personArea + bikeArea - inter) >= rule.minIoU) {
      if (share > bestShare) {
        best = bike;
        bestShare = share;
      }
    }
  }
  return best;
}

/** A track's class, decided by a majority vote over a ring of its recent frames. */
export class ClassVote {
  private readonly ring: Uint8Array;
  private next = 0;
  private filled = 0;
  private riding = 0;
  private current: MovementClass = 'person';
  /** Person centre and bicycle offset when the current overlap run began; NaN when none. */
  private anchorX = NaN;
  private anchorY = NaN;
  private anchorDx = NaN;
  private anchorDy = NaN;

  constructor(private readonly rule: CyclistRule) {
    this.ring = new Uint8Array(rule.windowFrames);
  }

  get cls(): MovementClass {
    return this.current;
  }

  /**
   * Record one matched frame: the person's box and the bicycle under it (or null). Returns
   * the (possibly changed) class.
   */
  observe(person: BoxXYXY, bike: BoxXYXY | null): MovementClass {
    if (bike === null) {
      this.anchorX = NaN;
      return this.push(false);
    }
    const px = (person[0] + person[2]) / 2;
    const py = (person[1] + person[3]) / 2;
    const dx = (bike[0] + bike[2]) / 2 - px;
    const dy = (bike[1] + bike[3]) / 2 - py;
    if (Number.isNaN(this.anchorX)) {
      this.anchorX = px;
      this.anchorY = py;
      this.anchorDx = dx;
      this.anchorDy = dy;
    }
    const moved = Math.hypot(px - this.anchorX, py - this.anchorY);
    if (moved < this.rule.minMotion * (person[3] - person[1])) return this.current; // abstain
    // A ridden bicycle moved with the person; a parked one stayed behind by as much as the person moved.
    const drift = Math.hypot(dx - this.anchorDx, dy - this.anchorDy);
    return this.push(drift <= this.rule.maxDriftShare * moved);
  }

  /** Record one frame's riding verdict and return the (possibly changed) class. */
  push(riding: boolean): MovementClass {
    if (this.filled === this.ring.length) this.riding -= this.ring[this.next];
    else this.filled++;
    this.ring[this.next] = riding ? 1 : 0;
    this.riding += this.ring[this.next];
    this.next = (this.next + 1) % this.ring.length;
    const share = this.riding / this.filled;
    if (this.current === 'person' && share >= this.rule.enterShare) this.current = 'cyclist';
    else if (this.current === 'cyclist' && share <= this.rule.leaveShare) this.current = 'person';
    return this.current;
  }
}
