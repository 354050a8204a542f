/**
 * The publisher against a real Mosquitto: order, acknowledgement, a broker crash, refused
 * credentials, the last will, and the privacy check on every message that reached the broker.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { batchIdFor, CameraStatus, CountBatch, countsTopic, statusTopic } from '@byliv/protocol';
import { Outbox } from '../outbox/index.ts';
import { Publisher, OutboundRefusedError, type PublisherEvent, type PublisherOptions } from './index.ts';
import { checkEveryPayload, Collector, freePort, TestBroker } from './test-broker.ts';

const SITE = 'square';

function sampleBatch(seq: number, camera = 'cam1'): CountBatch {
  const binStart = new Date(Date.UTC(2026, 4, 1, 12, 0) + seq * 60_000).toISOString();
  return {
    v: 1,
    batchId: batchIdFor(SITE, camera, binStart),
    site: SITE,
    camera,
    seq,
    binStart,
    binSeconds: 60,
    lines: { entrance: { forward: { person: seq % 7, cyclist: 1 }, backward: { person: 2, cyclist: 0 } } },
    zones: {},
    flows: [],
    quality: { framesProcessed: 600, framesExpected: 600, gapSeconds: 0 },
  };
}

/** Everything a test started, undone afterwards; every collector's capture is checked first. */
const brokers: TestBroker[] = [];
const collectors: Collector[] = [];
const publishers: Publisher[] = [];
const outboxes: Outbox[] = [];
const dirs: string[] = [];

afterEach(async () => {
  const captured = collectors.flatMap((c) => c.messages);
  for (const p of publishers.splice(0)) await p.stop();
  for (const c of collectors.splice(0)) await c.close();
  for (const b of brokers.splice(0)) await b.stop();
  for (const o of outboxes.splice(0)) o.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  checkEveryPayload(captured);
});

async function broker(users?: Record<string, string>): Promise<TestBroker> {
  const b = await TestBroker.start({ users });
  brokers.push(b);
  return b;
}

async function collector(b: TestBroker, auth?: { username: string; password: string }): Promise<Collector> {
  const c = await Collector.connect(b.url, auth);
  collectors.push(c);
  return c;
}

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'byliv-publish-'));
  dirs.push(d);
  return d;
}

function outbox(bounds = { maxRows: 10_000, maxAgeSeconds: 86_400 }): Outbox {
  const o = Outbox.open(join(tempDir(), 'outbox.sqlite'), bounds);
  outboxes.push(o);
  return o;
}

/** The events a publisher reported, with a way to wait for one. */
class EventLog {
  readonly all: PublisherEvent[] = [];
  private waiters: (() => void)[] = [];
  readonly listener = (event: PublisherEvent) => {
    this.all.push(event);
    for (const w of [...this.waiters]) w();
  };
  of<K extends PublisherEvent['kind']>(kind: K): Extract<PublisherEvent, { kind: K }>[] {
    return this.all.filter((e): e is Extract<PublisherEvent, { kind: K }> => e.kind === kind);
  }
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }
}

function publisher(b: TestBroker, box: Outbox, extra: Partial<PublisherOptions> = {}): { publisher: Publisher; events: EventLog } {
  const events = new EventLog();
  const p = new Publisher({
    url: b.url,
    clientId: `edge-${SITE}-cam1-${Math.random().toString(36).slice(2)}`,
    site: SITE,
    camera: 'cam1',
    outbox: box,
    reconnect: { initialMs: 50, maxMs: 200 },
    onEvent: events.listener,
    ...extra,
  });
  publishers.push(p);
  return { publisher: p, events };
}

/** Batch ids in the order each first arrived (QoS 1 may repeat one; the hub dedups). */
function firstArrivals(batches: CountBatch[]): string[] {
  return [...new Set(batches.map((b) => b.batchId))];
}

