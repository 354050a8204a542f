/**
 * Visits that survive a short loss. The tracker gives up on a lost person after its buffer
 * (a couple of seconds for a walker); a person on a bench hidden by passers-by, or one the
 * detector misses for a few seconds, then comes back under a new tracker id, and every
 * counter downstream would see a new person: a second zone entry, a broken dwell, a lost flow.
 *
 * This stage sits between the tracker and the counters and hands the counters a person id
 * instead of the tracker's id: a NEW tracker id that appears close to where a person who is
 * gone was last seen (in place and time, in box heights, with the person's walking velocity
 * carried on and fading, as the tracker's recovery does) within `windowSeconds` continues that
 * person. Position only: no appearance, nothing kept past the window.
 *
 * Rules (each has a test in continuation.test.ts):
 * - a person is "gone" once their tracker id is neither reported nor held by the tracker
 *   (a lost track the tracker may still find is its own to recover);
 * - only a tracker id the stage has not seen (or whose person moved on, below) may continue
 *   someone, and each gone person is continued once (a minimum-cost assignment when
 *   several candidates compete);
 * - a person whose last box touched the frame's edge walked out: nobody continues them;
 * - a tracker id that reappears after its person was continued by another id is taken as a
 *   new person (the tracker believed it was the old one; the counters must not see two);
 * - time going backwards (a new stream) forgets everything.
 */
import type { TrackedObject } from '../types.ts';
import { linearAssignment } from './assignment.ts';
import { ObservationTrail, recoveryCost, recoveryRule, walkedOut, type RecoveryOptions, type RecoveryRule } from './recovery.ts';

export interface ContinuationOptions {
  /** Most seconds a person may be gone and still be continued by a new track. Default 5; 0 turns continuation off. */
  windowSeconds?: number;
  /** The place-and-time gate, as the tracker's recovery (box heights). Default radius 0.6, growing 0.3 per second gone. */
  gate?: RecoveryOptions;
  /** Source frame size: people last seen at its edge walked out. Without it, edges are not special. */
  frame?: { width: number; height: number };
  /** How close (px) to the edge counts as touching it. Default 1 % of the frame width. */
  edgeMarginPx?: number;
}

export const DEFAULT_CONTINUATION_GATE: Readonly<RecoveryOptions> = { radius: 0.6, radiusPerSecond: 0.3, maxHeightRatio: 1.4 };

/** How long a person's current tracker id is remembered unseen: longer than any tracker buffer. */
const KEEP_TRACKER_IDS_SECONDS = 60;

interface Person {
  id: number;
  trackerId: number;
  trail: ObservationTrail;
  lastSeen: number;
}

export class TrackContinuation {
  private readonly window: number;
  private readonly rule: RecoveryRule;
  private readonly frame: { width: number; height: number } | null;
  private readonly margin: number;
  /**
   * Tracker id → the person it stands for. A person continued by a new id keeps its old id's
   * entry too, until the window passes; that entry is stale (person.trackerId differs), so
   * the old id, if it comes back, is a new person.
   */
  private readonly byTracker = new Map<number, Person>();
  private readonly gone = new Set<Person>();
  private nextId = 1;
  private lastTime = -Infinity;

  constructor(options: ContinuationOptions = {}) {
    this.window = options.windowSeconds ?? 5;
    if (!(this.window >= 0)) throw new Error(`continuation.windowSeconds must be >= 0, got ${this.window}`);
    this.rule = recoveryRule({ ...DEFAULT_CONTINUATION_GATE, ...options.gate });
    this.frame = options.frame ?? null;
    this.margin = options.edgeMarginPx ?? (this.frame ? 0.01 * this.frame.width : 0);
  }

  /**
   * The tracker's tracks of one frame in; the same tracks with person ids out (a new array).
   * `held` says whether the tracker still holds a (lost) track id and may report it again.
   */
  update(tracks: readonly TrackedObject[], time: number, held: (trackerId: number) => boolean = () => false): TrackedObject[] {
    if (time < this.lastTime) {
      this.byTracker.clear();
      this.gone.clear();
    }
    this.lastTime = time;
    // Forget whoever has been unseen longer than the window: nobody can continue them now.
    // A person's current tracker id is kept longer, as the tracker may still report it
    // again (a still person's lost track lives longer than the window).
    for (const [trackerId, p] of this.byTracker) {
      const keep = p.trackerId === trackerId ? Math.max(this.window, KEEP_TRACKER_IDS_SECONDS) : this.window;
      if (time - p.lastSeen > keep) this.byTracker.delete(trackerId);
    }
    for (const p of this.gone) if (time - p.lastSeen > this.window) this.gone.delete(p);

    const fresh: TrackedObject[] = [];
    const present = new Set<Person>();
    for (const t of tracks) {
      const p = this.byTracker.get(t.id);
      if (p && p.trackerId === t.id) present.add(p);
      else fresh.push(t);
    }
    for (const p of this.byTracker.values()) if (!present.has(p)) this.gone.add(p);

    this.assign(fresh, time, held);
    const out: TrackedObject[] = [];
    for (const t of tracks) {
      const p = this.byTracker.get(t.id)!;
      p.lastSeen = time;
      p.trail.push(t.box, time);
      out.push({ ...t, id: p.id });
    }
    return out;
  }

  /** Give each fresh tracker id a gone person to continue, or a new person id. */
  private assign(fresh: TrackedObject[], time: number, held: (trackerId: number) => boolean): void {
    // A person the tracker still holds (lost, may be found again under the same id) is the
    // tracker's to recover; only once it has given up does continuation take over.
    // Worked out only when a new tracker id needs a person (not on every frame).
    const candidates = fresh.length && this.window > 0 ? [...this.gone].filter((p) => time - p.lastSeen <= this.window && !held(p.trackerId) && !this.walkedOut(p, time)) : [];
    const taken = new Map<TrackedObject, Person>();
    if (candidates.length) {
      const cost = fresh.map((t) => candidates.map((p) => recoveryCost(p.trail, t.box, time, this.rule)));
      const a = linearAssignment(cost, 1, { objective: 'threshold' });
      for (const [i, j] of a.matches) taken.set(fresh[i], candidates[j]);
    }
    for (const t of fresh) {
      let p = taken.get(t);
      if (p) this.gone.delete(p);
      else p = { id: this.nextId++, trackerId: t.id, trail: new ObservationTrail(), lastSeen: time };
      p.trackerId = t.id;
      this.byTracker.set(t.id, p);
    }
  }

  private walkedOut(p: Person, time: number): boolean {
    return this.frame !== null && walkedOut(p.trail, time, this.rule, this.frame, this.margin);
  }
}
