/**
 * Migration 7 (count bins keyed by camera) on a store that already holds bins: the old keys
 * (the bare batchId) become "site/camera/batchId" in count_bins and every table under it, so
 * a batch resent after the upgrade is still the duplicate it was, and nothing is orphaned.
 * SQLite by default; PostgreSQL with BYLIV_TEST_STORE=postgres.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { countsTopic } from '@byliv/protocol';
import { openDatabase } from './database.ts';
import { MIGRATIONS } from './migrations.ts';
import { POSTGRES_MIGRATIONS } from './migrations-postgres.ts';
import { migratePostgres, PostgresClient } from './postgres.ts';
import { SqliteClient, type SqlClient } from './sql.ts';
import { openStore, type HubStore } from './index.ts';
import { rawSql } from './testing.ts';
import { Ingest } from '../ingest/index.ts';
import { makeBatch, tempDir } from '../../test/fixtures.ts';
import { TEST_STORE } from '../../test/stores.ts';
import { createTestDatabase, sharedPostgresUrl } from '../../test/postgres.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A store migrated to version 6 only (the schema before this change), opened raw. */
async function storeAtVersion6(): Promise<{ location: { dataDir: string; database?: string }; sql: SqlClient }> {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  if (TEST_STORE === 'postgres') {
    const database = await createTestDatabase(sharedPostgresUrl());
    cleanups.push(() => database.drop());
    const pool = new pg.Pool({ connectionString: database.url });
    await migratePostgres(pool, 'test', POSTGRES_MIGRATIONS.slice(0, 6));
    return { location: { dataDir: dir.path, database: database.url }, sql: new PostgresClient(pool) };
  }
  const path = join(dir.path, 'hub.sqlite');
  return { location: { dataDir: dir.path }, sql: new SqliteClient(openDatabase(path, { migrations: MIGRATIONS.slice(0, 6) }), path) };
}

it('rewrites stored keys to the camera-scoped key, children included, and a resend stays a duplicate', async () => {
  const at = '2025-05-01T12:00:00Z';
  const old = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [4, 0, 2, 0] }, zones: { z1: { entries: 3, exits: 1 } } });
  const { location, sql } = await storeAtVersion6();
  // What the version-6 insert wrote: keyed by the bare batchId.
  await sql.run('INSERT INTO sites (site, name, created_at) VALUES (?, ?, ?)', ['park', null, at]);
  await sql.run('INSERT INTO cameras (site, camera, mqtt_username, password_hash, created_at) VALUES (?, ?, ?, ?, ?)', ['park', 'cam1', 'park/cam1', 'x', at]);
  await sql.run(
    `INSERT INTO count_bins (batch_id, site, camera, seq, bin_start, bin_start_ms, bin_seconds, frames_processed, frames_expected, gap_seconds, received_at, payload)
     VALUES (?, 'park', 'cam1', 0, ?, ?, 60, 600, 600, 0, ?, ?)`,
    [old.batchId, old.binStart, Date.parse(old.binStart), at, JSON.stringify(old)],
  );
  await sql.run("INSERT INTO line_counts (batch_id, line_id, class, forward, backward) VALUES (?, 'l1', 'person', 4, 2), (?, 'l1', 'cyclist', 0, 0)", [old.batchId, old.batchId]);
  await sql.run("INSERT INTO zone_counts (batch_id, zone_id, class, entries, exits) VALUES (?, 'z1', 'person', 3, 1), (?, 'z1', 'cyclist', 0, 0)", [old.batchId, old.batchId]);
  await sql.run("INSERT INTO zone_bins (batch_id, zone_id, person_seconds, occupancy_max, occupancy_mean, dwell_histogram) VALUES (?, 'z1', 0, 0, 0, ?)", [old.batchId, JSON.stringify(old.zones.z1.dwellHistogram)]);
  await sql.run("INSERT INTO flows (batch_id, from_zone, to_zone, count) VALUES (?, 'z1', 'z2', 2)", [old.batchId]);
  await sql.close();

  const store: HubStore = await openStore(location);
  cleanups.push(() => store.close());
  const key = `park/cam1/${old.batchId}`;
  const raw = rawSql(store);
  expect(await raw.all('SELECT batch_id FROM count_bins')).toEqual([{ batch_id: key }]);
  for (const table of ['line_counts', 'zone_counts', 'zone_bins', 'flows']) {
    expect(await raw.all(`SELECT DISTINCT batch_id FROM ${table}`), table).toEqual([{ batch_id: key }]);
  }
  expect(await store.bins.batches({ site: 'park' })).toEqual([old]);
  const rows = await store.bins.cameraRows('park', 'cam1', Date.parse(old.binStart), Date.parse(old.binStart) + 60_000, 'all');
  expect(rows.lines.map((l) => [l.id, l.forward, l.backward])).toEqual([['l1', 4, 2]]);

  const ingest = new Ingest({ store });
  const topic = countsTopic('park', 'cam1');
  expect(await ingest.handle({ topic, payload: Buffer.from(JSON.stringify(old)) })).toEqual({ kind: 'duplicate', batchId: old.batchId, sameContent: true });
  expect(await store.bins.count()).toBe(1);
  // The foreign keys still hold: deleting the bin takes its rows with it.
  await raw.run('DELETE FROM count_bins WHERE batch_id = ?', [key]);
  for (const table of ['line_counts', 'zone_counts', 'zone_bins', 'flows']) expect(await raw.all(`SELECT 1 FROM ${table}`), table).toEqual([]);
});
