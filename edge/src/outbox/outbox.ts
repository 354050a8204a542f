/**
 * Store-and-forward: every closed count batch is written to a SQLite file before anything is
 * sent, and deleted only once the broker has acknowledged it. A crash between any two steps
 * loses nothing: at worst a batch is sent twice, which the hub ignores by `batchId`.
 */
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { CountBatch, describeIssues } from '@byliv/protocol';

/** The schema this code writes; a file from another version is refused, not guessed at. */
const SCHEMA_VERSION = 1;
/**
 * A small WAL (pages before SQLite checkpoints it on its own): the WAL file is then reused
 * at a steady size instead of growing to 4 MB and holding the only copy of the data when
 * the disk fills, with no room left to checkpoint it into the main file.
 */
const WAL_AUTOCHECKPOINT_PAGES = 16;
/**
 * Bytes set aside in `<outbox>-reserve` while there is room, given back when the disk is full:
 * a checkpoint and a delete of the oldest batches both need a little disk, and on a disk
 * that another program filled to the last byte there would be none.
 */
const RESERVE_BYTES = 128 * 1024;
/**
 * Below this much free disk the outbox stops growing: each new batch replaces the oldest
 * queued one, so the outbox never fills the disk itself, and SQLite always has room for its
 * WAL (WAL_AUTOCHECKPOINT_PAGES) and a checkpoint.
 */
const MIN_FREE_BYTES = 96 * 1024;

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

/**
 * The disk (or `maxBytes`) had no room, and not even dropping batches made any: thrown only
 * where there is no batch to give up (opening the file, an ack). A full disk while enqueueing
 * drops the oldest batches instead (see enqueue).
 */
export class OutboxFullError extends Error {
  override name = 'OutboxFullError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`outbox ${path} is full: the disk (or the outbox size cap) has no room left`, { cause });
  }
}

/** Why batches left the outbox unsent: every drop is counted and reported, never silent. */
export type DropReason = 'disk-full' | 'max-batches' | 'max-age';

export interface OutboxDrop {
  reason: DropReason;
  /** Batches dropped by this event; with `disk-full` the newest one may be among them (when nothing older was left). */
  count: number;
  /** Batches ever dropped by this file, this event included. */
  total: number;
}

const isFull = (error: unknown): boolean => (error as { code?: string }).code === 'SQLITE_FULL';

interface Row {
  id: number;
  payload: string;
}

