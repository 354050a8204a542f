/**
 * ExternalBrokerSubscriber: its client id (the data dir's hub-id file), its filters, and,
 * against a real Mosquitto with the deploy ACL, what several hubs sharing the subscription
 * get: each message once, split between them; a hub that dies with a message in flight gets
 * it (and its share queued meanwhile) back when it returns with its id; a session left from
 * an unshared subscription loses its plain subscription but keeps its queue.
 * The Mosquitto part is skipped only when mosquitto is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { countsTopic, statusTopic } from '@byliv/protocol';
import type { Ingest, IngestOutcome, InboundMessage } from '../ingest/index.ts';
import { tempDir } from '../../test/fixtures.ts';
import { connectClient, publish, until } from '../../test/mqtt.ts';
import { ExternalBrokerSubscriber, HUB_ID_FILE, hubClientId, LEGACY_CLIENT_ID, subscriptionFilters } from './external.ts';

const MOSQUITTO = process.env.BYLIV_MOSQUITTO ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.BYLIV_MOSQUITTO_PASSWD ?? '/usr/bin/mosquitto_passwd';
const missing = !existsSync(MOSQUITTO) || !existsSync(MOSQUITTO_PASSWD);
if (missing) console.warn(`SKIPPED external-broker tests against Mosquitto: no mosquitto at ${MOSQUITTO} (apt-get install mosquitto, or set BYLIV_MOSQUITTO)`);
const ACL = resolve(import.meta.dirname, '../../../deploy/mosquitto/acl');

const dir = tempDir('byliv-external-');
afterAll(() => dir.remove());

describe('the hub client id (hub-id in the data dir)', () => {
  it('is made once, kept in the file, the same on every later start and different for another data dir', () => {
    const a = join(dir.path, 'id-a');
    const id = hubClientId(a);
    const host = hostname().replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
    expect(id).toMatch(new RegExp(`^byliv-hub-${host.replace(/[-]/g, '\\-')}-[0-9a-f]{8}$`));
    expect(readFileSync(join(a, HUB_ID_FILE), 'utf8')).toBe(`${id}\n`);
    expect(hubClientId(a)).toBe(id);
    expect(hubClientId(join(dir.path, 'id-b'))).not.toBe(id);
  });

  it('takes an id written by hand, and refuses one that is not a printable word', () => {
    const c = join(dir.path, 'id-c');
    hubClientId(c);
    writeFileSync(join(c, HUB_ID_FILE), '  byliv-hub\n');
    expect(hubClientId(c)).toBe('byliv-hub');
    writeFileSync(join(c, HUB_ID_FILE), 'two words\n');
    expect(() => hubClientId(c)).toThrow(/printable ASCII/);
  });

  it('is the clientId option when given, else the data dir one, else the old fixed id', () => {
    const ingest = {} as Ingest;
    const url = 'mqtt://127.0.0.1:1';
    expect(new ExternalBrokerSubscriber({ url, ingest, clientId: 'hub-7', dataDir: join(dir.path, 'id-d') }).clientId).toBe('hub-7');
    expect(existsSync(join(dir.path, 'id-d', HUB_ID_FILE))).toBe(false);
    expect(new ExternalBrokerSubscriber({ url, ingest, dataDir: join(dir.path, 'id-e') }).clientId).toBe(hubClientId(join(dir.path, 'id-e')));
    expect(new ExternalBrokerSubscriber({ url, ingest }).clientId).toBe(LEGACY_CLIENT_ID);
  });
});

describe('subscription filters', () => {
  it('are plain by default, shared in a group when asked', () => {
    const ingest = {} as Ingest;
    const url = 'mqtt://127.0.0.1:1';
    expect(new ExternalBrokerSubscriber({ url, ingest }).filters).toEqual(['byliv/v1/+/+/counts', 'byliv/v1/+/+/status']);
    expect(new ExternalBrokerSubscriber({ url, ingest, shareGroup: null }).filters).toEqual(['byliv/v1/+/+/counts', 'byliv/v1/+/+/status']);
    expect(new ExternalBrokerSubscriber({ url, ingest, shareGroup: 'byliv' }).filters).toEqual(['$share/byliv/byliv/v1/+/+/counts', '$share/byliv/byliv/v1/+/+/status']);
    expect(new ExternalBrokerSubscriber({ url, ingest, shareGroup: 'north' }).filters).toEqual(['$share/north/byliv/v1/+/+/counts', '$share/north/byliv/v1/+/+/status']);
    expect(subscriptionFilters(null)).toEqual(['byliv/v1/+/+/counts', 'byliv/v1/+/+/status']);
    for (const bad of ['', 'a/b', 'a+', '#', 'a b']) expect(() => new ExternalBrokerSubscriber({ url, ingest, shareGroup: bad }), bad).toThrow(/share group/);
    expect(() => new ExternalBrokerSubscriber({ url, ingest, clientId: 'has space' })).toThrow(/client id/);
  });
});

// ---------------------------------------------------------------------------------------------

const HUB_PASSWORD = 'hub-secret';
const CAMERA = { username: 'park/cam1', password: 'cam-secret' };
let port = 0;
let mosquitto: ChildProcess | undefined;
let mosquittoLog = '';
let camera: MqttClient;
const running: ExternalBrokerSubscriber[] = [];

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => ok(p));
    });
    server.on('error', fail);
  });
}

const canConnect = (p: number) =>
  new Promise<boolean>((ok) => {
    const s = tcpConnect(p, '127.0.0.1');
    s.once('connect', () => (s.destroy(), ok(true)));
    s.once('error', () => ok(false));
  });

/** A hub's ingest as seen from the broker: records what it committed; `hold` keeps the next one pending forever. */
class FakeIngest {
  readonly committed: string[] = [];
  readonly received: string[] = [];
  holdNext = false;
  handle(message: InboundMessage): Promise<IngestOutcome> {
    const body = message.payload.toString();
    this.received.push(body);
    if (this.holdNext) {
      this.holdNext = false;
      return new Promise(() => undefined); // never committed, never acknowledged
    }
    this.committed.push(body);
    return Promise.resolve({ kind: 'stored', batchId: body });
  }
}

