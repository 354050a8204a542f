/**
 * Fuzzing the embedded broker with ~200 seeded random bad messages over real MQTT: mutated
 * batches, truncated JSON, random bytes, oversized payloads, statuses that are not, and
 * topics the camera does not own. The hub must keep answering, every bad message must be a
 * dead letter (with its topic), and the valid batches mixed in must all be stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countsTopic, statusTopic } from '@byliv/protocol';
import type { MqttClient } from 'mqtt';
import { createHub, type Hub } from '../../src/app.ts';
import { addCamera } from '../../src/admin.ts';
import { DEAD_LETTER_FLOOD_LIMITS } from '../../src/ingest/index.ts';
import { makeBatch } from '../fixtures.ts';
import { connectClient, publishOutcome } from '../mqtt.ts';
import { testStoreLocation } from '../stores.ts';

/** mulberry32: the same seed gives the same cases, so a failure can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}

const SEED = Number(process.env.BYLIV_FUZZ_SEED ?? 20250501);
const MAX_PAYLOAD = 8 * 1024;
const OWN = countsTopic('park', 'cam1');

interface Case {
  name: string;
  topic: string;
  payload: Buffer;
  /** valid: must be stored; bad: a dead letter, acked; foreign: a dead letter, connection closed */
  expect: 'valid' | 'bad' | 'foreign';
}

function makeCases(count: number): Case[] {
  const r = prng(SEED);
  const validBatch = (i: number) => makeBatch({ seq: i, binStart: new Date(Date.UTC(2025, 4, 1, 0, i)).toISOString(), lines: { l1: [r.int(9), r.int(3), r.int(9), 0] }, zones: { z1: { entries: r.int(5), personSeconds: r.int(100) / 4 } } });
  const wrongTyped: Record<string, unknown[]> = {
    v: [2, '1', null, 0],
    batchId: [7, null, '', {}, 'x'.repeat(201)],
    site: ['a/b', 'has space', '', 5, '+'],
    camera: ['#', '', null, 'é'],
    seq: [-1, 1.5, '3', null],
    binStart: ['yesterday', 1746057600000, '2025-13-01T00:00:00Z', null],
    binSeconds: [0, -60, 1.5, 86_401, '60'],
    lines: ['x', 5, null, true],
    zones: ['x', 5, null, true],
    flows: [{}, 'x', [{ from: 'a', to: 'b', count: 0 }]],
    quality: [null, {}, { framesProcessed: -1, framesExpected: 1, gapSeconds: 0 }],
  };
  const junkChars = 'abcXYZ019_-./ æøå✓\u00a0\u2028{}[]":,';
  const randomText = (n: number) => Array.from({ length: n }, () => r.pick([...junkChars])).join('');
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    const base = validBatch(1000 + i) as unknown as Record<string, unknown>;
    const kind = r.int(10);
    if (kind === 0) {
      cases.push({ name: 'valid batch', topic: OWN, payload: Buffer.from(JSON.stringify(validBatch(i))), expect: 'valid' });
    } else if (kind === 1) {
      const key = r.pick(Object.keys(wrongTyped));
      const copy = { ...base };
      delete copy[key];
      cases.push({ name: `missing ${key}`, topic: OWN, payload: Buffer.from(JSON.stringify(copy)), expect: 'bad' });
    } else if (kind === 2) {
      const key = r.pick(Object.keys(wrongTyped));
      cases.push({ name: `bad ${key}`, topic: OWN, payload: Buffer.from(JSON.stringify({ ...base, [key]: r.pick(wrongTyped[key]) })), expect: 'bad' });
    } else if (kind === 3) {
      const extra = `x_${randomText(1 + r.int(8))}`;
      cases.push({ name: 'unknown field', topic: OWN, payload: Buffer.from(JSON.stringify({ ...base, [extra]: r.pick([1, 'tracks', [[1, 2]], null]) })), expect: 'bad' });
    } else if (kind === 4) {
      const text = JSON.stringify(base);
      cases.push({ name: 'truncated JSON', topic: OWN, payload: Buffer.from(text.slice(0, r.int(text.length))), expect: 'bad' });
    } else if (kind === 5) {
      const bytes = Buffer.from(Array.from({ length: 1 + r.int(400) }, () => r.int(256)));
      cases.push({ name: 'random bytes', topic: r.pick([OWN, statusTopic('park', 'cam1')]), payload: bytes, expect: 'bad' });
    } else if (kind === 6) {
      cases.push({ name: 'oversized', topic: OWN, payload: Buffer.alloc(MAX_PAYLOAD + 1 + r.int(MAX_PAYLOAD * 2), 0x20), expect: 'bad' });
    } else if (kind === 7) {
      const lie = r.pick([{ ...base, site: 'elsewhere' }, { ...base, camera: 'cam2' }, { ...base, quality: { framesProcessed: 1, framesExpected: 1, gapSeconds: 61 } }]);
      cases.push({ name: 'payload/topic mismatch or impossible gap', topic: OWN, payload: Buffer.from(JSON.stringify(lie)), expect: 'bad' });
    } else if (kind === 8) {
      const payload = r.pick([JSON.stringify(base), JSON.stringify({ v: 1, site: 'park', camera: 'cam1', state: randomText(5), at: 'now' }), randomText(r.int(50))]);
      cases.push({ name: 'not a status', topic: statusTopic('park', 'cam1'), payload: Buffer.from(payload), expect: 'bad' });
    } else {
      const topic = r.pick([
        countsTopic('park', 'cam2'),
        statusTopic('elsewhere', 'cam1'),
        `${OWN}/${randomText(1 + r.int(5)).replace(/\//g, '')}`,
        'byliv/v1/park/cam1',
        `$SYS/${randomText(3)}`,
        randomText(1 + r.int(30)),
        Array.from({ length: 1 + r.int(90) }, () => 'x').join('/'),
      ]);
      cases.push({ name: `foreign topic ${JSON.stringify(topic.slice(0, 40))}`, topic, payload: Buffer.from(JSON.stringify(base)), expect: 'foreign' });
    }
  }
  return cases;
}

