/**
 * The PostgreSQL migrations build the schema the SQLite ones do: same tables, columns, keys,
 * foreign keys, uniques, indexes and checks. Both schemas are read back from the databases
 * themselves into one shape and compared.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresSkipReason, sharedPostgresUrl } from '../../test/postgres.ts';
import { MIGRATIONS } from './migrations.ts';
import { POSTGRES_MIGRATIONS } from './migrations-postgres.ts';

interface Column {
  name: string;
  /** The SQLite type name: PostgreSQL's are mapped back (BIGINT and INTEGER both to INTEGER). */
  type: string;
  notNull: boolean;
  /** Assigned by the database when not given (SQLite's rowid alias, PostgreSQL's identity). */
  autoId: boolean;
}

interface Table {
  columns: Column[];
  primaryKey: string[];
  /** "(a, b) -> table(c, d) CASCADE|NO ACTION", sorted */
  foreignKeys: string[];
  /** "unique (a, b)" or "(a, b)", sorted; includes the primary key's and UNIQUE constraints' */
  indexes: string[];
  checks: number;
}

type Schema = Record<string, Table>;

const list = (columns: string[]) => `(${columns.join(', ')})`;

function sqliteSchema(): Schema {
  const db = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) db.exec(m.sql);
    const tables = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string; sql: string }[];
    return Object.fromEntries(tables.map((t) => [t.name, sqliteTable(db, t.name, t.sql)]));
  } finally {
    db.close();
  }
}

