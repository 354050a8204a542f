/**
 * A cap on dead letters per sender (a camera, or a topic's site/camera where the broker does not
 * say who sent it): within each window, the first `keepPerWindow` are kept, the rest only
 * counted. A window in which some were counted and not kept is a flood; once it is over it
 * becomes a FloodReport (how many, from whom, the last reason), which ingest writes as one dead
 * letter and one log line. While a sender floods window after window, even the letters it keeps
 * are not logged one by one: its report says it all. Pure: the caller gives the time.
 */
export interface FloodLimits {
  keepPerWindow: number;
  windowMs: number;
  /** Senders remembered at most (the stalest is forgotten first, its flood reported). */
  maxSenders: number;
}

export const DEAD_LETTER_FLOOD_LIMITS: FloodLimits = { keepPerWindow: 20, windowMs: 60_000, maxSenders: 10_000 };

export interface FloodReport {
  sender: string;
  /** The last topic it flooded, for the report's dead letter. */
  topic: string;
  fromMs: number;
  toMs: number;
  kept: number;
  dropped: number;
  lastReason: string;
}

/** keep: store it; quiet: do not log it on its own (the sender's flood report covers it). */
export interface Verdict {
  keep: boolean;
  quiet: boolean;
}

interface Window {
  startMs: number;
  kept: number;
  dropped: number;
  topic: string;
  lastReason: string;
  /** The window before this one was a flood. */
  flooding: boolean;
}

export class FloodSampler {
  private readonly windows = new Map<string, Window>();
  private readonly over: FloodReport[] = [];

  constructor(readonly limits: FloodLimits = DEAD_LETTER_FLOOD_LIMITS) {}

  offer(sender: string, topic: string, reason: string, now: Date): Verdict {
    const at = now.getTime();
    let w = this.windows.get(sender);
    if (w && at >= w.startMs + this.limits.windowMs) w = this.next(sender, w, at);
    w ??= { startMs: at, kept: 0, dropped: 0, topic, lastReason: reason, flooding: false };
    // Re-inserting keeps the Map in order of last use: the stalest sender is first.
    this.windows.delete(sender);
    this.windows.set(sender, w);
    if (this.windows.size > this.limits.maxSenders) {
      const [stalest, sw] = this.windows.entries().next().value!;
      this.next(stalest, sw, at);
      this.windows.delete(stalest);
    }
    w.topic = topic;
    w.lastReason = reason;
    if (w.kept < this.limits.keepPerWindow) {
      w.kept++;
      return { keep: true, quiet: w.flooding };
    }
    w.dropped++;
    return { keep: false, quiet: true };
  }

  /** Reports of floods whose window is over by `now` (of every open window, with `all`), each once. */
  reports(now: Date, options: { all?: boolean } = {}): FloodReport[] {
    const at = now.getTime();
    for (const [sender, w] of [...this.windows]) {
      if (!options.all && at < w.startMs + this.limits.windowMs) continue;
      const next = this.next(sender, w, at);
      // A quiet sender is forgotten; a flooding one keeps an empty window, so that it is still known as flooding.
      if (next.flooding) this.windows.set(sender, next);
      else this.windows.delete(sender);
    }
    return this.over.splice(0);
  }

  /** Ends a window (its flood, if it was one, goes to the reports) and returns the one after it. */
  private next(sender: string, w: Window, at: number): Window {
    const flood = w.dropped > 0;
    if (flood) this.over.push({ sender, topic: w.topic, fromMs: w.startMs, toMs: Math.min(at, w.startMs + this.limits.windowMs), kept: w.kept, dropped: w.dropped, lastReason: w.lastReason });
    return { startMs: at, kept: 0, dropped: 0, topic: w.topic, lastReason: w.lastReason, flooding: flood };
  }
}