interface TestHub {
  sub: ExternalBrokerSubscriber;
  ingest: FakeIngest;
  lines: string[];
}

async function startHub(options: { dataDir?: string; clientId?: string; shareGroup?: string | null } = {}): Promise<TestHub> {
  const ingest = new FakeIngest();
  const lines: string[] = [];
  const sub = new ExternalBrokerSubscriber({ url: `mqtt://127.0.0.1:${port}`, username: 'byliv-hub', password: HUB_PASSWORD, ingest: ingest as unknown as Ingest, reconnectMs: 200, log: (l) => lines.push(l), ...options });
  sub.start();
  running.push(sub);
  await sub.subscribed();
  return { sub, ingest, lines };
}

/** As if the process died: the socket closes without DISCONNECT, nothing more is acknowledged. */
function crash(hub: TestHub): void {
  (hub.sub as unknown as { client: MqttClient }).client.end(true);
}

const topic = countsTopic('park', 'cam1');
async function send(from: number, to: number): Promise<string[]> {
  const sent: string[] = [];
  for (let i = from; i < to; i++) {
    await publish(camera, topic, `m${i}`);
    sent.push(`m${i}`);
  }
  return sent;
}

/** A moment for anything still on its way (a message that should not come has time to show up). */
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

function multiset(xs: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
}

