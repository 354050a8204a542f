/**
 * Heavy reads of the SQLite store on worker threads, each with its own read-only connection.
 * better-sqlite3 is synchronous: a year of a site's bins read on the main thread held the event
 * loop for seconds per query, and every PUBACK and /healthz waited behind it. Here the main
 * thread only sends the SQL and receives the rows.
 *
 * A read over its budget is refused and its worker terminated; the slot it held stays taken
 * until the worker has really exited (a query inside SQLite ends only when SQLite returns), so
 * runaway queries cannot pile up beyond `concurrent`.
 */
import { Worker } from 'node:worker_threads';
import { ReadGate, overBudget, readDeadline, type ReadLimits } from './read-gate.ts';

interface Reader {
  worker: Worker;
  busy: boolean;
  pending?: { id: number; resolve(rows: unknown[]): void; reject(error: Error): void };
}

const WORKER = new URL('./read-worker.mjs', import.meta.url);

export class SqliteReadPool {
  private readonly gate: ReadGate;
  private readonly readers = new Set<Reader>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly path: string,
    readonly limits: ReadLimits,
  ) {
    this.gate = new ReadGate(limits);
  }

  /** Parameters already in the driver's form (numbers for booleans, no undefined). */
  async all<T>(sql: string, params: unknown[] | Record<string, unknown>): Promise<T[]> {
    if (this.closed) throw new Error('the store is closed');
    const deadline = readDeadline(this.limits);
    const release = await this.gate.enter(deadline);
    const reader = this.idleReader();
    reader.busy = true;
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      return await new Promise<T[]>((resolve, reject) => {
        reader.pending = { id, resolve: resolve as (rows: unknown[]) => void, reject };
        timer = setTimeout(() => {
          timedOut = true;
          reader.pending = undefined;
          this.readers.delete(reader);
          // The slot is given back on exit, not now: the query may still be running.
          reader.worker.once('exit', release);
          void reader.worker.terminate();
          reject(overBudget(this.limits));
        }, Math.max(0, deadline - Date.now()));
        reader.worker.postMessage({ id, sql, params });
      });
    } finally {
      clearTimeout(timer);
      reader.busy = false;
      if (!timedOut) release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.readers].map((r) => r.worker.terminate()));
    this.readers.clear();
  }

  private idleReader(): Reader {
    for (const r of this.readers) if (!r.busy) return r;
    const worker = new Worker(WORKER, { workerData: { path: this.path } });
    // An idle reader must not keep a finished process (a CLI command, a test) alive.
    worker.unref();
    const reader: Reader = { worker, busy: false };
    worker.on('message', (m: { id: number; rows?: unknown[]; error?: string }) => {
      const p = reader.pending;
      if (!p || p.id !== m.id) return;
      reader.pending = undefined;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.rows!);
    });
    const fail = (error: Error) => {
      this.readers.delete(reader);
      reader.pending?.reject(error);
      reader.pending = undefined;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a read worker exited (${code})`)));
    this.readers.add(reader);
    return reader;
  }
}
