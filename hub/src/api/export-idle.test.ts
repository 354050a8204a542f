/**
 * Issue 15 row 9: exports opened and never read kept their read transaction open, so WAL
 * checkpoints stopped and the WAL grew. A client that reads nothing for the idle timeout is
 * cut off, its read ends, and the WAL is checkpointed whole again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HubStore } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { createApi } from './app.ts';
import { tempDir } from '../../test/fixtures.ts';
import { serveApi, type ServedApi } from '../../test/http.ts';
import { LOAD_SITE, loadBatch, seedLoad } from '../../test/load-data.ts';

const DAYS = 60;
const IDLE_MS = 500;
let dir: ReturnType<typeof tempDir>;
let store: HubStore;
let served: ServedApi;
let token: string;

beforeEach(async () => {
  dir = tempDir();
  store = HubStore.open(join(dir.path, 'hub.sqlite'), { synchronous: 'NORMAL', checkpointEveryMs: 0 });
  await seedLoad(store, { cameras: 1, days: DAYS });
  // A planner's 15-minute export: the biggest there is (researchers get whole hours and longer).
  token = newApiToken();
  await store.tokens.add({ role: 'planner', tokenHash: tokenHash(token), label: 'idle' }, new Date());
  served = await serveApi(createApi({ store, exportIdleTimeoutMs: IDLE_MS }));
});

afterEach(async () => {
  await served.close();
  await store.close();
  dir.remove();
});

/** Opens an export and reads nothing (the response stays paused). */
function openUnread(): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = get(`${served.url}/api/v1/export?site=${LOAD_SITE}&rollup=15m&format=csv`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.pause();
      resolve(res);
    });
    req.once('error', reject);
  });
}

/** Reads the rest of a response: whether it arrived complete, within `ms`. */
function readRest(res: IncomingMessage, ms: number): Promise<'complete' | 'cut off' | 'still open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still open'), ms);
    res.on('data', () => undefined);
    res.once('error', () => undefined);
    res.once('close', () => {
      clearTimeout(timer);
      resolve(res.complete ? 'complete' : 'cut off');
    });
    res.resume();
  });
}

describe('exports whose client stops reading (issue 15 row 9)', () => {
  it('are closed after the idle timeout, and the WAL is checkpointed whole afterwards', async () => {
    const exports = await Promise.all(Array.from({ length: 3 }, openUnread));
    expect(exports.map((res) => res.statusCode)).toEqual([200, 200, 200]);
    // ingest goes on while they sit there
    await store.bins.insertMany(Array.from({ length: 200 }, (_, k) => loadBatch('cam0', DAYS * 96 + k)), new Date());

    await new Promise((r) => setTimeout(r, IDLE_MS + 1000));

    const db = new Database(join(dir.path, 'hub.sqlite'));
    try {
      const [wal] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
      expect(wal.log).toBeGreaterThan(0);
      // every frame written while the exports were open made it into the database file
      expect(wal.checkpointed).toBe(wal.log);
    } finally {
      db.close();
    }
    // each download is in the audit log as cut off, not complete
    const audit = (await store.audit.list()).filter((a) => a.action === 'export');
    expect(audit).toHaveLength(3);
    for (const a of audit) expect(a.detail).toMatchObject({ complete: false });
    // and a client that reads again finds its download cut off, not resumed
    expect(await Promise.all(exports.map((res) => readRest(res, 5000)))).toEqual(['cut off', 'cut off', 'cut off']);
  }, 60_000);
});
