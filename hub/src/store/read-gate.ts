/**
 * The bound on heavy reads (indicators, series, count rollups): at most `concurrent` at once,
 * at most `queued` waiting, each answered within `budgetMs` of asking or refused. Both stores
 * use it, so a researcher's burst of queries is refused clearly instead of queueing without
 * end in front of the ingest path.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';

export interface ReadLimits {
  /** Reads running at once (SQLite: worker threads). */
  concurrent: number;
  /** Reads waiting for one of those; one more is refused at once. */
  queued: number;
  /** From asking to the last row; past it the read is cancelled. */
  budgetMs: number;
}

/** One core stays for ingest and HTTP; more than 4 readers only contend for the same disk. */
export const DEFAULT_READ_LIMITS: ReadLimits = { concurrent: Math.max(1, Math.min(4, availableParallelism() - 1)), queued: 32, budgetMs: 15_000 };

/** A heavy read refused: `busy` (the line is full: 429) or `timeout` (over the budget: 503). */
export class ReadBusyError extends Error {
  constructor(
    readonly why: 'busy' | 'timeout',
    /** What the API sends as Retry-After. */
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
    this.name = 'ReadBusyError';
  }
}

export const overBudget = (limits: ReadLimits) =>
  new ReadBusyError('timeout', Math.ceil(limits.budgetMs / 1000), `the query took longer than its ${limits.budgetMs / 1000} s budget and was stopped; ask for a shorter range or try again later`);

/**
 * When the HTTP request a read belongs to arrived (the API sets it per request). One query is
 * several reads; with the line ordered by request, the oldest request's next read goes before
 * a newer request's first, so under overload the first requests finish and the rest are
 * refused, instead of every request advancing together until all run out of budget.
 */
const requestClock = new AsyncLocalStorage<{ startedAt: number }>();

export function withRequestClock<T>(fn: () => T): T {
  return requestClock.run({ startedAt: Date.now() }, fn);
}

/** A read's deadline: its request's arrival (or now, outside a request) plus the budget. */
export function readDeadline(limits: ReadLimits): number {
  return (requestClock.getStore()?.startedAt ?? Date.now()) + limits.budgetMs;
}

interface Waiter {
  admit(): void;
  timer: NodeJS.Timeout;
  deadline: number;
}

export class ReadGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limits: ReadLimits) {}

  /** Waits for a slot until `deadline` (epoch ms); the function it resolves to gives the slot back (once). */
  enter(deadline: number): Promise<() => void> {
    if (this.active < this.limits.concurrent) return Promise.resolve(this.slot());
    if (this.waiting.length >= this.limits.queued) {
      return Promise.reject(new ReadBusyError('busy', 5, `${this.limits.concurrent} heavy queries are running and ${this.limits.queued} are waiting; try again in a few seconds`));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        admit: () => {
          clearTimeout(waiter.timer);
          resolve(this.slot());
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(overBudget(this.limits));
        }, Math.max(0, deadline - Date.now())),
        deadline,
      };
      // Earliest deadline (oldest request) first; equal ones in arrival order.
      const at = this.waiting.findIndex((w) => w.deadline > deadline);
      this.waiting.splice(at < 0 ? this.waiting.length : at, 0, waiter);
    });
  }

  private slot(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.waiting.shift();
      next?.admit();
    };
  }
}
