/**
 * The whole system as processes, with the hub's embedded broker: the real agent counts the
 * PETS09 video and publishes as it counts → a wire tap (records what leaves the edge) → the
 * hub's embedded MQTT broker → ingest → SQLite. First a clean run, whose stored bins are the
 * reference; then the same run with the hub SIGKILLed and restarted, and with the agent
 * SIGKILLed and restarted. Each must store exactly the clean run's bins (same batchIds, same
 * counts), none twice, and the hub's totals must equal the agent's own summary.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { CountBatch, CountSummary } from '@byliv/protocol';
import { checkPayloads, WireTap } from './system-capture.ts';
import {
  addCamera,
  binsById,
  CAMERA,
  childTails,
  edgeFinished,
  freePort,
  HubProcess,
  hubContents,
  hubSummary,
  outboxDepth,
  repeated,
  requireTools,
  SITE,
  startEdge,
  stopAll,
  storedBatchIds,
  tempDir,
  until,
  type EdgeOptions,
  type HubLocation,
} from './system-harness.ts';
import { testStoreLocation } from '../stores.ts';

requireTools();
/** 50 s of the 79.5 s clip: 11 bins of 5 s (the first one partial: bins are aligned to the clock). */
const FRAMES = 500;

const dir = tempDir('byliv-system-embedded-');
const taps: WireTap[] = [];
const databases: Awaited<ReturnType<typeof testStoreLocation>>[] = [];
afterAll(async () => {
  await stopAll();
  await Promise.all(taps.map((t) => t.close()));
  dir.remove();
  for (const d of databases) await d.dispose();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`processes of "${ctx.task.name}":\n${childTails()}`);
});

interface System {
  /** The hub's store: its data dir, and its PostgreSQL database with BYLIV_TEST_STORE=postgres. */
  store: HubLocation;
  edge: EdgeOptions;
  hub: HubProcess;
  tap: WireTap;
}

/** A fresh hub (own data folder and database, camera registered, own ports) with a tap in front of its broker. */
async function system(name: string): Promise<System> {
  const location = await testStoreLocation();
  databases.push(location);
  const store: HubLocation = { dataDir: join(dir.path, name, 'hub'), database: location.database };
  const credentials = addCamera(store);
  const hub = await HubProcess.start({ ...store, mqttPort: await freePort(), httpPort: await freePort() }, `${name}-hub`);
  const tap = await WireTap.start(hub.options.mqttPort);
  taps.push(tap);
  const edge: EdgeOptions = { dataDir: join(dir.path, name, 'edge'), summary: join(dir.path, name, 'summary.json'), brokerUrl: tap.url, ...credentials, maxFrames: FRAMES };
  return { store, edge, hub, tap };
}

/** Every payload that left the agent is a strict count batch or status; the hub stored nothing else. */
async function checkPrivacy(s: System): Promise<void> {
  expect(s.tap.errors).toEqual([]);
  // What the agent may send at all: no SUBSCRIBE, nothing but its own publishes and their plumbing.
  expect([...s.tap.packetTypes].filter((t) => !['CONNECT', 'PUBLISH', 'PINGREQ', 'DISCONNECT'].includes(t))).toEqual([]);
  const wire = checkPayloads(s.tap.messages, SITE, CAMERA);
  expect(wire.counts.length).toBeGreaterThan(0);
  expect(wire.statuses.length).toBeGreaterThan(0);
  const stored = await hubContents(s.store);
  const sent = new Set(s.tap.messages.map((m) => m.payload));
  for (const b of stored.batches) expect(sent.has(JSON.stringify(b)), `stored batch ${b.batchId} was sent as is`).toBe(true);
  for (const st of stored.statuses) expect(sent.has(JSON.stringify(st)), `stored status ${st.state} at ${st.at} was sent (or willed) as is`).toBe(true);
}

let reference: { batches: CountBatch[]; summary: CountSummary } | undefined;
const needReference = () => {
  if (!reference) throw new Error('the clean run (first test) did not pass, so there is no reference to compare with');
  return reference;
};

