import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HubStore, MIGRATIONS, DEAD_LETTER_KEEP_BYTES } from './index.ts';
import { rawSql } from './testing.ts';
import { makeBatch, tempDir } from '../../test/fixtures.ts';
import { openTestStore, TEST_STORE } from '../../test/stores.ts';

const at = new Date('2025-05-01T12:00:00Z');
let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup) await f();
  cleanup = [];
});

async function freshStore(): Promise<HubStore> {
  const { store, dispose } = await openTestStore();
  cleanup.push(dispose);
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
  return store;
}

const one = async <T>(store: HubStore, sql: string): Promise<T> => Object.values((await rawSql(store).get<Record<string, T>>(sql))!)[0];

describe.skipIf(TEST_STORE !== 'sqlite')('SQLite migrations', () => {
  it('bring a fresh file to the latest version, in WAL with foreign keys, and are not re-applied on reopen', async () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const path = join(dir.path, 'sub', 'hub.sqlite');
    const first = HubStore.open(path);
    expect(await one(first, 'PRAGMA user_version')).toBe(MIGRATIONS.length);
    expect(await one(first, 'PRAGMA journal_mode')).toBe('wal');
    expect(await one(first, 'PRAGMA foreign_keys')).toBe(1);
    const tables = (await rawSql(first).all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    for (const t of ['sites', 'cameras', 'scenes', 'scene_lines', 'scene_zones', 'installations', 'count_bins', 'line_counts', 'zone_counts', 'zone_bins', 'flows', 'camera_status', 'dead_letters', 'api_tokens', 'audit_log']) {
      expect(tables).toContain(t);
    }
    await first.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
    await first.close();
    const again = HubStore.open(path);
    expect(await one(again, 'SELECT COUNT(*) FROM schema_migrations')).toBe(MIGRATIONS.length);
    expect((await again.cameras.get('park', 'cam1'))?.mqttUsername).toBe('park/cam1');
    await again.close();
  });

  it('refuse a file written by a newer hub, naming the file and both versions', () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const path = join(dir.path, 'hub.sqlite');
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => HubStore.open(path)).toThrow(new RegExp(`${path}.*schema version ${MIGRATIONS.length + 1}.*\\(${MIGRATIONS.length}\\)`));
  });
});

describe('count bins', () => {
  it('store a batch once with its normalised rows; the same batch again is a duplicate', async () => {
    const store = await freshStore();
    const batch = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [3, 1, 2, 0] }, zones: { z1: { entries: 4, exits: 2, personSeconds: 12.5, occupancyMax: 3 } } });
    expect(await store.bins.insert(batch, at)).toEqual({ kind: 'stored' });
    expect(await store.bins.insert(batch, at)).toEqual({ kind: 'duplicate', sameContent: true });
    // a restarted agent replaying its file numbers the same bin anew: still the same content
    expect(await store.bins.insert({ ...batch, seq: 7 }, at)).toEqual({ kind: 'duplicate', sameContent: true });
    expect(await store.bins.count()).toBe(1);
    const lines = await rawSql(store).all('SELECT line_id, class, forward, backward FROM line_counts ORDER BY class');
    expect(lines).toEqual([
      { line_id: 'l1', class: 'cyclist', forward: 1, backward: 0 },
      { line_id: 'l1', class: 'person', forward: 3, backward: 2 },
    ]);
    expect(await one(store, 'SELECT SUM(entries) FROM zone_counts')).toBe(4);
    expect(await one(store, 'SELECT person_seconds FROM zone_bins')).toBe(12.5);
    expect(await store.bins.batches({ site: 'park', camera: 'cam1' })).toEqual([batch]);
  });

  it('keep the first copy when a batchId comes back with other counts, and say the content differs', async () => {
    const store = await freshStore();
    const first = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [3, 0, 0, 0] } });
    const other = { ...first, lines: { l1: { forward: { person: 9, cyclist: 0 }, backward: { person: 0, cyclist: 0 } } } };
    await store.bins.insert(first, at);
    expect(await store.bins.insert(other, at)).toEqual({ kind: 'duplicate', sameContent: false });
    expect(await one(store, 'SELECT SUM(forward) FROM line_counts')).toBe(3);
  });

  it('refuse a batch of a camera that is not registered, leaving nothing half-written', async () => {
    const store = await freshStore();
    const stray = makeBatch({ camera: 'ghost', binStart: '2025-05-01T10:00:00Z', lines: { l1: [1, 0, 0, 0] } });
    await expect(store.bins.insert(stray, at)).rejects.toThrow(/FOREIGN KEY|foreign key/);
    expect(await store.bins.count()).toBe(0);
    expect(await one(store, 'SELECT COUNT(*) FROM line_counts')).toBe(0);
  });

  it('select a time range with `to` exclusive', async () => {
    const store = await freshStore();
    for (let m = 0; m < 5; m++) await store.bins.insert(makeBatch({ seq: m, binStart: `2025-05-01T10:0${m}:00Z` }), at);
    const got = await store.bins.batches({ site: 'park', camera: 'cam1', from: new Date('2025-05-01T10:01:00Z'), to: new Date('2025-05-01T10:03:00Z') });
    expect(got.map((b) => b.seq)).toEqual([1, 2]);
  });
});