describe('Publisher (real Mosquitto)', () => {
  it('sends batches in enqueue order and deletes each from the outbox only after its PUBACK', async () => {
    const b = await broker();
    const seen = await collector(b);
    const box = outbox();
    const { publisher: p, events } = publisher(b, box, { window: 8 });
    p.start();
    await events.until(() => events.of('connected').length === 1);

    b.freeze(); // the socket stays open, but no PUBACK can come back
    const batches = Array.from({ length: 20 }, (_, seq) => sampleBatch(seq));
    for (const batch of batches) box.enqueue(batch);
    await events.until(() => events.of('sending').length === 8);
    expect(events.of('sending').map((e) => e.batchId)).toEqual(batches.slice(0, 8).map((x) => x.batchId));
    expect(await p.drain(50)).toEqual({ sent: 0, queued: 20 });
    expect(events.of('sent')).toEqual([]);

    b.thaw();
    expect(await p.drain(60_000)).toEqual({ sent: 20, queued: 0 });
    expect(events.of('sent').map((e) => e.seq)).toEqual(batches.map((x) => x.seq));
    await seen.until(() => seen.counts().length >= 20);
    expect(seen.counts()).toEqual(batches); // exactly as enqueued, in order, nothing added
  });

  it('keeps batches through a broker crash and refused credentials, then delivers the backlog in order', async () => {
    const b = await broker({ reader: 'reader-pass', cam1: 'cam1-pass' });
    const seen = await collector(b, { username: 'reader', password: 'reader-pass' });
    const box = outbox();
    const { publisher: p, events } = publisher(b, box, { username: 'cam1', password: 'cam1-pass' });
    const batches = Array.from({ length: 30 }, (_, seq) => sampleBatch(seq));
    p.start();
    for (const batch of batches.slice(0, 10)) box.enqueue(batch);
    expect((await p.drain(60_000)).queued).toBe(0);
    await seen.until(() => seen.counts().length >= 10);

    await b.kill();
    await events.until(() => events.of('offline').length >= 1);
    for (const batch of batches.slice(10, 30)) box.enqueue(batch);
    expect(box.depth()).toBe(20); // nothing can be acknowledged while the broker is gone

    // Back on the same port, but without this camera's password: refused, and nothing lost.
    await b.restart({ reader: 'reader-pass' });
    await events.until(() => events.of('refused').length >= 1);
    expect(events.of('refused')[0].message).toMatch(/broker refused the credentials for camera square\/cam1 \(code 5/);
    expect(box.depth()).toBe(20);
    await seen.until(() => seen.subscriptions >= 2); // listening again before the camera may in

    b.reloadUsers({ reader: 'reader-pass', cam1: 'cam1-pass' });
    expect(await p.drain(60_000)).toMatchObject({ queued: 0 });
    await seen.until(() => firstArrivals(seen.counts()).length >= 30);
    expect(firstArrivals(seen.counts())).toEqual(batches.map((x) => x.batchId));
  });

  it('has the broker announce the camera offline (retained last will) when the agent dies', async () => {
    const b = await broker();
    const seen = await collector(b);
    const dir = tempDir();
    const here = new URL('.', import.meta.url).pathname;
    const script = `
      import { Outbox } from ${JSON.stringify(join(here, '../outbox/index.ts'))};
      import { Publisher } from ${JSON.stringify(join(here, 'index.ts'))};
      const outbox = Outbox.open(${JSON.stringify(join(dir, 'child.sqlite'))}, { maxRows: 10, maxAgeSeconds: 60 });
      new Publisher({ url: ${JSON.stringify(b.url)}, clientId: 'edge-square-gate', site: 'square', camera: 'gate', outbox }).start();
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const topic = statusTopic(SITE, 'gate');
    const gateStatus = () => seen.messages.filter((m) => m.topic === topic).map((m) => CameraStatus.parse(JSON.parse(m.payload)));
    await seen.until(() => gateStatus().some((s) => s.state === 'online'));

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL'); // no DISCONNECT is ever sent: only the broker can tell
    await exited;
    await seen.until(() => gateStatus().at(-1)?.state === 'offline');
    expect(gateStatus().at(-1)!.message).toMatch(/last will/);

    const later = await collector(b); // a hub starting now still learns the camera is offline
    await later.until(() => later.messages.some((m) => m.topic === topic));
    const retained = later.messages.find((m) => m.topic === topic)!;
    expect(retained.retain).toBe(true);
    expect(CameraStatus.parse(JSON.parse(retained.payload)).state).toBe('offline');
  });

  it('publishes the retained status with the outbox figures, and offline on stop', async () => {
    const b = await broker();
    const seen = await collector(b);
    const box = outbox({ maxRows: 2, maxAgeSeconds: 86_400 });
    for (const seq of [0, 1, 2]) box.enqueue(sampleBatch(seq)); // one dropped by the bound
    const { publisher: p } = publisher(b, box);
    p.start();
    expect(await p.drain(60_000)).toEqual({ sent: 2, queued: 0 });
    const report = { model: 'nanodet-m', fps: 9.5, inferenceMs: 41.2, framesDropped: 3, lastFrameAt: '2026-05-01T12:03:00.000Z' };
    await p.publishStatus(report);
    const withModel = () => seen.statuses().filter((s) => s.model === 'nanodet-m' && s.state === 'online');
    await seen.until(() => withModel().length > 0);
    expect(withModel()[0]).toMatchObject({ ...report, v: 1, site: SITE, camera: 'cam1', outboxDepth: 0, outboxDropped: 1 });

    await expect(p.publishStatus({ fps: -1 })).rejects.toThrow(/fps/);
    await expect(p.publishStatus({ tracks: [[1, 2]] } as never)).rejects.toThrow(OutboundRefusedError);

    await p.stop();
    await seen.until(() => seen.statuses().at(-1)?.state === 'offline');
    expect(seen.statuses().at(-1)).toMatchObject({ state: 'offline', message: 'agent stopped', model: 'nanodet-m' });
    const later = await collector(b);
    await later.until(() => later.statuses().length > 0);
    expect(later.messages[0].retain).toBe(true);
    expect(later.statuses()[0].state).toBe('offline');
  });

  it('refuses, at the one choke point, anything but a strict CountBatch or CameraStatus of this camera', async () => {
    const b = await broker();
    const seen = await collector(b);
    const { publisher: p, events } = publisher(b, outbox());
    p.start();
    await events.until(() => events.of('connected').length === 1);
    const counts = countsTopic(SITE, 'cam1');
    const withTracks = { ...sampleBatch(1), tracks: [{ id: 4, box: [10, 20, 30, 90], foot: [20, 90] }] };
    await expect(p.sendValidated(counts, CountBatch, withTracks)).rejects.toThrow(/not a valid CountBatch:\n.*tracks/);
    await expect(p.sendValidated(statusTopic(SITE, 'cam1'), CountBatch, sampleBatch(1))).rejects.toThrow(/only on byliv\/v1\/square\/cam1\/counts/);
    await expect(p.sendValidated(countsTopic(SITE, 'cam2'), CountBatch, sampleBatch(1, 'cam2'))).rejects.toThrow(OutboundRefusedError);
    await expect(p.sendValidated(counts, CountBatch, { ...sampleBatch(1), camera: 'cam2' })).rejects.toThrow(/is for square\/cam2/);
    const anything = z.object({}).passthrough() as unknown as typeof CountBatch;
    await expect(p.sendValidated(counts, anything, { frame: 'base64…' })).rejects.toThrow(/only a CountBatch or a CameraStatus may leave/);
    await expect(p.sendValidated(counts, CountBatch, Buffer.alloc(16))).rejects.toThrow(OutboundRefusedError);

    await p.sendValidated(counts, CountBatch, sampleBatch(1)); // the only one that may go
    await seen.until(() => seen.counts().length === 1);
    expect(seen.counts()).toEqual([sampleBatch(1)]);
  });

  it('keeps everything queued and says so when no broker answers', async () => {
    const box = outbox();
    for (const seq of [0, 1, 2]) box.enqueue(sampleBatch(seq));
    const events = new EventLog();
    const p = new Publisher({ url: `mqtt://127.0.0.1:${await freePort()}`, clientId: 'edge-nobody', site: SITE, camera: 'cam1', outbox: box, reconnect: { initialMs: 50, maxMs: 100 }, onEvent: events.listener });
    publishers.push(p);
    p.start();
    await events.until(() => events.of('offline').length >= 2);
    expect(events.of('offline')[0].reason).toMatch(/ECONNREFUSED/);
    expect(await p.drain(10)).toEqual({ sent: 0, queued: 3 });
  });

  it('publishes over TLS to a broker it trusts, and to none it does not', async () => {
    const dir = tempDir();
    const certfile = join(dir, 'broker.crt');
    const keyfile = join(dir, 'broker.key');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyfile, '-out', certfile], { stdio: 'ignore' });
    const ca = readFileSync(certfile, 'utf8');
    const b = await TestBroker.start({ tls: { certfile, keyfile } });
    brokers.push(b);
    expect(b.url).toMatch(/^mqtts:/);
    const seen = await Collector.connect(b.url, { ca });
    collectors.push(seen);

    const untrusting = outbox();
    untrusting.enqueue(sampleBatch(0));
    const { publisher: stranger, events: strangerEvents } = publisher(b, untrusting); // no CA: the self-signed broker is not trusted
    stranger.start();
    await strangerEvents.until(() => strangerEvents.of('offline').length >= 1);
    expect(strangerEvents.of('offline')[0].reason).toMatch(/self[- ]signed/i);
    expect(untrusting.depth()).toBe(1);
    await stranger.stop();

    const box = outbox();
    box.enqueue(sampleBatch(0));
    const { publisher: p } = publisher(b, box, { tls: { ca } });
    p.start();
    expect(await p.drain(60_000)).toEqual({ sent: 1, queued: 0 });
    await seen.until(() => seen.counts().length === 1);
    expect(seen.counts()).toEqual([sampleBatch(0)]);
  });

  it('refuses a URL that is not MQTT, and TLS options without mqtts://', () => {
    const base = { clientId: 'x', site: SITE, camera: 'cam1', outbox: outbox() };
    expect(() => new Publisher({ ...base, url: 'http://hub:8080' })).toThrow(/must start with mqtt:\/\//);
    expect(() => new Publisher({ ...base, url: 'mqtt://hub:1883', tls: { ca: 'x' } })).toThrow(/not mqtts:\/\//);
  });

  it('fails with a clear message when mosquitto is missing', async () => {
    await expect(TestBroker.start({ binary: '/nonexistent/mosquitto' })).rejects.toThrow(/mosquitto was not found at \/nonexistent\/mosquitto.*apt-get install mosquitto/);
  });
});

describe('privacy choke point', () => {
  it('is the only MQTT publish anywhere in the edge agent', () => {
    const root = new URL('..', import.meta.url).pathname;
    const calls: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$|test-broker\.ts$/.test(entry.name)) {
          const n = readFileSync(path, 'utf8').match(/\.publish(Async)?\(/g)?.length ?? 0;
          for (let i = 0; i < n; i++) calls.push(path.slice(root.length));
        }
      }
    };
    walk(root);
    expect(calls).toEqual(['publish/publisher.ts']);
    const source = readFileSync(join(root, 'publish/publisher.ts'), 'utf8');
    const inside = source.slice(source.indexOf('async sendValidated('), source.indexOf('async publishStatus('));
    expect(inside).toMatch(/client\.publish\(/);
  });
});