beforeAll(async () => {
  if (missing) return;
  port = await freePort();
  const passwords = join(dir.path, 'passwd');
  writeFileSync(passwords, '', { mode: 0o600 });
  for (const [user, password] of [['byliv-hub', HUB_PASSWORD], [CAMERA.username, CAMERA.password]]) {
    const r = spawnSync(MOSQUITTO_PASSWD, ['-b', passwords, user, password], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mosquitto_passwd: ${r.stderr}`);
  }
  const config = [
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${passwords}`,
    // The deploy ACL as it is: the hub's shared subscriptions must be readable through it.
    `acl_file ${ACL}`,
    'persistence false',
    'max_queued_messages 1000',
    `listener ${port} 127.0.0.1`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    ...(process.getuid?.() === 0 ? ['user root'] : []),
  ];
  writeFileSync(join(dir.path, 'mosquitto.conf'), `${config.join('\n')}\n`);
  const child = spawn(MOSQUITTO, ['-c', join(dir.path, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  mosquitto = child;
  child.stderr!.on('data', (d: Buffer) => (mosquittoLog += d.toString()));
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}): ${mosquittoLog}`);
    return canConnect(port);
  }, 'mosquitto listening');
  camera = await connectClient(`mqtt://127.0.0.1:${port}`, CAMERA);
});

afterAll(async () => {
  await camera?.endAsync(true);
  await Promise.all(running.map((s) => s.stop().catch(() => undefined)));
  mosquitto?.kill('SIGKILL');
});

describe.skipIf(missing)('several hubs sharing one Mosquitto (deploy ACL)', () => {
  it('gives each message to one hub of the group: split between them, none twice, none lost', async () => {
    const a = await startHub({ dataDir: join(dir.path, 'split-a'), shareGroup: 'byliv' });
    const b = await startHub({ dataDir: join(dir.path, 'split-b'), shareGroup: 'byliv' });
    expect(a.sub.clientId).not.toBe(b.sub.clientId);
    expect(a.lines[0]).toMatch(new RegExp(`^connected to broker mqtt://127\\.0\\.0\\.1:${port} as ${a.sub.clientId} \\(session new, share group byliv\\)$`));
    const sent = await send(0, 20);
    await until(() => a.ingest.committed.length + b.ingest.committed.length >= 20, 'all 20 committed');
    await settle();
    expect(multiset([...a.ingest.committed, ...b.ingest.committed])).toEqual(multiset(sent));
    // Mosquitto hands them out in turn
    expect(a.ingest.committed.length).toBe(10);
    expect(b.ingest.committed.length).toBe(10);
    // a retained status reaches the group too (the ACL lets the hub read …/status through $share)
    await publish(camera, statusTopic('park', 'cam1'), 'status-1');
    await until(() => [...a.ingest.committed, ...b.ingest.committed].includes('status-1'), 'the status');
    // Stopped, they keep their sessions in group byliv: the next tests use groups of their own.
    await a.sub.stop();
    await b.sub.stop();
  });

  it('a hub that dies with a message in flight gets it back, with its share queued meanwhile, when it returns with its id; the other hub gets none of them', async () => {
    const group = 'crash';
    const a = await startHub({ dataDir: join(dir.path, 'crash-a'), shareGroup: group });
    const b = await startHub({ dataDir: join(dir.path, 'crash-b'), shareGroup: group });
    a.ingest.holdNext = true;
    const first = await send(0, 10);
    await until(() => a.ingest.received.length >= 1 && b.ingest.committed.length >= 5, 'a holding one, b storing its five');
    await settle();
    // a took its first message and hangs on it (mqtt.js handles one at a time): 1 held, 4 behind it
    expect(a.ingest.committed).toEqual([]);
    crash(a);
    const second = await send(10, 20);
    await until(() => b.ingest.committed.length >= 10, 'b storing its share of the second ten');
    await settle(1000);
    // Mosquitto kept a's share for a's session: b got its own half only
    expect(b.ingest.committed.length).toBe(10);
    const missingAtB = [...first, ...second].filter((m) => !b.ingest.committed.includes(m));
    expect(missingAtB).toHaveLength(10);

    const back = await startHub({ clientId: a.sub.clientId, shareGroup: group });
    expect(back.lines[0]).toMatch(/\(session resumed, share group crash\)$/);
    await until(() => back.ingest.committed.length >= 10, "a's ten after its restart");
    await settle();
    expect(multiset(back.ingest.committed)).toEqual(multiset(missingAtB));
    expect(multiset([...b.ingest.committed, ...back.ingest.committed])).toEqual(multiset([...first, ...second]));
    await back.sub.stop();
    await b.sub.stop();
  });

  it('a session resumed from an unshared subscription keeps its queue and then gets only its share', async () => {
    const clientId = 'byliv-hub-upgrade';
    const old = await startHub({ clientId, shareGroup: null });
    expect(old.lines[0]).toMatch(/\(session new, not shared\)$/);
    await old.sub.stop();
    const queued = await send(100, 104); // queued for the old session while the hub is down
    const upgraded = await startHub({ clientId, shareGroup: 'upgrade' });
    expect(upgraded.lines[0]).toMatch(/\(session resumed, share group upgrade\)$/);
    await until(() => upgraded.ingest.committed.length >= 4, 'the queued four');
    const other = await startHub({ dataDir: join(dir.path, 'upgrade-other'), shareGroup: 'upgrade' });
    await settle();
    const shared = await send(200, 210);
    await until(() => upgraded.ingest.committed.length + other.ingest.committed.length >= 14, 'the ten shared ones');
    await settle();
    // without the unsubscribe, the upgraded hub would get all ten through its old plain subscription as well
    expect(upgraded.ingest.committed.slice(0, 4)).toEqual(queued);
    expect(upgraded.ingest.committed.length).toBe(4 + 5);
    expect(multiset([...upgraded.ingest.committed.slice(4), ...other.ingest.committed])).toEqual(multiset(shared));
    await upgraded.sub.stop();
    await other.sub.stop();
  });

  it('without a group every hub gets every message; a session resumed from group byliv drops that subscription', async () => {
    const clientId = 'byliv-hub-was-shared';
    const wasShared = await startHub({ clientId, shareGroup: 'byliv' });
    await wasShared.sub.stop();
    const c = await startHub({ clientId, shareGroup: null });
    expect(c.lines[0]).toMatch(/\(session resumed, not shared\)$/);
    const d = await startHub({ dataDir: join(dir.path, 'plain-d') });
    await settle();
    const sent = await send(400, 406);
    await until(() => c.ingest.committed.length >= 6 && d.ingest.committed.length >= 6, 'all six at both');
    await settle();
    expect(c.ingest.committed).toEqual(sent);
    expect(d.ingest.committed).toEqual(sent);
    await c.sub.stop();
    await d.sub.stop();
  });

  it('a hub that leaves the group stores what was queued for it, then the others get everything and its session is gone', async () => {
    const group = 'leave';
    const a = await startHub({ dataDir: join(dir.path, 'leave-a'), shareGroup: group });
    const b = await startHub({ dataDir: join(dir.path, 'leave-b'), shareGroup: group });
    await a.sub.stop(); // switched off: its share is queued for it
    const first = await send(300, 306);
    await until(() => b.ingest.committed.length >= 3, "b's three");
    const back = await startHub({ clientId: a.sub.clientId, shareGroup: group });
    // the queued three come as soon as it connects, before or after the unsubscribe
    const storedWhileLeaving = await back.sub.leave(500);
    expect(back.ingest.committed).toHaveLength(3);
    expect(back.lines.at(-1)).toBe(`left share group leave on mqtt://127.0.0.1:${port} after storing ${storedWhileLeaving} more message(s); session ${a.sub.clientId} ended`);
    expect(multiset([...back.ingest.committed, ...b.ingest.committed])).toEqual(multiset(first));
    const second = await send(306, 312);
    await until(() => b.ingest.committed.length >= 9, 'all six of the second lot at b');
    await settle();
    expect(b.ingest.committed.slice(3)).toEqual(second);
    const probe = await connectClient(`mqtt://127.0.0.1:${port}`, { username: 'byliv-hub', password: HUB_PASSWORD, clientId: a.sub.clientId, clean: false });
    const present = (probe as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent;
    await probe.endAsync();
    expect(present, "a's session at the broker").toBe(false);
    await b.sub.stop();
  });
});