describe('dead letters and audit', () => {
  it('keep the reason, the topic and only the first bytes of a big payload with its full size', async () => {
    const store = await freshStore();
    const payload = Buffer.alloc(DEAD_LETTER_KEEP_BYTES * 3, 0x61);
    await store.deadLetters.add({ topic: 'byliv/v1/park/cam1/counts', reason: 'too big', payload, sender: 'park/cam1' }, at);
    const [letter] = await store.deadLetters.list();
    expect(letter).toMatchObject({ topic: 'byliv/v1/park/cam1/counts', reason: 'too big', sender: 'park/cam1', size: DEAD_LETTER_KEEP_BYTES * 3 });
    expect(letter.payload.length).toBe(DEAD_LETTER_KEEP_BYTES);
  });

  it('amend a download entry with its row count', async () => {
    const store = await freshStore();
    const id = await store.audit.add({ tokenId: null, role: 'researcher', action: 'export', detail: { site: 'park' } }, at);
    await store.audit.amend(id, { rows: 12 });
    expect((await store.audit.list())[0].detail).toEqual({ site: 'park', rows: 12 });
  });
});

describe('the SQL client', () => {
  it('keeps other callers out of a transaction while it awaits, and rolls back what a failed one wrote', async () => {
    const store = await freshStore();
    const sql = rawSql(store);
    const order: string[] = [];
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const tx = sql.transaction(async (t) => {
      await t.run("INSERT INTO sites (site, name, created_at) VALUES ('a', NULL, 'x')");
      order.push('tx wrote');
      wrote();
      await new Promise((r) => setTimeout(r, 30));
      order.push('tx ends');
      throw new Error('give up');
    });
    // Starts while the transaction is open: must not see its row, nor run inside it.
    await written;
    const outside = sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM sites WHERE site = 'a'").then((r) => {
      order.push('outside read');
      return r!.n;
    });
    await expect(tx).rejects.toThrow('give up');
    expect(await outside).toBe(0);
    // SQLite has one connection: the read waits for the transaction. PostgreSQL reads on another one meanwhile.
    if (TEST_STORE === 'sqlite') expect(order).toEqual(['tx wrote', 'tx ends', 'outside read']);
    expect(await one(store, "SELECT COUNT(*) FROM sites WHERE site = 'a'")).toBe(0);
  });

  it('streams a long read row by row and releases it when the loop ends early', async () => {
    const store = await freshStore();
    for (let m = 0; m < 20; m++) await store.bins.insert(makeBatch({ seq: m, binStart: `2025-05-01T10:${String(m).padStart(2, '0')}:00Z`, lines: { l1: [m, 0, 0, 0] } }), at);
    const got: number[] = [];
    for await (const row of rawSql(store).stream<{ seq: number }>('SELECT seq FROM count_bins ORDER BY seq')) {
      got.push(row.seq);
      if (got.length === 5) break;
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
    // the store is still usable for writes after the early end
    await store.bins.insert(makeBatch({ seq: 99, binStart: '2025-05-01T11:00:00Z' }), at);
    expect(await store.bins.count()).toBe(21);
  });
});
