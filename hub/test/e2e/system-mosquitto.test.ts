/**
 * The whole system as processes against a real Mosquitto: the agent counts the PETS09 video
 * and publishes (through a wire tap that records what leaves the edge) to Mosquitto, with
 * persistence, a password file and the deploy ACL; the hub runs in external-broker mode with
 * its persistent session; a '#' subscriber records what the broker passes on.
 *
 * A clean run gives the reference bins. The fault run then crashes Mosquitto (SIGKILL) and
 * restarts it on the same port, and later kills the hub (SIGKILL) while Mosquitto queues the
 * batches for it, stops and restarts Mosquitto with that queue on disk, and restarts the hub:
 * the hub must end with exactly the clean run's bins, and its totals must equal the agent's.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { countsTopic, type CountBatch, type CountSummary } from '@byliv/protocol';
import { BrokerCapture, checkPayloads, WireTap } from './system-capture.ts';
import {
  addCamera,
  binsById,
  CAMERA,
  CAPTURE_USER,
  childTails,
  edgeFinished,
  freePort,
  HubProcess,
  hubContents,
  hubSummary,
  MosquittoProcess,
  outboxDepth,
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
/** The whole clip (795 frames, 79.5 s): room for two faults one after the other. */
const FRAMES = undefined;

const dir = tempDir('byliv-system-mosquitto-');
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await stopAll();
  for (const close of closers) await close().catch(() => undefined);
  dir.remove();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`processes of "${ctx.task.name}":\n${childTails()}`);
});

interface System {
  /** The hub's store: its data dir, and its PostgreSQL database with BYLIV_TEST_STORE=postgres. */
  store: HubLocation;
  edge: EdgeOptions;
  hub: HubProcess;
  mosquitto: MosquittoProcess;
  tap: WireTap;
  capture: BrokerCapture;
}

/** Mosquitto (fresh database), a hub subscribed to it, a capture on '#', a tap for the agent. */
async function system(name: string): Promise<System> {
  const base = join(dir.path, name);
  const location = await testStoreLocation();
  closers.push(() => location.dispose());
  const store: HubLocation = { dataDir: join(base, 'hub'), database: location.database };
  const camera = addCamera(store);
  const hubPassword = `hub-${Math.random().toString(36).slice(2)}`;
  const capturePassword = `capture-${Math.random().toString(36).slice(2)}`;
  mkdirSync(join(base, 'mosquitto'), { recursive: true });
  const mosquitto = new MosquittoProcess(await freePort(), join(base, 'mosquitto'), { 'byliv-hub': hubPassword, [camera.username]: camera.password, [CAPTURE_USER]: capturePassword });
  await mosquitto.start(`${name}-mosquitto`);
  const hub = await HubProcess.start(
    { ...store, mqttPort: 0, httpPort: await freePort(), broker: { url: mosquitto.url, username: 'byliv-hub', password: hubPassword } },
    `${name}-hub`,
  );
  const capture = await BrokerCapture.connect(mosquitto.url, CAPTURE_USER, capturePassword);
  closers.push(() => capture.close());
  const tap = await WireTap.start(mosquitto.port);
  closers.push(() => tap.close());
  const edge: EdgeOptions = { dataDir: join(base, 'edge'), summary: join(base, 'summary.json'), brokerUrl: tap.url, ...camera, maxFrames: FRAMES };
  return { store, edge, hub, mosquitto, tap, capture };
}

/** What left the agent and what the broker passed on: strict counts and status of this camera only. */
async function checkPrivacy(s: System): Promise<void> {
  expect(s.tap.errors).toEqual([]);
  expect([...s.tap.packetTypes].filter((t) => !['CONNECT', 'PUBLISH', 'PINGREQ', 'DISCONNECT'].includes(t))).toEqual([]);
  const wire = checkPayloads(s.tap.messages, SITE, CAMERA);
  expect(wire.counts.length).toBeGreaterThan(0);
  const atBroker = checkPayloads(s.capture.messages, SITE, CAMERA);
  expect(atBroker.counts.length).toBeGreaterThan(0);
  expect(atBroker.statuses.length).toBeGreaterThan(0);
  // Everything the broker passed on came from the agent's wire, byte for byte.
  const sent = new Set(s.tap.messages.map((m) => `${m.topic}\n${m.payload}`));
  expect(s.capture.messages.filter((m) => !sent.has(`${m.topic}\n${m.payload}`))).toEqual([]);
  const stored = await hubContents(s.store);
  for (const b of stored.batches) expect(sent.has(`${countsTopic(SITE, CAMERA)}\n${JSON.stringify(b)}`), `stored batch ${b.batchId} was sent as is`).toBe(true);
}

let reference: { batches: CountBatch[]; summary: CountSummary } | undefined;