let hub: Hub;
let location: Awaited<ReturnType<typeof testStoreLocation>>;
let url: string;
let httpPort: number;
let creds: { username: string; password: string };

beforeAll(async () => {
  location = await testStoreLocation();
  hub = createHub({
    dataDir: location.dataDir,
    database: location.database,
    mqttPort: 0,
    httpPort: 0,
    mqttHost: '127.0.0.1',
    httpHost: '127.0.0.1',
    maxPayloadBytes: MAX_PAYLOAD,
    // Every bad message is checked for its own dead letter: none may be left to a flood report (ingest/flood.test.ts covers those).
    deadLetterFloods: { ...DEAD_LETTER_FLOOD_LIMITS, keepPerWindow: 10_000 },
  });
  const ports = await hub.start();
  creds = await addCamera(hub.store, 'park', 'cam1');
  await addCamera(hub.store, 'park', 'cam2');
  url = `mqtt://127.0.0.1:${ports.mqttPort}`;
  httpPort = ports.httpPort;
});
afterAll(async () => {
  await hub?.stop();
  await location?.dispose();
});

describe(`fuzzing the embedded broker (seed ${SEED}; BYLIV_FUZZ_SEED replays another)`, () => {
  it('keeps running; every bad message is a dead letter with its topic; every valid batch is stored', async () => {
    const cases = makeCases(200);
    let client: MqttClient = await connectClient(url, creds);
    const sentBad: string[] = [];
    for (const c of cases) {
      if (c.expect === 'foreign') {
        const once = await connectClient(url, creds);
        expect(await publishOutcome(once, c.topic, c.payload), c.name).toBe('closed');
        once.end(true);
      } else {
        if (client.disconnected || !client.connected) client = await connectClient(url, creds);
        expect(await publishOutcome(client, c.topic, c.payload), c.name).toBe('acked');
      }
      if (c.expect !== 'valid') sentBad.push(c.topic);
    }
    await client.endAsync(true);

    const valid = cases.filter((c) => c.expect === 'valid').length;
    expect(valid).toBeGreaterThan(5);
    expect(sentBad.length).toBeGreaterThan(150);
    expect(new Set(cases.map((c) => c.name.split(' ')[0])).size).toBeGreaterThanOrEqual(8);
    expect(await hub.store.bins.count()).toBe(valid);
    // oldest first (list gives the newest first); more than were sent, so none is left out
    const letters = (await hub.store.deadLetters.list(cases.length + 1)).reverse();
    expect(letters.map((l) => l.topic)).toEqual(sentBad.map((t) => (t.length > 1024 ? `${t.slice(0, 1024)}…` : t)));
    for (const l of letters) expect(l.reason.length).toBeGreaterThan(5);

    // still alive on both sides
    expect(await (await fetch(`http://127.0.0.1:${httpPort}/healthz`)).json()).toEqual({ ok: true });
    const after = await connectClient(url, creds);
    const last = makeBatch({ seq: 9999, binStart: '2025-06-01T00:00:00Z' });
    expect(await publishOutcome(after, OWN, JSON.stringify(last))).toBe('acked');
    await after.endAsync(true);
    expect(await hub.store.bins.count()).toBe(valid + 1);
  });
});
