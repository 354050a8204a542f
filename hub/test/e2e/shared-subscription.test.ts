/**
 * Several hubs on one broker: two `byliv-hub start --broker … --share-group byliv` processes,
 * each with its own data dir (so its own MQTT client id, kept in the data dir's hub-id file),
 * both in Mosquitto's shared subscription `$share/byliv/…`, one agent counting the PETS09 video
 * through a wire tap.
 *
 * What Mosquitto 2.0 does when a member of the group dies (hub/src/broker/external.ts): what
 * was in flight to it and its round-robin share of what comes while it is down stay queued in
 * ITS persistent session; the other hub never gets them. So the killed hub is restarted with
 * the same data dir (same client id), as systemd's Restart=always does, and takes them then.
 * Nothing is lost, and the database (batchId unique, commit before PUBACK) stores each once.
 *
 * 1. PostgreSQL (the deployment: both hubs on one database, `--database postgres://…`): a clean
 *    run gives the reference; in the fault run hub A is frozen until a batch is in flight to
 *    it, SIGKILLed, and restarted a while later. The stored bins must equal the clean run's,
 *    and `byliv-hub summary --database …` the agent's own summary. Needs BYLIV_TEST_POSTGRES_URL
 *    (vitest's globalSetup, hub/test/postgres-global-setup.ts, starts a throw-away cluster and
 *    sets it where PostgreSQL's binaries are installed); skipped, saying so, without it.
 * 2. SQLite (each hub its own file): the same fault on its own; each hub's file then holds the
 *    batches that came to it, so the test sees the split itself: both stored some, none is in
 *    both, and together they are every bin of the run, whose totals equal the agent's.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type CountBatch, type CountSummary, countsTopic, summarizeBatches } from '@byliv/protocol';
import { WireTap } from './system-capture.ts';
import {
  binsById,
  CAMERA,
  Child,
  childTails,
  edgeFinished,
  freePort,
  addCamera,
  hubContents,
  hubSummary,
  MosquittoProcess,
  outboxDepth,
  REPO,
  repeated,
  requireTools,
  SITE,
  startEdge,
  stopAll,
  storeArgs,
  storedBatchIds,
  tempDir,
  until,
  type EdgeOptions,
  type HubLocation,
} from './system-harness.ts';
import { createTestDatabase, POSTGRES_URL_ENV } from '../postgres.ts';

requireTools();
const HUB_CLI = join(REPO, 'hub/src/cli.ts');
const HUB_USER = 'byliv-hub';
/** Every hub is started with `--share-group byliv` (without it each would get every batch). */
const SHARE_GROUP = 'byliv';
/** How long the killed hub stays down before it is started again (systemd: RestartSec=5). */
const RESTART_AFTER_MS = 5_000;

const postgresUrl = process.env[POSTGRES_URL_ENV];
const noPostgres = postgresUrl
  ? undefined
  : `${POSTGRES_URL_ENV} is not set: no PostgreSQL cluster for the two hubs to share (install Debian's postgresql package, whose binaries hub/test/postgres-global-setup.ts uses, or point ${POSTGRES_URL_ENV} at a server whose role may CREATE DATABASE)`;
if (noPostgres) console.warn(`SKIPPED shared-subscription tests on PostgreSQL: ${noPostgres}`);

const dir = tempDir('byliv-shared-subscription-');
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await stopAll();
  for (const close of closers) await close().catch(() => undefined);
  dir.remove();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`processes of "${ctx.task.name}":\n${childTails(60)}`);
});

// ---------------------------------------------------------------------------------------------
// One hub process in external-broker mode

/** `database` postgres://…; without it the hub has its own SQLite file in dataDir. */
interface HubSpec extends HubLocation {
  name: string;
  brokerUrl: string;
  password: string;
}

interface RunningHub {
  spec: HubSpec;
  child: Child;
  /** Its MQTT client id, from its "connected to broker … as ID" line. */
  clientId: string;
  session: 'new' | 'resumed';
}

