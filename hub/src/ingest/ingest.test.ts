import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsTopic, statusTopic } from '@byliv/protocol';
import type { HubStore } from '../store/index.ts';
import { Ingest, type IngestOutcome } from './ingest.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore, TEST_STORE } from '../../test/stores.ts';

const at = new Date('2025-05-01T12:00:00Z');
let store: HubStore;
let ingest: Ingest;
let dispose: () => Promise<void>;

beforeEach(async () => {
  ({ store, dispose } = await openTestStore());
  // Some tests close the store themselves; dispose() closes it again, which a PostgreSQL pool refuses.
  const close = store.close.bind(store);
  let closing: Promise<void> | undefined;
  store.close = () => (closing ??= close());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, at);
  await store.cameras.register({ site: 'park', camera: 'cam2', mqttUsername: 'park/cam2', passwordHash: 'x' }, at);
  ingest = new Ingest({ store, clock: () => at, maxPayloadBytes: 4096 });
});
afterEach(async () => {
  await dispose();
});

/** What the driver says when asked to use a store that is closed. */
const closedStoreError = TEST_STORE === 'sqlite' ? /database connection is not open/ : /Cannot use a pool after calling end on the pool/;

const good = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [2, 0, 1, 0] } });
const json = (x: unknown) => Buffer.from(JSON.stringify(x));
const counts = countsTopic('park', 'cam1');

