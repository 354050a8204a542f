/**
 * Store-and-forward: every closed count batch is written to a SQLite file before anything is
 * sent, and deleted only once the broker has acknowledged it. A crash between any two steps
 * loses nothing: at worst a batch is sent twice, which the hub ignores by `batchId`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { CountBatch, describeIssues } from '@byliv/protocol';

/** The schema this code writes; a file from another version is refused, not guessed at. */
const SCHEMA_VERSION = 1;

export interface OutboxBounds {
  /** Most batches kept; beyond it the oldest are dropped (and counted). */
  maxRows: number;
  /**
   * Longest a batch waits, counted from when it was ENQUEUED (not from its binStart: a file
   * replayed with an old --start-time must not be dropped on arrival). Older ones are dropped.
   */
  maxAgeSeconds: number;
  /** Hard cap on the file size; writing past it fails like a full disk does. */
  maxBytes?: number;
  /** Wall clock in ms, injectable so the age rule is tested without waiting. */
  now?: () => number;
}

export interface QueuedBatch {
  /** The outbox row id: strictly increasing, so it is the sending order. */
  id: number;
  batch: CountBatch;
}

/** Thrown when the disk (or `maxBytes`) has no room left; the batch was NOT queued. */
export class OutboxFullError extends Error {
  override name = 'OutboxFullError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`outbox ${path} is full: the disk (or the outbox size cap) has no room for another batch; it was NOT queued`, { cause });
  }
}

interface Row {
  id: number;
  payload: string;
}

export class Outbox {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  // Kept in memory too: depth() is read on every frame for progress and status.
  private rows: number;
  private droppedTotal: number;
  private last: number | null;