describe.sequential('system: edge → embedded broker → hub → SQLite, real processes', () => {
  it('clean run: the hub stores one bin per batch and its totals equal the agent summary exactly', async () => {
    const s = await system('clean');
    const edge = startEdge(s.edge, 'clean-edge');
    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);

    const stored = await hubContents(s.store);
    expect(stored.batches.length).toBe(result.bins);
    expect(stored.batches.map((b) => b.seq)).toEqual([...Array(result.bins).keys()]);
    expect(stored.deadLetters).toEqual([]);
    const summary = hubSummary(s.store);
    expect(summary).toEqual(result.summary);
    // The comparison says something: the run counted frames and people crossing every line.
    expect(summary.frames).toBe(FRAMES);
    for (const [id, line] of Object.entries(summary.lines)) expect(line.forward + line.backward, `crossings of ${id}`).toBeGreaterThan(0);
    expect(outboxDepth(s.edge.dataDir)).toBe(0);
    await checkPrivacy(s);
    reference = { batches: stored.batches, summary };
  }, 240_000);

  it('hub SIGKILLed mid-run and restarted: the agent queues and redelivers; the same bins, none lost or doubled', async () => {
    const ref = needReference();
    const s = await system('hub-kill');
    const edge = startEdge(s.edge, 'hub-kill-edge');
    const alive = { alive: edge.deadReason, describe: () => edge.tail(5) };
    await until(async () => (await storedBatchIds(s.store)).length >= 3, 'three bins stored', alive);
    await s.hub.child.kill();
    const storedBeforeKill = (await storedBatchIds(s.store)).length;
    // The agent keeps counting with the hub gone: closed bins wait in its outbox.
    await until(() => outboxDepth(s.edge.dataDir) >= 2, 'two bins queued in the outbox while the hub is down', alive);
    const hub = await s.hub.restart('hub-kill-hub-restarted');
    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);
    expect(storedBeforeKill).toBeLessThan(ref.batches.length); // the kill really was mid-run

    const stored = await hubContents(s.store);
    expect(binsById(stored.batches, true)).toEqual(binsById(ref.batches, true));
    expect(stored.batches.length).toBe(ref.batches.length);
    expect(stored.deadLetters).toEqual([]);
    expect(hubSummary(s.store)).toEqual(result.summary);
    expect(result.summary).toEqual(ref.summary);
    expect(outboxDepth(s.edge.dataDir)).toBe(0);
    await checkPrivacy(s);
    await hub.child.kill();
  }, 240_000);

  it('agent SIGKILLed mid-run with unacknowledged bins and restarted: it replays the file, its outbox delivers the rest; the same bins', async () => {
    const ref = needReference();
    const s = await system('edge-kill');
    const first = startEdge(s.edge, 'edge-kill-edge');
    await until(async () => (await storedBatchIds(s.store)).length >= 3, 'three bins stored', { alive: first.deadReason, describe: () => first.tail(5) });
    // A frozen hub takes the bytes but acknowledges nothing, so closed bins stay in the outbox…
    s.hub.child.signal('SIGSTOP');
    let queuedAtKill: number;
    try {
      await until(() => outboxDepth(s.edge.dataDir) >= 2, 'two unacknowledged bins in the outbox', { alive: first.deadReason, describe: () => first.tail(5) });
      // …when the agent dies (its ffmpeg with it).
      await first.kill();
      queuedAtKill = outboxDepth(s.edge.dataDir);
    } finally {
      s.hub.child.signal('SIGCONT');
    }
    expect(queuedAtKill).toBeGreaterThanOrEqual(2);
    const storedBeforeRestart = await storedBatchIds(s.store);
    expect(storedBeforeRestart.length).toBeLessThan(ref.batches.length);

    const second = startEdge(s.edge, 'edge-kill-edge-restarted');
    const result = await edgeFinished(second, s.edge.summary);
    expect(result.code, second.tail()).toBe(0);

    const stored = await hubContents(s.store);
    // The restarted agent numbers its bins after the last seq in its outbox, so only seq may differ…
    expect(binsById(stored.batches, false)).toEqual(binsById(ref.batches, false));
    expect(stored.batches.length).toBe(ref.batches.length);
    // …and it still grows with time.
    const seqs = stored.batches.map((b) => b.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // The replay re-sent every bin the hub already had: the dedup was exercised, not assumed.
    const sentTwice = repeated(s.tap.messages.filter((m) => m.via === 'publish' && m.topic.endsWith('/counts')).map((m) => JSON.parse(m.payload).batchId as string));
    expect(storedBeforeRestart.filter((id) => !(sentTwice[id] >= 2))).toEqual([]);
    // A replayed bin differs from the stored copy only in seq: not "different counts".
    expect(stored.deadLetters).toEqual([]);
    expect(hubSummary(s.store)).toEqual(result.summary);
    expect(result.summary).toEqual(ref.summary);
    expect(outboxDepth(s.edge.dataDir)).toBe(0);
    await checkPrivacy(s);
  }, 300_000);
});