describe('ingest', () => {
  const deadLetterCases: { name: string; topic: string; payload: Buffer; reason: RegExp }[] = [
    { name: 'malformed JSON', topic: counts, payload: Buffer.from('{"v":1,'), reason: /^payload is not JSON: / },
    { name: 'binary garbage', topic: counts, payload: Buffer.from([0xff, 0xfe, 0x00, 0x80]), reason: /not UTF-8/ },
    { name: 'empty payload (a cleared retained message)', topic: counts, payload: Buffer.alloc(0), reason: /not JSON/ },
    { name: 'schema violation, naming the field', topic: counts, payload: json({ ...good, seq: -1 }), reason: /not a valid CountBatch:\nseq: / },
    { name: 'an extra field (strict: a track list must never get in)', topic: counts, payload: json({ ...good, tracks: [[1, 2]] }), reason: /not a valid CountBatch:[\s\S]*tracks/ },
    { name: 'a status on the counts topic', topic: counts, payload: json({ v: 1, site: 'park', camera: 'cam1', state: 'online', at: at.toISOString() }), reason: /not a valid CountBatch/ },
    { name: 'wrong topic root', topic: 'byliv/v2/park/cam1/counts', payload: json(good), reason: /not a Byliv topic/ },
    { name: 'unknown topic kind', topic: 'byliv/v1/park/cam1/frames', payload: json(good), reason: /not a Byliv topic/ },
    { name: 'extra topic level', topic: 'byliv/v1/park/cam1/counts/x', payload: json(good), reason: /not a Byliv topic/ },
    { name: 'topic/payload mismatch', topic: countsTopic('park', 'cam2'), payload: json(good), reason: /payload is for park\/cam1 but was published on the topic of park\/cam2/ },
    { name: 'oversized', topic: counts, payload: Buffer.alloc(5000, 0x20), reason: /payload too large: 5000 bytes, the limit is 4096/ },
    { name: 'unregistered camera', topic: countsTopic('park', 'ghost'), payload: json({ ...good, camera: 'ghost' }), reason: /unregistered camera park\/ghost/ },
    { name: 'gap longer than the bin', topic: counts, payload: json({ ...good, quality: { ...good.quality, gapSeconds: 61 } }), reason: /gapSeconds \(61\) is longer than the bin/ },
    { name: 'invalid status', topic: statusTopic('park', 'cam1'), payload: json({ v: 1, site: 'park', camera: 'cam1', state: 'sleepy', at: at.toISOString() }), reason: /not a valid CameraStatus:\nstate/ },
  ];

  for (const c of deadLetterCases) {
    it(`sends ${c.name} to the dead letters with the reason and topic`, async () => {
      const outcome = await ingest.handle({ topic: c.topic, payload: c.payload, sender: 'park/cam1' });
      expect(outcome.kind).toBe('dead-letter');
      expect((outcome as { reason: string }).reason).toMatch(c.reason);
      const [letter] = await store.deadLetters.list();
      expect(letter.topic).toBe(c.topic);
      expect(letter.reason).toMatch(c.reason);
      expect(letter.sender).toBe('park/cam1');
      expect(letter.size).toBe(c.payload.length);
      expect(await store.bins.count()).toBe(0);
    });
  }

  it('stores a valid batch, then acknowledges and ignores the same batch as a duplicate', async () => {
    expect(await ingest.handle({ topic: counts, payload: json(good) })).toEqual({ kind: 'stored', batchId: good.batchId });
    expect(await ingest.handle({ topic: counts, payload: json(good) })).toEqual({ kind: 'duplicate', batchId: good.batchId, sameContent: true });
    expect(await store.bins.count()).toBe(1);
    expect(await store.deadLetters.count()).toBe(0);
  });

  it('keeps the first copy of a batchId resent with other counts, and leaves a dead letter saying so', async () => {
    await ingest.handle({ topic: counts, payload: json(good) });
    const changed = { ...good, lines: { l1: { forward: { person: 7, cyclist: 0 }, backward: { person: 0, cyclist: 0 } } } };
    expect(await ingest.handle({ topic: counts, payload: json(changed) })).toMatchObject({ kind: 'duplicate', sameContent: false });
    expect((await store.deadLetters.list())[0].reason).toMatch(/different counts: the first copy is kept/);
    expect((await store.bins.batches({ site: 'park' }))[0]).toEqual(good);
  });

  it('keeps a status once even when the retained copy is delivered again', async () => {
    const status = { v: 1, site: 'park', camera: 'cam1', state: 'online', at: at.toISOString(), outboxDepth: 3 };
    expect(await ingest.handle({ topic: statusTopic('park', 'cam1'), payload: json(status) })).toEqual({ kind: 'status', site: 'park', camera: 'cam1', kept: true });
    expect(await ingest.handle({ topic: statusTopic('park', 'cam1'), payload: json(status) })).toMatchObject({ kept: false });
    expect((await store.statuses.latest('park', 'cam1'))?.status.outboxDepth).toBe(3);
  });

  it('reports a store failure as failed (not acknowledged), without throwing', async () => {
    const outcomes: IngestOutcome[] = [];
    const watched = new Ingest({ store, clock: () => at, onOutcome: (o) => outcomes.push(o) });
    await store.close();
    const outcome = await watched.handle({ topic: counts, payload: json(good) });
    expect(outcome.kind).toBe('failed');
    expect((outcome as { error: Error }).error.message).toMatch(closedStoreError);
    // even the dead-letter path of a bad message fails cleanly
    expect((await watched.handle({ topic: counts, payload: Buffer.from('nope') })).kind).toBe('failed');
    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'failed']);
  });

  it('commits messages submitted in the same turn together, each with its own outcome, in order', async () => {
    const second = makeBatch({ seq: 1, binStart: '2025-05-01T10:01:00Z' });
    const outcomes = await Promise.all([
      ingest.submit({ topic: counts, payload: json(good) }),
      ingest.submit({ topic: counts, payload: Buffer.from('{') }),
      ingest.submit({ topic: counts, payload: json(good) }),
      ingest.submit({ topic: counts, payload: json(second) }),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['stored', 'dead-letter', 'duplicate', 'stored']);
    expect((await store.bins.batches({ site: 'park' })).map((b) => b.seq)).toEqual([0, 1]);
    expect(await store.deadLetters.count()).toBe(1);
  });

  it('answers failed for every message of a group whose store is gone', async () => {
    await store.close();
    const outcomes = await Promise.all([ingest.submit({ topic: counts, payload: json(good) }), ingest.submit({ topic: counts, payload: Buffer.from('x') })]);
    expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'failed']);
  });
});
