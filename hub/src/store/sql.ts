/**
 * The one way the store's repositories talk to a database: a small async client with two
 * implementations (SQLite here, PostgreSQL in postgres.ts). Repositories write SQL that both
 * dialects read the same way; where they differ, a repository asks `dialect`.
 *
 * Parameters are positional (`?`) or named (`@name`, with an object); each client turns them
 * into what its driver takes. Column aliases in camelCase must be double-quoted
 * (`AS "bucketMs"`): PostgreSQL folds unquoted names to lower case.
 */
import Database from 'better-sqlite3';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './read-gate.ts';
import { SqliteReadPool } from './read-pool.ts';

export type SqlValue = string | number | bigint | boolean | Buffer | null;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue | undefined>>;
export type Dialect = 'sqlite' | 'postgres';

export interface SqlClient {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  /** For writes: how many rows changed. */
  run(sql: string, params?: SqlParams): Promise<{ changes: number }>;
  /**
   * `all` for a heavy read (indicators, series, count rollups), kept off the ingest path: on
   * SQLite a worker thread's read-only connection, on PostgreSQL a pooled connection under
   * statement_timeout. Both under the same ReadLimits; over them it throws ReadBusyError.
   */
  read<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * Runs `fn` in a transaction (a savepoint when already inside one): committed when it
   * resolves, rolled back when it throws. Use only `tx` inside it.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Rows of a long read, a few at a time, without holding up writers (a second SQLite
   * connection; a PostgreSQL cursor). Ending the loop early releases it.
   */
  stream<T>(sql: string, params?: SqlParams): AsyncGenerator<T>;
  close(): Promise<void>;
}

/** A waiting line: one holder at a time, in order of asking. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private held = false;

  get locked(): boolean {
    return this.held;
  }

  /** Resolves when every holder that has asked so far is done. */
  idle(): Promise<void> {
    return this.tail;
  }

  async acquire(): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.held = true;
    return () => {
      this.held = false;
      release();
    };
  }
}

type Statement = Database.Statement;

/**
 * better-sqlite3 behind the async interface. The driver is synchronous and has one connection,
 * so a transaction must keep everyone else out while its `fn` awaits: every call outside a
 * transaction waits for the one in progress (the lock), calls through `tx` go straight on.
 * A call checks the lock and runs its statement with no await in between, so no transaction
 * can begin in the gap.
 */
export interface SqliteClientOptions {
  readLimits?: ReadLimits;
  /**
   * The longest a `stream` may hold its read transaction (default 15 min). While one is open,
   * no checkpoint can move past its snapshot: the WAL grows and every commit gets slower.
   */
  streamMaxMs?: number;
  /** How often a PASSIVE checkpoint is tried besides SQLite's own (default 30 s; 0: never). */
  checkpointEveryMs?: number;
}

