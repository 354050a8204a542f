/** The PostgreSQL test harness: the run's cluster is up, and each test gets a database of its own. */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresSkipReason, sharedPostgresUrl } from './postgres.ts';

const skip = postgresSkipReason();

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(skip !== undefined)(`the PostgreSQL test harness${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(drops.map((drop) => drop()));
  });

  async function freshDatabase(): Promise<string> {
    const db = await createTestDatabase(sharedPostgresUrl());
    drops.push(db.drop);
    return db.url;
  }

  it('finds the cluster the global setup started', async () => {
    const [row] = await query<{ version: string }>(sharedPostgresUrl(), 'SELECT version()');
    expect(row.version).toMatch(/^PostgreSQL \d+/);
  });

  it('gives each caller its own empty database', async () => {
    const [a, b] = await Promise.all([freshDatabase(), freshDatabase()]);
    expect(a).not.toBe(b);
    const tables = `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`;
    expect(await query(a, tables)).toEqual([{ n: 0 }]);
    await query(a, 'CREATE TABLE only_in_a (x INTEGER)');
    expect(await query(a, tables)).toEqual([{ n: 1 }]);
    expect(await query(b, tables)).toEqual([{ n: 0 }]);
  });

  it('drops a database even while a connection to it is open', async () => {
    const db = await createTestDatabase(sharedPostgresUrl());
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    client.on('error', () => {}); // the server ends this connection: expected
    await db.drop();
    const name = new URL(db.url).pathname.slice(1);
    expect(await query(sharedPostgresUrl(), 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).toEqual([]);
    await client.end().catch(() => {});
  });

  it('round-trips BIGINT epoch milliseconds (as a string: node-postgres reads int8 so by default)', async () => {
    const url = await freshDatabase();
    const ms = Date.UTC(2031, 0, 2, 3, 4, 5, 678); // well past 2^31
    await query(url, 'CREATE TABLE t (at_ms BIGINT NOT NULL)');
    await query(url, 'INSERT INTO t (at_ms) VALUES ($1)', [ms]);
    const rows = await query<{ at_ms: string; n: string }>(url, 'SELECT at_ms, count(*) OVER () AS n FROM t');
    expect(rows).toEqual([{ at_ms: String(ms), n: '1' }]);
    expect(Number(rows[0].at_ms)).toBe(ms);
  });
});
