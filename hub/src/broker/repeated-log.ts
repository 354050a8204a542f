/**
 * A log line that a bad day repeats thousands of times (the disk is full: every batch of every
 * camera fails the same way, is resent and fails again) is written once, then at most once per
 * window with how many times it repeated. The line is keyed without its topic, so 50 cameras
 * failing alike are one line too; the first topic of each window is kept as an example.
 */
export interface RepeatedLogOptions {
  log: (line: string) => void;
  windowMs?: number;
  now?: () => number;
}

interface Burst {
  since: number;
  repeated: number;
}

export class RepeatedLog {
  private readonly bursts = new Map<string, Burst>();
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RepeatedLogOptions) {
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Logs `line` unless a line with the same `key` was logged within the window; then counts it. */
  note(key: string, line: string): void {
    const at = this.now();
    const burst = this.bursts.get(key);
    if (burst && at - burst.since < this.windowMs) {
      burst.repeated++;
      return;
    }
    const tail = burst && burst.repeated > 0 ? ` (and ${burst.repeated} more like it in the ${Math.round((at - burst.since) / 1000)} s before)` : '';
    this.options.log(`${line}${tail}`);
    this.bursts.set(key, { since: at, repeated: 0 });
  }

  /** Writes what is still counted (on stop), so the last burst is not lost from the log. */
  flush(): void {
    for (const [key, burst] of this.bursts) {
      if (burst.repeated > 0) this.options.log(`${key}: repeated ${burst.repeated} more time(s) in the last ${Math.round((this.now() - burst.since) / 1000)} s`);
    }
    this.bursts.clear();
  }
}