export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private readonly lock = new Mutex();
  private readonly readers: SqliteReadPool | null;
  private readonly checkpoints: NodeJS.Timeout | undefined;
  private readonly streamMaxMs: number;

  constructor(
    /** The open connection; only the store's own setup and backup touch it directly. */
    readonly connection: Database.Database,
    /** The file, for the second connection that `stream` reads on; ':memory:' has none. */
    readonly path: string,
    options: SqliteClientOptions = {},
  ) {
    this.readers = path === ':memory:' ? null : new SqliteReadPool(path, options.readLimits ?? DEFAULT_READ_LIMITS);
    this.streamMaxMs = options.streamMaxMs ?? 15 * 60_000;
    const every = options.checkpointEveryMs ?? 30_000;
    if (path !== ':memory:' && every > 0) {
      // SQLite checkpoints only on commit, and gives up while a reader holds an old snapshot;
      // trying again on a timer resets the WAL as soon as that reader is gone, even when ingest is quiet.
      this.checkpoints = setInterval(() => {
        if (this.lock.locked || !this.connection.open) return;
        try {
          this.connection.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // busy or failing disk: SQLite's own checkpoint on the next commit tries again
        }
      }, every).unref();
    }
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    while (this.lock.locked) await this.lock.idle();
    return this.allNow<T>(sql, params);
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    while (this.lock.locked) await this.lock.idle();
    return this.getNow<T>(sql, params);
  }

  async run(sql: string, params?: SqlParams): Promise<{ changes: number }> {
    while (this.lock.locked) await this.lock.idle();
    return this.runNow(sql, params);
  }

  async read<T>(sql: string, params?: SqlParams): Promise<T[]> {
    if (!this.readers) return this.all<T>(sql, params);
    return this.readers.all<T>(sql, isNamed(params) ? named(params) : positional(params));
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const release = await this.lock.acquire();
    try {
      return await this.inTransaction(fn, 0);
    } finally {
      release();
    }
  }

  async *stream<T>(sql: string, params?: SqlParams): AsyncGenerator<T> {
    if (this.path === ':memory:') {
      // No second connection to an in-memory database: read it all at once, freeing this one.
      yield* await this.all<T>(sql, params);
      return;
    }
    const reader = new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      reader.pragma('busy_timeout = 5000');
      const statement = reader.prepare(sql);
      const rows = (isNamed(params) ? statement.iterate(named(params)) : statement.iterate(...positional(params))) as IterableIterator<T>;
      const started = Date.now();
      for (const row of rows) {
        if (Date.now() - started > this.streamMaxMs) throw new Error(`a streamed read was stopped after ${Math.round(this.streamMaxMs / 1000)} s: its read transaction would keep the WAL from being checkpointed`);
        yield row;
      }
    } finally {
      reader.close();
    }
  }

  async close(): Promise<void> {
    clearInterval(this.checkpoints);
    await this.readers?.close();
    const release = await this.lock.acquire();
    try {
      if (this.connection.open) this.connection.close();
    } finally {
      release();
    }
  }

  private async inTransaction<T>(fn: (tx: SqlClient) => Promise<T>, depth: number): Promise<T> {
    const savepoint = `sp${depth}`;
    this.connection.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`);
    const tx: SqlClient = {
      dialect: 'sqlite',
      all: async (sql, params) => this.allNow(sql, params),
      get: async (sql, params) => this.getNow(sql, params),
      run: async (sql, params) => this.runNow(sql, params),
      read: async (sql, params) => this.allNow(sql, params),
      transaction: (inner) => this.inTransaction(inner, depth + 1),
      stream: (sql, params) => asAsync(this.allNow(sql, params)),
      close: async () => undefined,
    };
    try {
      const result = await fn(tx);
      this.connection.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      // A failed COMMIT (disk full) may already have ended the transaction.
      if (this.connection.inTransaction) this.connection.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    }
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private allNow<T>(sql: string, params?: SqlParams): T[] {
    const s = this.prepare(sql);
    return (isNamed(params) ? s.all(named(params)) : s.all(...positional(params))) as T[];
  }

  private getNow<T>(sql: string, params?: SqlParams): T | undefined {
    const s = this.prepare(sql);
    return (isNamed(params) ? s.get(named(params)) : s.get(...positional(params))) as T | undefined;
  }

  private runNow(sql: string, params?: SqlParams): { changes: number } {
    const s = this.prepare(sql);
    const result = isNamed(params) ? s.run(named(params)) : s.run(...positional(params));
    return { changes: result.changes };
  }
}

function isNamed(params: SqlParams | undefined): params is Readonly<Record<string, SqlValue | undefined>> {
  return params !== undefined && !Array.isArray(params);
}

/** SQLite has no boolean; undefined keys are left out (better-sqlite3 refuses undefined). */
function named(params: Readonly<Record<string, SqlValue | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = typeof v === 'boolean' ? Number(v) : v;
  return out;
}

function positional(params: SqlParams | undefined): unknown[] {
  return ((params ?? []) as readonly SqlValue[]).map((v) => (typeof v === 'boolean' ? Number(v) : v));
}

async function* asAsync<T>(rows: T[]): AsyncGenerator<T> {
  yield* rows;
}