  private constructor(
    readonly path: string,
    private readonly bounds: OutboxBounds,
  ) {
    if (!(Number.isInteger(bounds.maxRows) && bounds.maxRows > 0)) throw new Error(`outbox ${path}: maxRows must be a positive whole number, got ${bounds.maxRows}`);
    if (!(bounds.maxAgeSeconds > 0)) throw new Error(`outbox ${path}: maxAgeSeconds must be positive, got ${bounds.maxAgeSeconds}`);
    this.now = bounds.now ?? Date.now;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
    } catch (error) {
      throw new Error(`cannot open the outbox ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      this.db.pragma('journal_mode = WAL');
      // FULL: the WAL is synced on every commit, so an enqueued batch survives a power loss.
      this.db.pragma('synchronous = FULL');
      if (bounds.maxBytes !== undefined) {
        const pageSize = this.db.pragma('page_size', { simple: true }) as number;
        this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(bounds.maxBytes / pageSize))}`);
      }
      this.migrate();
      this.rows = (this.db.prepare('SELECT count(*) AS n FROM batch').get() as { n: number }).n;
      this.droppedTotal = this.counter('dropped') ?? 0;
      this.last = this.counter('last_seq');
      this.prune();
    } catch (error) {
      this.db.close();
      throw this.wrap(error, 'open');
    }
  }

  /** Opens (creating if needed) the outbox file at `path` and applies the bounds once. */
  static open(path: string, bounds: OutboxBounds): Outbox {
    return new Outbox(path, bounds);
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      throw new Error(`outbox ${this.path} has schema version ${version}, this agent writes ${SCHEMA_VERSION}; move the file aside`);
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS batch (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids never reused, so id order is send order
        batch_id TEXT NOT NULL UNIQUE,
        enqueued_at INTEGER NOT NULL,          -- ms since the epoch, for the age bound
        payload TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS batch_enqueued_at ON batch (enqueued_at);
      CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  }

  private counter(name: string): number | null {
    const row = this.db.prepare('SELECT value FROM counter WHERE name = ?').get(name) as { value: number } | undefined;
    return row ? row.value : null;
  }

  private setCounter(name: string, value: number): void {
    this.db.prepare('INSERT INTO counter (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  private wrap(error: unknown, doing: string): Error {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_FULL') return new OutboxFullError(this.path, error);
    if (error instanceof Error && error.message.includes(this.path)) return error;
    return new Error(`outbox ${this.path}: ${doing} failed: ${(error as Error).message}`, { cause: error });
  }

  /**
   * Queues a batch durably (committed and synced when this returns). A batchId already queued
   * is a no-op, so replaying bins after a restart does not queue them twice.
   */
  enqueue(batch: CountBatch): void {
    const parsed = CountBatch.safeParse(batch);
    if (!parsed.success) {
      throw new Error(`outbox ${this.path}: refusing an invalid count batch:\n${describeIssues(parsed.error)}`);
    }
    const valid = parsed.data;
    let inserted = false;
    try {
      this.db.transaction(() => {
        const info = this.db
          .prepare('INSERT INTO batch (batch_id, enqueued_at, payload) VALUES (?, ?, ?) ON CONFLICT (batch_id) DO NOTHING')
          .run(valid.batchId, this.now(), JSON.stringify(valid));
        inserted = info.changes === 1;
        if (!inserted) return;
        const last = this.last === null ? valid.seq : Math.max(this.last, valid.seq);
        this.setCounter('last_seq', last);
        this.rows++;
        this.last = last;
        this.prune();
      })();
    } catch (error) {
      // The transaction rolled back: recount rather than trust the in-memory figures.
      this.reload();
      throw this.wrap(error, `enqueue of ${valid.batchId}`);
    }
    if (inserted) for (const listener of this.listeners) listener();
  }

  private reload(): void {
    this.rows = (this.db.prepare('SELECT count(*) AS n FROM batch').get() as { n: number }).n;
    this.droppedTotal = this.counter('dropped') ?? 0;
    this.last = this.counter('last_seq');
  }

  /**
   * Drops the oldest batches beyond `maxRows` and those enqueued more than `maxAgeSeconds`
   * ago, and adds them to the persisted dropped counter. Runs on open and on every enqueue:
   * the bounds limit what is kept while the broker is away, not what is sent.
   */
  prune(): number {
    const run = () => {
      const cutoff = this.now() - this.bounds.maxAgeSeconds * 1000;
      let n = this.db.prepare('DELETE FROM batch WHERE enqueued_at < ?').run(cutoff).changes;
      this.rows -= n;
      if (this.rows > this.bounds.maxRows) {
        const excess = this.rows - this.bounds.maxRows;
        const m = this.db.prepare('DELETE FROM batch WHERE id IN (SELECT id FROM batch ORDER BY id LIMIT ?)').run(excess).changes;
        this.rows -= m;
        n += m;
      }
      if (n > 0) {
        this.droppedTotal += n;
        this.setCounter('dropped', this.droppedTotal);
      }
      return n;
    };
    return this.db.inTransaction ? run() : this.db.transaction(run)();
  }

  /** The oldest `n` batches, oldest first; they stay queued until acked. */
  peek(n: number): QueuedBatch[] {
    const rows = this.db.prepare('SELECT id, payload FROM batch ORDER BY id LIMIT ?').all(n) as Row[];
    return rows.map(({ id, payload }) => {
      let json: unknown;
      try {
        json = JSON.parse(payload);
      } catch (error) {
        throw new Error(`outbox ${this.path}: row ${id} is not JSON (${(error as Error).message})`);
      }
      const parsed = CountBatch.safeParse(json);
      if (!parsed.success) throw new Error(`outbox ${this.path}: row ${id} is not a valid count batch:\n${describeIssues(parsed.error)}`);
      return { id, batch: parsed.data };
    });
  }

  /**
   * Deletes batches the broker acknowledged; returns how many were still queued. Unknown ids
   * (acked twice after a resend, or dropped by the bounds meanwhile) are ignored.
   */
  ack(ids: readonly number[]): number {
    if (ids.length === 0) return 0;
    try {
      const del = this.db.prepare('DELETE FROM batch WHERE id = ?');
      return this.db.transaction(() => {
        let removed = 0;
        for (const id of ids) removed += del.run(id).changes;
        this.rows -= removed;
        return removed;
      })();
    } catch (error) {
      this.reload();
      throw this.wrap(error, 'ack');
    }
  }

  /** Batches waiting to be sent. */
  depth(): number {
    return this.rows;
  }

  /** Batches ever dropped by the bounds in this file (persisted across restarts). */
  dropped(): number {
    return this.droppedTotal;
  }

  /** The highest seq ever queued here, so a restarted agent continues after it; null when none. */
  lastSeq(): number | null {
    return this.last;
  }

  /** Calls `listener` after each batch actually queued; returns the unsubscribe function. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }
}

/** The conventional file of one camera's outbox inside the agent's data folder. */
export function outboxPath(dataDir: string, site: string, camera: string): string {
  return join(dataDir, `outbox-${site}-${camera}.sqlite`);
}