describe.sequential('system: edge → Mosquitto → hub (external-broker mode) → SQLite, real processes', () => {
  it('clean run through Mosquitto: the hub stores one bin per batch and its totals equal the agent summary exactly', async () => {
    const s = await system('clean');
    const edge = startEdge(s.edge, 'clean-edge');
    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);
    // The agent is done when Mosquitto has acknowledged; the hub takes them from there.
    await until(async () => (await storedBatchIds(s.store)).length >= result.bins, `${result.bins} bins stored`, { alive: s.hub.child.deadReason, timeoutMs: 60_000 });

    const stored = await hubContents(s.store);
    expect(stored.batches.length).toBe(result.bins);
    expect(stored.batches.map((b) => b.seq)).toEqual([...Array(result.bins).keys()]);
    expect(stored.deadLetters).toEqual([]);
    const summary = hubSummary(s.store);
    expect(summary).toEqual(result.summary);
    expect(summary.frames).toBe(795);
    for (const [id, line] of Object.entries(summary.lines)) expect(line.forward + line.backward, `crossings of ${id}`).toBeGreaterThan(0);
    await checkPrivacy(s);
    reference = { batches: stored.batches, summary };
    await s.hub.child.kill();
    await s.mosquitto.terminate();
  }, 240_000);

  it('Mosquitto crashes and restarts, then the hub dies while Mosquitto queues for it: the same bins, none lost or doubled', async () => {
    if (!reference) throw new Error('the clean run (first test) did not pass, so there is no reference to compare with');
    const ref = reference;
    const s = await system('faults');
    const edge = startEdge(s.edge, 'faults-edge');
    const watch = { alive: edge.deadReason, describe: () => edge.tail(5) };
    const sentIds = () => new Set(s.tap.messages.filter((m) => m.via === 'publish' && m.topic.endsWith('/counts')).map((m) => JSON.parse(m.payload).batchId as string));

    // 1. Mosquitto crashes. It acknowledges a batch before writing it to disk (deploy/mosquitto/
    //    mosquitto.conf says so), so the crash is made to land where nothing is in that window:
    //    the agent paused, everything it sent stored by the hub, the database just saved.
    await until(async () => (await storedBatchIds(s.store)).length >= 2, 'two bins stored', watch);
    edge.signal('SIGSTOP');
    try {
      await until(async () => {
        const stored = new Set(await storedBatchIds(s.store));
        return [...sentIds()].every((id) => stored.has(id));
      }, 'the hub to store all the agent sent', { alive: s.hub.child.deadReason });
      await s.mosquitto.save();
      await s.mosquitto.kill();
    } finally {
      edge.signal('SIGCONT');
    }
    const storedAtCrash = (await storedBatchIds(s.store)).length;
    await until(() => outboxDepth(s.edge.dataDir) >= 1, 'a bin queued in the outbox while Mosquitto is down', watch);
    await s.mosquitto.start('faults-mosquitto-restarted');

    // 2. The hub dies; Mosquitto acknowledges the agent's batches and queues them for the hub's session.
    await until(async () => (await storedBatchIds(s.store)).length >= storedAtCrash + 2 && outboxDepth(s.edge.dataDir) === 0, 'the backlog delivered after the crash', watch);
    await s.hub.child.kill();
    let held: string[] = [];
    await until(async () => {
      const stored = new Set(await storedBatchIds(s.store));
      // Sent, no longer in the outbox (so Mosquitto acknowledged them), not at the hub: Mosquitto holds them.
      held = [...sentIds()].filter((id) => !stored.has(id));
      return held.length >= 2 && outboxDepth(s.edge.dataDir) === 0;
    }, 'two batches held by Mosquitto for the hub', watch);
    // 3. Mosquitto stops cleanly (writing the hub's queue to disk) and starts again; then the hub.
    await s.mosquitto.terminate();
    await s.mosquitto.start('faults-mosquitto-second-start');
    await s.hub.restart('faults-hub-restarted');

    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);
    await until(async () => (await storedBatchIds(s.store)).length >= ref.batches.length, `${ref.batches.length} bins stored`, { timeoutMs: 60_000 });
    expect(storedAtCrash).toBeLessThan(ref.batches.length);

    const stored = await hubContents(s.store);
    // The agent had deleted the held batches (acknowledged by Mosquitto): the hub can only have them from Mosquitto's saved queue.
    const storedIds = new Set(stored.batches.map((b) => b.batchId));
    expect(held.filter((id) => !storedIds.has(id))).toEqual([]);
    expect(binsById(stored.batches, true)).toEqual(binsById(ref.batches, true));
    expect(stored.batches.length).toBe(ref.batches.length);
    expect(stored.deadLetters).toEqual([]);
    expect(hubSummary(s.store)).toEqual(result.summary);
    expect(result.summary).toEqual(ref.summary);
    expect(outboxDepth(s.edge.dataDir)).toBe(0);
    await checkPrivacy(s);
  }, 300_000);
});
