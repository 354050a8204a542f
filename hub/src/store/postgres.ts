/**
 * The PostgreSQL store: the same repositories over a connection pool, for a municipality that
 * runs several hubs on one database. Migrations are POSTGRES_MIGRATIONS, applied under an
 * advisory lock so two hubs starting together do not both migrate.
 */
import pg from 'pg';
import { HubStore } from './store.ts';
import { POSTGRES_MIGRATIONS } from './migrations-postgres.ts';
import type { Migration } from './migrations.ts';
import type { SqlClient, SqlParams, SqlValue } from './sql.ts';
import { DEFAULT_READ_LIMITS, ReadGate, overBudget, readDeadline, type ReadLimits } from './read-gate.ts';

/** int8 (COUNT, BIGINT columns, identity ids) and numeric (SUM of BIGINT) as JS numbers: all our values are far below 2^53. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Any number the lock takes: "byliv" in ASCII. */
const MIGRATION_LOCK = 0x6279_6c69_76;

/**
 * Turns `?` and `@name` into `$1…`, outside quoted strings and identifiers. Named
 * parameters repeat as the same `$n`.
 */
export function toPostgres(sql: string, params: SqlParams | undefined): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const named = params !== undefined && !Array.isArray(params) ? (params as Record<string, SqlValue | undefined>) : null;
  const positional = named ? [] : ((params ?? []) as readonly SqlValue[]);
  const slots = new Map<string, number>();
  let text = '';
  let next = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      text += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?' && !named) {
      values.push(positional[next++]);
      text += `$${values.length}`;
    } else if (ch === '@' && named && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))![0];
      if (!(name in named) || named[name] === undefined) throw new Error(`SQL parameter @${name} has no value`);
      let slot = slots.get(name);
      if (slot === undefined) {
        values.push(named[name]);
        slot = values.length;
        slots.set(name, slot);
      }
      text += `$${slot}`;
      i += name.length;
    } else text += ch;
  }
  if (!named && next !== positional.length) throw new Error(`SQL has ${next} ? placeholders but ${positional.length} values were given`);
  return { text, values };
}

type Queryable = pg.Pool | pg.PoolClient;

/** Rows come back as the caller's row type: the SQL decides their shape, the caller names it. */
async function query<T>(on: Queryable, sql: string, params?: SqlParams): Promise<{ rows: T[]; rowCount: number | null }> {
  const { text, values } = toPostgres(sql, params);
  const result = await on.query(text, values);
  return { rows: result.rows as T[], rowCount: result.rowCount };
}

/** A client bound to one pooled connection inside a transaction; `depth` names its savepoints. */
function transactionClient(connection: pg.PoolClient, depth: number): SqlClient {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params?: SqlParams) => (await query<T>(connection, sql, params)).rows,
    get: async <T>(sql: string, params?: SqlParams) => (await query<T>(connection, sql, params)).rows[0],
    run: async (sql, params) => ({ changes: (await query(connection, sql, params)).rowCount ?? 0 }),
    read: async <T>(sql: string, params?: SqlParams) => (await query<T>(connection, sql, params)).rows,
    async transaction(fn) {
      const savepoint = `sp${depth}`;
      await connection.query(`SAVEPOINT ${savepoint}`);
      try {
        const result = await fn(transactionClient(connection, depth + 1));
        await connection.query(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (error) {
        await connection.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw error;
      }
    },
    async *stream<T>(sql: string, params?: SqlParams) {
      yield* (await query<T>(connection, sql, params)).rows;
    },
    close: async () => undefined,
  };
}

export class PostgresClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly gate: ReadGate;

  constructor(
    private readonly pool: pg.Pool,
    readLimits: ReadLimits = DEFAULT_READ_LIMITS,
  ) {
    this.gate = new ReadGate(readLimits);
  }

  /**
   * The pool already runs queries off this thread; the gate keeps a researcher's burst from
   * taking every pooled connection (ingest needs one), and statement_timeout cancels a query
   * on the server when the budget runs out, so it does not go on using the database.
   */
  async read<T>(sql: string, params?: SqlParams): Promise<T[]> {
    const deadline = readDeadline(this.gate.limits);
    const release = await this.gate.enter(deadline);
    const connection = await this.pool.connect().catch((error) => (release(), Promise.reject(error)));
    try {
      await connection.query('BEGIN READ ONLY');
      await connection.query(`SET LOCAL statement_timeout = ${Math.max(1, deadline - Date.now())}`);
      const { rows } = await query<T>(connection, sql, params);
      await connection.query('COMMIT');
      return rows;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      // 57014: canceled by statement_timeout
      if ((error as { code?: string }).code === '57014') throw overBudget(this.gate.limits);
      throw error;
    } finally {
      connection.release();
      release();
    }
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await query<T>(this.pool, sql, params)).rows;
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await query<T>(this.pool, sql, params)).rows[0];
  }

  async run(sql: string, params?: SqlParams): Promise<{ changes: number }> {
    return { changes: (await query(this.pool, sql, params)).rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    try {
      await connection.query('BEGIN');
      try {
        const result = await fn(transactionClient(connection, 0));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      connection.release();
    }
  }

  /** A server-side cursor in a read-only transaction of its own: rows arrive 500 at a time. */
  async *stream<T>(sql: string, params?: SqlParams): AsyncGenerator<T> {
    const connection = await this.pool.connect();
    let broken = false;
    try {
      await connection.query('BEGIN READ ONLY');
      const { text, values } = toPostgres(sql, params);
      await connection.query(`DECLARE byliv_stream NO SCROLL CURSOR FOR ${text}`, values);
      for (;;) {
        const batch = await connection.query('FETCH 500 FROM byliv_stream');
        yield* batch.rows as T[];
        if (batch.rows.length < 500) break;
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      // A loop that ends early lands here too: the cursor goes with the transaction.
      await connection.query('ROLLBACK').catch(() => (broken = true));
      connection.release(broken);
    }
  }

  private closing: Promise<void> | null = null;

  /** Ends the pool; closing again is harmless, as with SQLite. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}

/** Applies the migrations not yet applied, each in its own transaction; returns the schema version. */
export async function migratePostgres(pool: pg.Pool, location: string, migrations: readonly Migration[] = POSTGRES_MIGRATIONS): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is out of order: entry ${i} has version ${m.version}`);
  });
  const connection = await pool.connect();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await connection.query('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const current = Number((await connection.query<{ v: string | null }>('SELECT MAX(version) AS v FROM schema_migrations')).rows[0].v ?? 0);
    if (current > migrations.length) {
      throw new Error(`the hub database ${location} has schema version ${current}, newer than this hub knows (${migrations.length}); use a newer hub`);
    }
    for (const m of migrations.slice(current)) {
      await connection.query('BEGIN');
      try {
        await connection.query(m.sql);
        await connection.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
        await connection.query('COMMIT');
      } catch (error) {
        await connection.query('ROLLBACK');
        throw new Error(`migration ${m.version} (${m.name}) failed on ${location}: ${(error as Error).message}`, { cause: error });
      }
    }
    return migrations.length;
  } finally {
    await connection.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    connection.release();
  }
}

/** Connects, checks the connection and migrates; the error names the database (without its password). */
export async function openPostgresStore(url: string, options: { max?: number } = {}): Promise<HubStore> {
  const location = url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10 });
  // An idle connection the server drops (a restart) must not crash the hub.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, location);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const message = (error as Error).message;
    throw new Error(message.includes(location) ? message : `cannot open the hub database ${location}: ${message}`, { cause: error });
  }
  return HubStore.over(location, new PostgresClient(pool));
}