export class Outbox {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private readonly dropListeners = new Set<(drop: OutboxDrop) => void>();
  /** Drops decided inside a transaction, told to listeners once it has committed. */
  private pendingDrops: OutboxDrop[] = [];
  // Kept in memory too: depth() is read on every frame for progress and status.
  private rows: number;
  private droppedTotal: number;
  /** What the `dropped` counter row says; behind droppedTotal while the disk is too full to write it. */
  private droppedStored: number;
  private reserveGone = true;
  /** Acknowledged by the broker, but the delete did not fit on the disk: hidden, deleted later. */
  private readonly ackedUnwritten = new Set<number>();
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
      this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      if (bounds.maxBytes !== undefined) {
        const pageSize = this.db.pragma('page_size', { simple: true }) as number;
        this.db.pragma(`max_page_count = ${Math.max(1, Math.floor(bounds.maxBytes / pageSize))}`);
      }
      this.migrate();
      // The schema into the main file now, so a later full disk never holds it in the WAL alone
      // (best effort: on a disk already full, the WAL stays until there is room).
      this.checkpoint('TRUNCATE');
      this.keepReserve();
      this.rows = (this.db.prepare('SELECT count(*) AS n FROM batch').get() as { n: number }).n;
      this.droppedTotal = this.droppedStored = this.counter('dropped') ?? 0;
      this.last = this.counter('last_seq');
      this.prune(); // its drops wait for the first onDropped listener
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
    // Nothing to write for a file already at this version: a reopen must work on a full disk.
    if (version === SCHEMA_VERSION) return;
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
   *
   * A full disk (or `maxBytes`) never stops the caller: first the WAL is checkpointed and
   * truncated (it only grows between checkpoints, and a full disk is where that space is
   * needed), then the oldest queued batches are dropped, 1, 2, 4… at a time, until the new one
   * fits; if nothing older is left, the new batch itself is dropped. Every drop is counted
   * (`dropped()`, published as the status' `outboxDropped`) and told to `onDropped` listeners.
   * Returns whether the batch is queued.
   */
  enqueue(batch: CountBatch): boolean {
    const parsed = CountBatch.safeParse(batch);
    if (!parsed.success) {
      throw new Error(`outbox ${this.path}: refusing an invalid count batch:\n${describeIssues(parsed.error)}`);
    }
    const valid = parsed.data;
    const payload = JSON.stringify(valid);
    let queued = false;
    try {
      if (this.depth() > 0 && this.freeBytes() < MIN_FREE_BYTES) this.dropOldest(1);
      for (let attempt = 0; ; attempt++) {
        try {
          queued = this.insert(valid, payload);
          break;
        } catch (error) {
          // The transaction rolled back: recount rather than trust the in-memory figures.
          this.reload();
          if (!isFull(error)) throw this.wrap(error, `enqueue of ${valid.batchId}`);
          if (attempt === 0) {
            this.releaseReserve();
            if (this.checkpoint()) continue;
          }
          if (this.rows > 0 && this.dropOldest(Math.min(this.rows, 2 ** Math.min(attempt, 20)))) continue;
          // Nothing older to give up (or not even a delete fits): this bin is the one lost.
          this.droppedTotal++;
          this.pendingDrops.push({ reason: 'disk-full', count: 1, total: this.droppedTotal });
          break;
        }
      }
    } finally {
      this.tellDrops();
    }
    if (this.reserveGone && queued) this.keepReserve();
    if (queued) for (const listener of this.listeners) listener();
    return queued;
  }

  private insert(valid: CountBatch, payload: string): boolean {
    let inserted = false;
    const drops = this.pendingDrops.length;
    const dropped = this.droppedTotal;
    try {
      this.db.transaction(() => {
        // A complete bin replaces a partial one still queued under its id (a stopped run, then
        // a full one); a fresh row, so an ack of the partial one in flight cannot delete it.
        if (!valid.partial) {
          this.rows -= this.db.prepare("DELETE FROM batch WHERE batch_id = ? AND json_extract(payload, '$.partial') = 1").run(valid.batchId).changes;
        }
        const info = this.db
          .prepare('INSERT INTO batch (batch_id, enqueued_at, payload) VALUES (?, ?, ?) ON CONFLICT (batch_id) DO NOTHING')
          .run(valid.batchId, this.now(), payload);
        inserted = info.changes === 1;
        if (this.ackedUnwritten.size > 0) {
          const del = this.db.prepare('DELETE FROM batch WHERE id = ?');
          for (const id of this.ackedUnwritten) this.rows -= del.run(id).changes;
        }
        if (!inserted) return;
        const last = this.last === null ? valid.seq : Math.max(this.last, valid.seq);
        this.setCounter('last_seq', last);
        this.rows++;
        this.last = last;
        this.prune();
        this.storeDropped();
      })();
      this.ackedUnwritten.clear(); // deleted with this commit
    } catch (error) {
      // prune's drops were rolled back with the rest
      this.pendingDrops.length = drops;
      this.droppedTotal = dropped;
      throw error;
    }
    return inserted;
  }

  /** Writes the dropped counter when it is behind (a drop that happened while nothing could be written). */
  private storeDropped(): void {
    if (this.droppedStored === this.droppedTotal) return;
    this.setCounter('dropped', this.droppedTotal);
    this.droppedStored = this.droppedTotal;
  }

  /** Free bytes on the outbox's disk for this process; Infinity when the system cannot say. */
  private freeBytes(): number {
    try {
      const fs = statfsSync(dirname(this.path));
      return fs.bavail * fs.bsize;
    } catch {
      return Infinity;
    }
  }

  private get reservePath(): string {
    return `${this.path}-reserve`;
  }

  /** Sets the reserve aside again when there is room (best effort: a full disk leaves it out). */
  private keepReserve(): void {
    try {
      writeFileSync(this.reservePath, Buffer.alloc(RESERVE_BYTES));
      this.reserveGone = false;
    } catch {
      rmSync(this.reservePath, { force: true });
      this.reserveGone = true;
    }
  }

  private releaseReserve(): void {
    rmSync(this.reservePath, { force: true });
    this.reserveGone = true;
  }

  /**
   * Moves the WAL into the database file; false when even that failed. RESTART, not TRUNCATE:
   * the WAL file keeps its size and is written from its start again, so the next commits need
   * no new disk.
   */
  private checkpoint(mode: 'RESTART' | 'TRUNCATE' = 'RESTART'): boolean {
    try {
      const [result] = this.db.pragma(`wal_checkpoint(${mode})`) as { busy: number }[];
      return result?.busy === 0;
    } catch {
      return false;
    }
  }

  /** Deletes the `n` oldest batches to make room, counted; false when the delete did not fit either. */
  private dropOldest(n: number): boolean {
    const dropped = this.droppedTotal;
    try {
      const removed = this.db.transaction(() => {
        const m = this.db.prepare('DELETE FROM batch WHERE id IN (SELECT id FROM batch ORDER BY id LIMIT ?)').run(n).changes;
        this.rows -= m;
        this.droppedTotal += m;
        this.storeDropped();
        return m;
      })();
      this.pendingDrops.push({ reason: 'disk-full', count: removed, total: this.droppedTotal });
      // The delete went through the WAL: give that back too, so the freed pages are usable.
      this.checkpoint();
      return removed > 0;
    } catch (error) {
      this.droppedTotal = dropped;
      this.reload();
      if (isFull(error)) return false;
      throw this.wrap(error, 'drop of the oldest batches');
    }
  }

  private tellDrops(): void {
    const drops = this.pendingDrops;
    this.pendingDrops = [];
    for (const drop of drops) for (const listener of this.dropListeners) listener(drop);
  }

  private reload(): void {
    this.rows = (this.db.prepare('SELECT count(*) AS n FROM batch').get() as { n: number }).n;
    // Drops not yet written (disk full) are still drops: never count down.
    this.droppedStored = this.counter('dropped') ?? 0;
    this.droppedTotal = Math.max(this.droppedTotal, this.droppedStored);
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
      const old = this.db.prepare('DELETE FROM batch WHERE enqueued_at < ?').run(cutoff).changes;
      this.rows -= old;
      let excess = 0;
      if (this.rows > this.bounds.maxRows) {
        excess = this.db.prepare('DELETE FROM batch WHERE id IN (SELECT id FROM batch ORDER BY id LIMIT ?)').run(this.rows - this.bounds.maxRows).changes;
        this.rows -= excess;
      }
      const n = old + excess;
      if (n > 0) {
        this.droppedTotal += n;
        this.storeDropped();
        if (old > 0) this.pendingDrops.push({ reason: 'max-age', count: old, total: this.droppedTotal - excess });
        if (excess > 0) this.pendingDrops.push({ reason: 'max-batches', count: excess, total: this.droppedTotal });
      }
      return n;
    };
    if (this.db.inTransaction) return run();
    const drops = this.pendingDrops.length;
    const dropped = this.droppedTotal;
    try {
      return this.db.transaction(run)();
    } catch (error) {
      this.pendingDrops.length = drops;
      this.droppedTotal = dropped;
      this.reload();
      throw error;
    } finally {
      if (this.dropListeners.size > 0) this.tellDrops();
    }
  }

