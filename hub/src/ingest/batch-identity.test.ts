/**
 * Whose batch it is (issue 15 rows 1, 2 and 14): the dedup key is (site, camera, batchId) of
 * the authenticated camera, a partial bin gives way to the complete one, and a batch with a
 * prototype key or an impossible binStart is a dead letter. Runs on SQLite and, with
 * BYLIV_TEST_STORE=postgres, on PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsTopic, summarizeBatches, type CountBatch } from '@byliv/protocol';
import type { HubStore } from '../store/index.ts';
import { Ingest } from './ingest.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

const at = new Date('2025-05-01T12:00:00Z');
let store: HubStore;
let ingest: Ingest;
let dispose: () => Promise<void>;

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
  await store.cameras.register({ site: 'park', camera: 'cam2', mqttUsername: 'park/cam2', passwordHash: 'x' }, at);
  ingest = new Ingest({ store, clock: () => at });
});
afterEach(async () => {
  await dispose();
});

const json = (x: unknown) => Buffer.from(JSON.stringify(x));
const fromCam = (camera: 'cam1' | 'cam2', batch: unknown, sender = `park/${camera}`) => ingest.handle({ topic: countsTopic('park', camera), payload: json(batch), sender });
const letters = async () => (await store.deadLetters.list()).map((l) => l.reason);

describe('the dedup key is the authenticated camera’s', () => {
  const a = [0, 1, 2].map((i) => makeBatch({ seq: i, binStart: `2025-05-01T10:0${i}:00Z`, lines: { l1: [i + 3, 0, 1, 0] } }));

  it("camera B taking camera A's next batchIds on its own topic does not drop A's batches", async () => {
    // B sends, as its own, batches carrying the ids A is about to use (predictable for file runs).
    for (const [i, mine] of a.entries()) {
      const squatter = makeBatch({ camera: 'cam2', seq: i, binStart: mine.binStart, lines: { l1: [0, 0, 0, 0] } });
      expect(await fromCam('cam2', { ...squatter, batchId: mine.batchId })).toMatchObject({ kind: 'stored' });
    }
    for (const mine of a) expect(await fromCam('cam1', mine)).toEqual({ kind: 'stored', batchId: mine.batchId });

    expect(await store.bins.batches({ site: 'park', camera: 'cam1' })).toEqual(a);
    expect(await store.bins.batches({ site: 'park', camera: 'cam2' })).toHaveLength(3);
    expect(await letters()).toEqual([]);
    // And A's own resend is still the harmless duplicate it always was.
    expect(await fromCam('cam1', a[0])).toEqual({ kind: 'duplicate', batchId: a[0].batchId, sameContent: true });
  });

  it("B's payload naming A is refused on B's topic, and on A's topic under B's account", async () => {
    const forged = makeBatch({ seq: 9, binStart: '2025-05-01T10:09:00Z', lines: { l1: [50, 0, 0, 0] } });
    expect(await fromCam('cam2', forged)).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(/payload is for park\/cam1 but was published on the topic of park\/cam2/) });
    expect(await fromCam('cam1', forged, 'park/cam2')).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(/published by the account "park\/cam2", which is not the account of park\/cam1/) });
    expect(await store.bins.count()).toBe(0);
    expect(await letters()).toHaveLength(2);
  });

  it('explains an id the same camera sent again with other content', async () => {
    await fromCam('cam1', a[0]);
    const other = { ...a[1], batchId: a[0].batchId };
    expect(await fromCam('cam1', other)).toMatchObject({ kind: 'duplicate', sameContent: false });
    expect((await letters())[0]).toMatch(/duplicate batchId "park\/cam1\/2025-05-01T10:00:00Z" from park\/cam1 with different counts: the first copy is kept\. This camera already sent this id/);
    expect(await store.bins.batches({ site: 'park', camera: 'cam1' })).toEqual([a[0]]);
  });
});

describe('a partial bin gives way to the complete one', () => {
  const complete = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [9, 1, 4, 0] }, zones: { z1: { entries: 3, exits: 2, personSeconds: 80 } }, framesProcessed: 600 });
  const partialOf = (frames: number, forward: number): CountBatch => ({
    ...makeBatch({ binStart: complete.binStart, lines: { l1: [forward, 0, 1, 0] }, zones: { z1: { entries: 1 } }, framesProcessed: frames, gapSeconds: 60 - frames / 10 }),
    partial: true,
  });

  it('replaces a stored partial batch by the complete one with the same id, rows and all', async () => {
    const partial = partialOf(250, 3);
    expect(await fromCam('cam1', partial)).toEqual({ kind: 'stored', batchId: partial.batchId });
    expect(await fromCam('cam1', complete)).toEqual({ kind: 'superseded', batchId: complete.batchId });
    expect(await store.bins.batches({ site: 'park' })).toEqual([complete]);
    expect(await store.bins.count()).toBe(1);
    // The normalised rows are the complete batch's alone (the partial's went with its row).
    const rows = await store.bins.cameraRows('park', 'cam1', Date.parse(complete.binStart), Date.parse(complete.binStart) + 60_000, 'all');
    expect(rows.lines.map((l) => [l.forward, l.backward])).toEqual([[10, 4]]);
    expect(rows.zoneCounts.map((z) => z.entries)).toEqual([3]);
    expect(await letters()).toEqual([]);
  });

  it('acknowledges and ignores a partial batch after the complete one, without a dead letter', async () => {
    await fromCam('cam1', complete);
    expect(await fromCam('cam1', partialOf(250, 3))).toEqual({ kind: 'duplicate', batchId: complete.batchId, sameContent: false, lessComplete: true });
    expect(await store.bins.batches({ site: 'park' })).toEqual([complete]);
    expect(await letters()).toEqual([]);
  });

  it('keeps, of two partial batches, the one that saw more of the bin', async () => {
    await fromCam('cam1', partialOf(250, 3));
    expect(await fromCam('cam1', partialOf(400, 5))).toMatchObject({ kind: 'superseded' });
    expect(await fromCam('cam1', partialOf(100, 1))).toMatchObject({ kind: 'duplicate', lessComplete: true });
    expect((await store.bins.batches({ site: 'park' })).map((b) => b.quality.framesProcessed)).toEqual([400]);
    expect(summarizeBatches(await store.bins.batches({ site: 'park' })).lines.l1.forward).toBe(5);
  });

  it('never lets a complete batch be replaced: two complete ones with one id are the old conflict', async () => {
    await fromCam('cam1', complete);
    const other = makeBatch({ binStart: complete.binStart, lines: { l1: [1, 0, 0, 0] }, framesProcessed: 700 });
    expect(await fromCam('cam1', other)).toMatchObject({ kind: 'duplicate', sameContent: false });
    expect(await store.bins.batches({ site: 'park' })).toEqual([complete]);
    expect(await letters()).toHaveLength(1);
  });
});

describe('any schema error in a batch is a dead letter', () => {
  const good = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [2, 0, 1, 0] }, zones: { z1: { entries: 4 } } });
  const line = { forward: { person: 5, cyclist: 0 }, backward: { person: 0, cyclist: 0 } };

  it('refuses a "__proto__" key in lines and zones rather than dropping its counts', async () => {
    for (const field of ['lines', 'zones']) {
      const text = JSON.stringify(good).replace(`"${field}":{`, `"${field}":{"__proto__":${JSON.stringify(field === 'lines' ? line : good.zones.z1)},`);
      const outcome = await ingest.handle({ topic: countsTopic('park', 'cam1'), payload: Buffer.from(text), sender: 'park/cam1' });
      expect(outcome).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(new RegExp(`not a valid CountBatch:\\n${field}\\.__proto__: key "__proto__" is not allowed`)) });
    }
    expect(await fromCam('cam1', { ...good, lines: { constructor: line } })).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(/lines\.constructor/) });
    expect(await store.bins.count()).toBe(0);
  });

  it('refuses a binStart outside the years 1900 to 2100', async () => {
    for (const binStart of ['9999-12-31T00:00:00Z', '1899-12-31T23:59:59Z', '2100-12-31T23:00:00-02:00']) {
      expect(await fromCam('cam1', { ...good, binStart }), binStart).toMatchObject({ kind: 'dead-letter', reason: expect.stringMatching(/binStart: must be an instant in the years 1900 to 2100/) });
    }
    expect(await fromCam('cam1', { ...good, binStart: '2100-12-31T23:00:00Z' })).toMatchObject({ kind: 'stored' });
    expect(await store.bins.count()).toBe(1);
  });
});