/** `byliv-hub start --data-dir D --broker mqtt://… [--database URL]`, resolved once it has subscribed. */
async function startHub(spec: HubSpec, name = spec.name): Promise<RunningHub> {
  const httpPort = await freePort();
  const args = ['start', ...storeArgs(spec), '--http-port', String(httpPort), '--http-host', '127.0.0.1', '--broker', spec.brokerUrl, '--broker-username', HUB_USER, '--share-group', SHARE_GROUP];
  const child = new Child(name, process.execPath, ['--import', 'tsx', HUB_CLI, ...args], { BYLIV_BROKER_PASSWORD: spec.password });
  await child.waitForLine(/"ready":true/, 'ready line');
  await until(async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`).then((r) => r.ok, () => false)), `${name} /healthz`, { alive: child.deadReason, timeoutMs: 30_000 });
  const connected = await child.waitForLine(/connected to broker \S+ as \S+ \(session (new|resumed), share group byliv\)/, 'a connection in share group byliv');
  await child.waitForLine(/subscribed to the counts and status/, 'subscription to the external broker');
  const [, clientId, session] = / as (\S+) \(session (new|resumed)/.exec(connected)!;
  return { spec, child, clientId, session: session as 'new' | 'resumed' };
}

// ---------------------------------------------------------------------------------------------
// Mosquitto, with a log that tells which hub each batch went to

/**
 * Mosquitto's debug log names the client of every PUBLISH it sends and every PUBACK it gets
 * (Mosquitto 2.0's lib/send_publish.c and lib/handle_pubackcomp.c):
 * `Sending PUBLISH to ID (d0, q1, r0, m3, 'byliv/v1/…/counts', ... (N bytes))`, `Received PUBACK from ID (Mid: 3, RC:0)`.
 */
function brokerLog(mosquitto: MosquittoProcess) {
  const lines = () => mosquitto.child?.output ?? [];
  const topic = countsTopic(SITE, CAMERA);
  const sent = (clientId: string, line: string) => {
    const m = /Sending PUBLISH to (\S+) \(d[01], q1, r[01], m(\d+), '([^']*)'/.exec(line);
    return m && m[1] === clientId && m[3] === topic ? Number(m[2]) : undefined;
  };
  const acked = (clientId: string, line: string) => {
    const m = /Received PUBACK from (\S+) \(Mid: (\d+),/.exec(line);
    return m && m[1] === clientId ? Number(m[2]) : undefined;
  };
  return {
    /** Count batches Mosquitto has sent to this client (first sends and resends). */
    countsSentTo: (clientId: string) => lines().filter((l) => sent(clientId, l) !== undefined).length,
    /** Count batches this client acknowledged, so had committed (a PUBACK for the message id of a counts PUBLISH to it). */
    countsAckedBy: (clientId: string) => {
      const open = new Set<number>();
      let n = 0;
      for (const line of lines()) {
        const mid = sent(clientId, line);
        if (mid !== undefined) open.add(mid);
        const ack = acked(clientId, line);
        if (ack !== undefined && open.delete(ack)) n++;
      }
      return n;
    },
  };
}

interface Setup {
  base: string;
  mosquitto: MosquittoProcess;
  log: ReturnType<typeof brokerLog>;
  tap: WireTap;
  edge: EdgeOptions;
  hubs: HubSpec[];
}

/** Mosquitto (fresh, deploy ACL) with the hub user and the camera; the camera registered in each store; a tap for the agent. */
async function setup(name: string, stores: { database?: string }[]): Promise<Setup> {
  const base = join(dir.path, name);
  const hubDirs = stores.map((_, i) => join(base, `hub-${'ab'[i]}`));
  // One registration per store: the first one's password is the one Mosquitto gets.
  const camera = addCamera({ dataDir: hubDirs[0], ...stores[0] });
  for (let i = 1; i < stores.length; i++) if (stores[i].database === undefined || stores[i].database !== stores[0].database) addCamera({ dataDir: hubDirs[i], ...stores[i] });
  const hubPassword = `hub-${Math.random().toString(36).slice(2)}`;
  mkdirSync(join(base, 'mosquitto'), { recursive: true });
  const mosquitto = new MosquittoProcess(await freePort(), join(base, 'mosquitto'), { [HUB_USER]: hubPassword, [camera.username]: camera.password });
  appendFileSync(join(base, 'mosquitto', 'mosquitto.conf'), 'log_type debug\n');
  await mosquitto.start(`${name}-mosquitto`);
  const tap = await WireTap.start(mosquitto.port);
  closers.push(() => tap.close());
  const edge: EdgeOptions = { dataDir: join(base, 'edge'), summary: join(base, 'summary.json'), brokerUrl: tap.url, ...camera };
  const hubs = stores.map((s, i) => ({ name: `${name}-hub-${'ab'[i]}`, dataDir: hubDirs[i], database: s.database, brokerUrl: mosquitto.url, password: hubPassword }));
  return { base, mosquitto, log: brokerLog(mosquitto), tap, edge, hubs };
}

/** The batchIds the agent has published (first sends and resends alike). */
function sentIds(tap: WireTap): Set<string> {
  return new Set(tap.messages.filter((m) => m.via === 'publish' && m.topic.endsWith('/counts')).map((m) => JSON.parse(m.payload).batchId as string));
}

// ---------------------------------------------------------------------------------------------
// The fault: hub A dies with a batch in flight, and comes back

interface Fault {
  /** Batches the agent had handed to Mosquitto (gone from its outbox) that no hub had stored while A was down. */
  heldWhileDown: string[];
  restarted: RunningHub;
}

/**
 * Waits until hub A has stored some batches, freezes it (SIGSTOP) until Mosquitto has sent it
 * a batch it cannot acknowledge, SIGKILLs it, waits while Mosquitto keeps A's share for A's
 * session (B storing its own), and starts A again from the same data dir after RESTART_AFTER_MS.
 */
async function killAndRestart(s: Setup, a: RunningHub, b: RunningHub, edge: Child, stored: () => Promise<Set<string>>): Promise<Fault> {
  const watch = { alive: edge.deadReason, describe: () => `${edge.tail(5)}\n${a.child.tail(5)}\n${b.child.tail(5)}` };
  await until(() => s.log.countsAckedBy(a.clientId) >= 2 && s.log.countsAckedBy(b.clientId) >= 1, 'both hubs storing batches, A two of them', watch);
  a.child.signal('SIGSTOP');
  // a PUBACK already on its way when A froze still reaches the broker
  await new Promise((r) => setTimeout(r, 500));
  const sentToA = s.log.countsSentTo(a.clientId);
  const ackedByA = s.log.countsAckedBy(a.clientId);
  await until(() => s.log.countsSentTo(a.clientId) > sentToA, 'a batch sent to the frozen hub A', watch);
  expect(s.log.countsAckedBy(a.clientId), 'the frozen hub acknowledged nothing more').toBe(ackedByA);
  await a.child.kill();
  const killedAt = Date.now();

  // A is gone: B stores its share; A's share waits in A's session at the broker.
  let held: string[] = [];
  const storedAtKill = (await stored()).size;
  await until(async () => {
    const have = await stored();
    held = [...sentIds(s.tap)].filter((id) => !have.has(id));
    return have.size >= storedAtKill + 1 && held.length >= 2 && outboxDepth(s.edge.dataDir) === 0;
  }, 'B storing more while Mosquitto holds batches for A', { ...watch, alive: () => b.child.deadReason() ?? edge.deadReason() });
  await new Promise((r) => setTimeout(r, Math.max(0, RESTART_AFTER_MS - (Date.now() - killedAt))));
  const have = await stored();
  held = held.filter((id) => !have.has(id));
  expect(held.length, 'batches that only the dead hub A could take').toBeGreaterThanOrEqual(1);

  console.log(`${a.spec.name}: SIGKILLed ${RESTART_AFTER_MS} ms before its restart, with ${s.log.countsSentTo(a.clientId) - s.log.countsAckedBy(a.clientId)} batch(es) sent to it unacknowledged; ${held.length} held for it by Mosquitto, unstored, while it was down`);
  const restarted = await startHub(a.spec, `${a.spec.name}-restarted`);
  expect(restarted.clientId).toBe(a.clientId);
  expect(restarted.session).toBe('resumed');
  return { heldWhileDown: held, restarted };
}

// ---------------------------------------------------------------------------------------------

let reference: { batches: CountBatch[]; summary: CountSummary } | undefined;

describe.skipIf(noPostgres !== undefined).sequential('two hubs sharing one subscription on Mosquitto and one PostgreSQL database', () => {
  it('clean run: each batch reaches one hub, the database holds each bin once, and its summary equals the agent summary', async () => {
    const db = await createTestDatabase(postgresUrl!);
    closers.push(() => db.drop());
    const s = await setup('pg-clean', [{ database: db.url }, { database: db.url }]);
    const [a, b] = [await startHub(s.hubs[0]), await startHub(s.hubs[1])];
    expect(a.clientId, 'each hub its own client id, from its data dir').not.toBe(b.clientId);
    const edge = startEdge(s.edge, 'pg-clean-edge');
    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);
    await until(async () => (await storedBatchIds(s.hubs[0])).length >= result.bins, `${result.bins} bins stored`, { alive: () => a.child.deadReason() ?? b.child.deadReason(), timeoutMs: 60_000 });

    const stored = await hubContents(s.hubs[0]);
    expect(stored.batches.length).toBe(result.bins);
    expect(stored.batches.map((x) => x.seq)).toEqual([...Array(result.bins).keys()]);
    expect(repeated(await storedBatchIds(s.hubs[0]))).toEqual({});
    expect(stored.deadLetters).toEqual([]);
    // Both hubs took part, each batch once: Mosquitto sent as many batches as there are bins.
    expect(s.log.countsAckedBy(a.clientId)).toBeGreaterThan(0);
    expect(s.log.countsAckedBy(b.clientId)).toBeGreaterThan(0);
    expect(s.log.countsSentTo(a.clientId) + s.log.countsSentTo(b.clientId)).toBe(result.bins);
    const summary = hubSummary(s.hubs[1]);
    expect(summary).toEqual(result.summary);
    expect(hubSummary(s.hubs[0])).toEqual(summary);
    reference = { batches: stored.batches, summary };
    await stopAll();
  }, 300_000);

  it('hub A is SIGKILLed with a batch in flight and restarted: the same bins as the clean run, none lost or doubled', async () => {
    if (!reference) throw new Error('the clean run (previous test) did not pass, so there is no reference to compare with');
    const ref = reference;
    const db = await createTestDatabase(postgresUrl!);
    closers.push(() => db.drop());
    const s = await setup('pg-fault', [{ database: db.url }, { database: db.url }]);
    const [a, b] = [await startHub(s.hubs[0]), await startHub(s.hubs[1])];
    const edge = startEdge(s.edge, 'pg-fault-edge');
    const stored = async () => new Set(await storedBatchIds(s.hubs[0]));
    const fault = await killAndRestart(s, a, b, edge, stored);

    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);
    await until(async () => (await stored()).size >= ref.batches.length, `${ref.batches.length} bins stored`, { alive: () => fault.restarted.child.deadReason() ?? b.child.deadReason(), timeoutMs: 60_000 });

    const after = await hubContents(s.hubs[0]);
    const ids = await storedBatchIds(s.hubs[0]);
    expect(fault.heldWhileDown.filter((id) => !ids.includes(id))).toEqual([]);
    expect(repeated(ids)).toEqual({});
    expect(after.batches.length).toBe(ref.batches.length);
    expect(binsById(after.batches, true)).toEqual(binsById(ref.batches, true));
    expect(after.deadLetters).toEqual([]);
    expect(hubSummary(s.hubs[0])).toEqual(result.summary);
    expect(result.summary).toEqual(ref.summary);
    expect(outboxDepth(s.edge.dataDir)).toBe(0);
    await stopAll();
  }, 300_000);
});

describe.sequential('two hubs sharing one subscription on Mosquitto, each with its own SQLite file', () => {
  it('the group splits the batches; hub A SIGKILLed with a batch in flight and restarted: together they hold every bin once, totals equal to the agent', async () => {
    const s = await setup('sqlite', [{}, {}]);
    const [a, b] = [await startHub(s.hubs[0]), await startHub(s.hubs[1])];
    expect(a.clientId, 'each hub its own client id, from its data dir').not.toBe(b.clientId);
    const edge = startEdge(s.edge, 'sqlite-edge');
    const union = async () => [...(await storedBatchIds(s.hubs[0])), ...(await storedBatchIds(s.hubs[1]))];
    const fault = await killAndRestart(s, a, b, edge, async () => new Set(await union()));

    const result = await edgeFinished(edge, s.edge.summary);
    expect(result.code, edge.tail()).toBe(0);
    await until(async () => (await union()).length >= result.bins, `${result.bins} bins stored`, { alive: () => fault.restarted.child.deadReason() ?? b.child.deadReason(), timeoutMs: 60_000 });

    const [atA, atB] = [await hubContents(s.hubs[0]), await hubContents(s.hubs[1])];
    // Each hub has part, and the batches the broker held for A while it was down are in A's file.
    expect(atA.batches.length).toBeGreaterThan(0);
    expect(atB.batches.length).toBeGreaterThan(0);
    const idsAtA = new Set(atA.batches.map((x) => x.batchId));
    expect(fault.heldWhileDown.filter((id) => !idsAtA.has(id))).toEqual([]);
    // None in both, none lost: seq 0…n-1 once each, and every batch the agent sent.
    const all = [...atA.batches, ...atB.batches].sort((x, y) => x.seq - y.seq);
    expect(repeated(all.map((x) => x.batchId))).toEqual({});
    expect(all.map((x) => x.seq)).toEqual([...Array(result.bins).keys()]);
    expect(new Set(all.map((x) => x.batchId))).toEqual(sentIds(s.tap));
    expect([...atA.deadLetters, ...atB.deadLetters]).toEqual([]);
    expect(summarizeBatches(all)).toEqual(result.summary);
    if (reference) expect(binsById(all, true)).toEqual(binsById(reference.batches, true));
    expect(outboxDepth(s.edge.dataDir)).toBe(0);
    console.log(`sqlite: ${result.bins} bins, ${atA.batches.length} stored by hub A (${fault.heldWhileDown.length} of them after its restart), ${atB.batches.length} by hub B`);
    await stopAll();
  }, 300_000);
});