  /** The oldest `n` batches, oldest first; they stay queued until acked. */
  peek(n: number): QueuedBatch[] {
    const all = this.db.prepare('SELECT id, payload FROM batch ORDER BY id LIMIT ?').all(n + this.ackedUnwritten.size) as Row[];
    const rows = all.filter((r) => !this.ackedUnwritten.has(r.id)).slice(0, n);
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
    const pending = ids.filter((id) => !this.ackedUnwritten.has(id));
    const del = this.db.prepare('DELETE FROM batch WHERE id = ?');
    const run = () =>
      this.db.transaction(() => {
        let removed = 0;
        for (const id of [...this.ackedUnwritten, ...pending]) removed += del.run(id).changes;
        this.rows -= removed;
        this.ackedUnwritten.clear();
        return removed;
      })();
    const before = this.depth();
    try {
      run();
      return before - this.depth();
    } catch (error) {
      this.reload();
      if (!isFull(error)) throw this.wrap(error, 'ack');
      // Even a delete needs WAL room; a checkpoint may give it back.
      try {
        if (this.checkpoint()) {
          run();
          return before - this.depth();
        }
      } catch (again) {
        this.reload();
        if (!isFull(again)) throw this.wrap(again, 'ack');
      }
      // The broker has them: hide them now, delete them with the next write that fits. A crash
      // before then sends them again, which the hub ignores by batchId.
      const known = this.db.prepare('SELECT id FROM batch WHERE id = ?');
      for (const id of pending) if (known.get(id)) this.ackedUnwritten.add(id);
      return before - this.depth();
    }
  }

  /** Batches waiting to be sent. */
  depth(): number {
    return this.rows - this.ackedUnwritten.size;
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

  /** Calls `listener` after batches were dropped (disk full, or a bound); returns the unsubscribe function. */
  onDropped(listener: (drop: OutboxDrop) => void): () => void {
    this.dropListeners.add(listener);
    this.tellDrops(); // those of the open
    return () => this.dropListeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.dropListeners.clear();
    rmSync(this.reservePath, { force: true });
    if (this.db.open) this.db.close();
  }
}

/** The conventional file of one camera's outbox inside the agent's data folder. */
export function outboxPath(dataDir: string, site: string, camera: string): string {
  return join(dataDir, `outbox-${site}-${camera}.sqlite`);
}
