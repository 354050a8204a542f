import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HubStore, MIGRATIONS, DEAD_LETTER_KEEP_BYTES } from './index.ts';
import { makeBatch, tempDir } from '../../test/fixtures.ts';

const at = new Date('2025-05-01T12:00:00Z');
let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

function freshStore(): HubStore {
  const dir = tempDir();
  const store = HubStore.open(join(dir.path, 'hub.sqlite'));
  cleanup.push(() => store.close(), dir.remove);
  store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
  return store;
}

describe('migrations', () => {
  it('bring a fresh file to the latest version, in WAL with foreign keys, and are not re-applied on reopen', () => {
    const dir = tempDir();
    cleanup.push(dir.remove);
    const path = join(dir.path, 'sub', 'hub.sqlite');
    const first = HubStore.open(path);
    expect(first.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = first.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    for (const t of ['sites', 'cameras', 'scenes', 'scene_lines', 'scene_zones', 'installations', 'count_bins', 'line_counts', 'zone_counts', 'zone_bins', 'flows', 'camera_status', 'dead_letters', 'api_tokens', 'audit_log']) {
      expect(tables).toContain(t);
    }
    first.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
    first.close();
    const again = HubStore.open(path);
    expect(again.db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    expect(again.cameras.get('park', 'cam1')?.mqttUsername).toBe('park/cam1');
    again.close();
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
  it('store a batch once with its normalised rows; the same batch again is a duplicate', () => {
    const store = freshStore();
    const batch = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [3, 1, 2, 0] }, zones: { z1: { entries: 4, exits: 2, personSeconds: 12.5, occupancyMax: 3 } } });
    expect(store.bins.insert(batch, at)).toEqual({ kind: 'stored' });
    expect(store.bins.insert(batch, at)).toEqual({ kind: 'duplicate', sameContent: true });
    // a restarted agent replaying its file numbers the same bin anew: still the same content
    expect(store.bins.insert({ ...batch, seq: 7 }, at)).toEqual({ kind: 'duplicate', sameContent: true });
    expect(store.bins.count()).toBe(1);
    const lines = store.db.prepare('SELECT line_id, class, forward, backward FROM line_counts ORDER BY class').all();
    expect(lines).toEqual([
      { line_id: 'l1', class: 'cyclist', forward: 1, backward: 0 },
      { line_id: 'l1', class: 'person', forward: 3, backward: 2 },
    ]);
    expect(store.db.prepare('SELECT SUM(entries) FROM zone_counts').pluck().get()).toBe(4);
    expect(store.db.prepare('SELECT person_seconds FROM zone_bins').pluck().get()).toBe(12.5);
    expect(store.bins.batches({ site: 'park', camera: 'cam1' })).toEqual([batch]);
  });

  it('keep the first copy when a batchId comes back with other counts, and say the content differs', () => {
    const store = freshStore();
    const first = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [3, 0, 0, 0] } });
    const other = { ...first, lines: { l1: { forward: { person: 9, cyclist: 0 }, backward: { person: 0, cyclist: 0 } } } };
    store.bins.insert(first, at);
    expect(store.bins.insert(other, at)).toEqual({ kind: 'duplicate', sameContent: false });
    expect(store.db.prepare('SELECT SUM(forward) FROM line_counts').pluck().get()).toBe(3);
  });

  it('refuse a batch of a camera that is not registered, leaving nothing half-written', () => {
    const store = freshStore();
    const stray = makeBatch({ camera: 'ghost', binStart: '2025-05-01T10:00:00Z', lines: { l1: [1, 0, 0, 0] } });
    expect(() => store.bins.insert(stray, at)).toThrow(/FOREIGN KEY/);
    expect(store.bins.count()).toBe(0);
    expect(store.db.prepare('SELECT COUNT(*) FROM line_counts').pluck().get()).toBe(0);
  });

  it('select a time range with `to` exclusive', () => {
    const store = freshStore();
    for (let m = 0; m < 5; m++) store.bins.insert(makeBatch({ seq: m, binStart: `2025-05-01T10:0${m}:00Z` }), at);
    const got = store.bins.batches({ site: 'park', camera: 'cam1', from: new Date('2025-05-01T10:01:00Z'), to: new Date('2025-05-01T10:03:00Z') });
    expect(got.map((b) => b.seq)).toEqual([1, 2]);
  });
});

describe('dead letters and audit', () => {
  it('keep the reason, the topic and only the first bytes of a big payload with its full size', () => {
    const store = freshStore();
    const payload = Buffer.alloc(DEAD_LETTER_KEEP_BYTES * 3, 0x61);
    store.deadLetters.add({ topic: 'byliv/v1/park/cam1/counts', reason: 'too big', payload, sender: 'park/cam1' }, at);
    const [letter] = store.deadLetters.list();
    expect(letter).toMatchObject({ topic: 'byliv/v1/park/cam1/counts', reason: 'too big', sender: 'park/cam1', size: DEAD_LETTER_KEEP_BYTES * 3 });
    expect(letter.payload.length).toBe(DEAD_LETTER_KEEP_BYTES);
  });

  it('amend a download entry with its row count', () => {
    const store = freshStore();
    const id = store.audit.add({ tokenId: null, role: 'researcher', action: 'export', detail: { site: 'park' } }, at);
    store.audit.amend(id, { rows: 12 });
    expect(store.audit.list()[0].detail).toEqual({ site: 'park', rows: 12 });
  });
});