function sqliteTable(db: Database.Database, table: string, sql: string): Table {
  const info = db.prepare('SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string; type: string; notnull: number; pk: number }[];
  const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
  const withoutRowid = /WITHOUT ROWID/i.test(sql);
  // A lone INTEGER PRIMARY KEY is the rowid itself: assigned when not given, and indexed without an index.
  const rowidAlias = !withoutRowid && primaryKey.length === 1 && info.find((c) => c.name === primaryKey[0])!.type === 'INTEGER' ? primaryKey[0] : undefined;
  const columns = info.map((c) => ({
    name: c.name,
    type: c.type,
    // STRICT and WITHOUT ROWID tables refuse NULL in any primary-key column, declared NOT NULL or not.
    notNull: c.notnull === 1 || c.pk > 0,
    autoId: c.name === rowidAlias,
  }));

  const fks = db.prepare('SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table) as { id: number; table: string; from: string; to: string; on_delete: string }[];
  const byId = new Map<number, typeof fks>();
  for (const fk of fks) byId.set(fk.id, [...(byId.get(fk.id) ?? []), fk]);
  const foreignKeys = [...byId.values()].map((parts) => `${list(parts.map((p) => p.from))} -> ${parts[0].table}${list(parts.map((p) => p.to))} ${parts[0].on_delete}`);

  const indexList = db.prepare('SELECT name, "unique" FROM pragma_index_list(?)').all(table) as { name: string; unique: number }[];
  const indexes = indexList.map((ix) => {
    const cols = (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(ix.name) as { name: string }[]).map((c) => c.name);
    return `${ix.unique ? 'unique ' : ''}${list(cols)}`;
  });
  if (rowidAlias) indexes.push(`unique (${rowidAlias})`);

  return { columns, primaryKey, foreignKeys: foreignKeys.sort(), indexes: indexes.sort(), checks: sql.match(/\bCHECK\s*\(/gi)?.length ?? 0 };
}

const SQLITE_TYPE: Record<string, string> = { bigint: 'INTEGER', integer: 'INTEGER', text: 'TEXT', 'double precision': 'REAL', bytea: 'BLOB' };

async function postgresSchema(client: pg.Client): Promise<Schema> {
  const { rows: columns } = await client.query<{ table: string; name: string; type: string; not_null: boolean; identity: boolean }>(`
    SELECT table_name AS table, column_name AS name, data_type AS type, is_nullable = 'NO' AS not_null, is_identity = 'YES' AS identity
    FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`);
  // Column names of a constraint's or index's attribute numbers, in order.
  const names = (rel: string, keys: string) => `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.i)`;
  const { rows: constraints } = await client.query<{ table: string; type: string; cols: string[]; ref: string | null; ref_cols: string[]; on_delete: string }>(`
    SELECT t.relname AS table, c.contype AS type, ${names('c.conrelid', 'c.conkey')} AS cols,
           r.relname AS ref, ${names('c.confrelid', 'c.confkey')} AS ref_cols, c.confdeltype AS on_delete
    FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
    LEFT JOIN pg_class r ON r.oid = c.confrelid
    WHERE ns.nspname = 'public'`);
  const { rows: indexes } = await client.query<{ table: string; unique: boolean; cols: string[] }>(`
    SELECT t.relname AS table, ix.indisunique AS unique, ${names('t.oid', 'ix.indkey::int2[]')} AS cols
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
    WHERE ns.nspname = 'public'`);

  const schema: Schema = {};
  for (const c of columns) {
    schema[c.table] ??= { columns: [], primaryKey: [], foreignKeys: [], indexes: [], checks: 0 };
    schema[c.table].columns.push({ name: c.name, type: SQLITE_TYPE[c.type] ?? c.type, notNull: c.not_null, autoId: c.identity });
  }
  for (const c of constraints) {
    const table = schema[c.table];
    if (c.type === 'p') table.primaryKey = c.cols;
    if (c.type === 'c') table.checks++;
    if (c.type === 'f') table.foreignKeys.push(`${list(c.cols)} -> ${c.ref}${list(c.ref_cols)} ${{ c: 'CASCADE', a: 'NO ACTION' }[c.on_delete] ?? c.on_delete}`);
  }
  for (const ix of indexes) schema[ix.table].indexes.push(`${ix.unique ? 'unique ' : ''}${list(ix.cols)}`);
  for (const table of Object.values(schema)) {
    table.foreignKeys.sort();
    table.indexes.sort();
  }
  return schema;
}

it('has one PostgreSQL migration per SQLite migration, same versions and names in order', () => {
  expect(POSTGRES_MIGRATIONS.map(({ version, name }) => ({ version, name }))).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
});

const skip = postgresSkipReason();

describe.skipIf(skip !== undefined)(`the PostgreSQL schema${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let drop: () => Promise<void>;
  let client: pg.Client;

  beforeAll(async () => {
    const db = await createTestDatabase(sharedPostgresUrl());
    drop = db.drop;
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    for (const m of POSTGRES_MIGRATIONS) {
      await client.query('BEGIN');
      await client.query(m.sql);
      await client.query('COMMIT');
    }
  });
  afterAll(async () => {
    await client?.end();
    await drop?.();
  });

  it('has the tables and columns of the SQLite schema, with the same keys, indexes and checks', async () => {
    const expected = sqliteSchema();
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    expect(await postgresSchema(client)).toEqual(expected);
  });

  it('makes only the 0/1 flags 32-bit integers; every other integer is a BIGINT', async () => {
    const { rows } = await client.query<{ column: string }>(`
      SELECT table_name || '.' || column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type = 'integer' ORDER BY 1`);
    expect(rows.map((r) => r.column)).toEqual(['social_indicators.higher_is_better', 'social_indicators.sample']);
  });

  it('cascades deletes where SQLite does, and assigns ids where SQLite assigns rowids', async () => {
    await client.query(`INSERT INTO sites (site, created_at) VALUES ('s', 'now')`);
    await client.query(`INSERT INTO cameras (site, camera, mqtt_username, password_hash, created_at) VALUES ('s', 'c', 'u', 'h', 'now')`);
    const { rows } = await client.query<{ id: string }>(`INSERT INTO scenes (site, camera, version, scene_json, valid_from) VALUES ('s', 'c', 1, '{}', 'now') RETURNING id`);
    await client.query(`INSERT INTO scene_lines (scene_id, line_id) VALUES ($1, 'l')`, [rows[0].id]);
    await client.query('DELETE FROM scenes WHERE id = $1', [rows[0].id]);
    expect((await client.query('SELECT * FROM scene_lines')).rows).toEqual([]);
    await expect(client.query(`INSERT INTO line_counts (batch_id, line_id, class, forward, backward) VALUES ('nope', 'l', 'person', 1, 0)`)).rejects.toThrow(/foreign key/);
  });
});
