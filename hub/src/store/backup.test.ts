/**
 * HubStore.backup: SQLite's online backup of a store that keeps taking batches; on PostgreSQL,
 * the pg_dump guidance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binKey } from './batches.ts';
import { HubStore } from './index.ts';
import { rawSql } from './testing.ts';
import { makeBatch, tempDir } from '../../test/fixtures.ts';
import { openTestStore, TEST_STORE } from '../../test/stores.ts';

const at = new Date('2025-05-01T12:00:00Z');
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function freshStore(): Promise<HubStore> {
  const { store, dispose } = await openTestStore();
  cleanup.push(dispose);
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
  return store;
}

const bin = (i: number) =>
  makeBatch({
    seq: i,
    binStart: new Date(Date.parse('2025-05-01T00:00:00Z') + i * 60_000).toISOString(),
    lines: { l1: [i % 7, i % 3, i % 5, 0] },
    zones: { z1: { entries: i % 4, exits: i % 4, personSeconds: (i % 9) * 1.5, occupancyMax: i % 3 } },
  });

/** Every row of the count tables, in a fixed order, for comparing two stores. */
async function rows(store: HubStore, batchIds?: Set<string>) {
  const sql = rawSql(store);
  const keep = <T extends { batch_id: string }>(list: T[]) => (batchIds ? list.filter((r) => batchIds.has(r.batch_id)) : list);
  return {
    bins: keep(await sql.all<{ batch_id: string }>('SELECT batch_id, site, camera, seq, bin_start_ms, gap_seconds, payload FROM count_bins ORDER BY batch_id')),
    lines: keep(await sql.all<{ batch_id: string }>('SELECT * FROM line_counts ORDER BY batch_id, line_id, class')),
    zoneCounts: keep(await sql.all<{ batch_id: string }>('SELECT * FROM zone_counts ORDER BY batch_id, zone_id, class')),
    zoneBins: keep(await sql.all<{ batch_id: string }>('SELECT * FROM zone_bins ORDER BY batch_id, zone_id')),
  };
}

describe.skipIf(TEST_STORE !== 'sqlite')('backup of the SQLite store', () => {
  it('copies a live store while batches keep arriving: the copy opens, is intact, and holds whole batches up to a point', async () => {
    const store = await freshStore();
    for (let i = 0; i < 300; i++) await store.bins.insert(bin(i), at);
    const dir = tempDir();
    cleanup.push(dir.remove);
    const file = join(dir.path, 'backups', 'hub-copy.sqlite');

    let writing = true;
    const writer = (async () => {
      let i = 300;
      while (writing) {
        await store.bins.insert(bin(i++), at);
        // as MQTT messages come: each in its own turn of the event loop
        await new Promise((resolve) => setImmediate(resolve));
      }
      return i - 300;
    })();
    const result = await store.backup(file);
    writing = false;
    const written = await writer;
    expect(written).toBeGreaterThan(0);
    expect(result.file).toBe(file);
    expect(result.bytes).toBeGreaterThan(0);
    expect(existsSync(`${file}.partial`)).toBe(false);

    const copy = HubStore.open(file);
    try {
      expect(await rawSql(copy).get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
      const ids = new Set((await rawSql(copy).all<{ batch_id: string }>('SELECT batch_id FROM count_bins')).map((r) => r.batch_id));
      // a prefix of what was inserted, in order: one consistent moment
      expect(ids.size).toBeGreaterThanOrEqual(300);
      expect([...ids].sort()).toEqual(Array.from({ length: ids.size }, (_, i) => bin(i)).map((b) => binKey(b.site, b.camera, b.batchId)).sort());
      // each batch whole, the same rows as in the store
      expect(await rows(copy)).toEqual(await rows(store, ids));
      expect(await copy.cameras.get('park', 'cam1')).toMatchObject({ mqttUsername: 'park/cam1' });
    } finally {
      await copy.close();
    }

    // a quiet store copies completely
    const again = join(dir.path, 'quiet.sqlite');
    await store.backup(again);
    const quiet = HubStore.open(again);
    try {
      expect(await rows(quiet)).toEqual(await rows(store));
      expect(await quiet.bins.count()).toBe(300 + written);
    } finally {
      await quiet.close();
    }
  });

  it('never writes over an existing file, nor over the store itself', async () => {
    const { store, dispose } = await openTestStore();
    cleanup.push(dispose);
    const dir = tempDir();
    cleanup.push(dir.remove);
    const file = join(dir.path, 'taken.sqlite');
    writeFileSync(file, 'precious');
    await expect(store.backup(file)).rejects.toThrow(/exists: a backup is written to a new file/);
    await expect(store.backup(store.location)).rejects.toThrow(/exists/);
  });
});

describe.skipIf(TEST_STORE !== 'postgres')('backup of the PostgreSQL store', () => {
  it('says how to use pg_dump and pg_restore instead, naming the database', async () => {
    const store = await freshStore();
    const error = await store.backup('/tmp/never-written.sqlite').catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/pg_dump --format=custom --file=/);
    expect((error as Error).message).toMatch(/pg_restore/);
    expect((error as Error).message).toContain(store.location);
    expect(existsSync('/tmp/never-written.sqlite')).toBe(false);
  });
});
