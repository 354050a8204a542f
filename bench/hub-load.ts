/**
 * The hub under a researcher's load (issue 15 rows 5, 6, 8): one hub process (the real CLI,
 * embedded broker, SQLite file seeded with a year of 15-minute bins from two cameras), and
 *
 * 1. PUBACK and /healthz latency with nothing else going on;
 * 2. the same while `--queries` concurrent year-long /series queries of a researcher run
 *    (p50/p99/max, and how the queries were answered: 200, or 429/503 with Retry-After);
 * 3. the hub's RSS (VmRSS from /proc/<pid>/status, every 20 ms) through 8 unauthenticated
 *    300 MiB bodies to POST /api/v1/session and 4 cameras announcing 255 MiB MQTT payloads,
 *    against 512 MiB.
 *
 * `--hub DIR` runs another copy of the hub package (a copy of the code before a change, to
 * measure before and after on the same machine and data). Latencies on a shared box are noisy:
 * compare the two runs' ratios to their own idle figures.
 *
 * Usage: npx tsx bench/hub-load.ts [--queries 50] [--days 365] [--hub hub] [--json out.json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { MqttClient } from 'mqtt';
import { countsTopic } from '@byliv/protocol';
import type * as LoadData from '../hub/test/load-data.ts';
import type * as Store from '../hub/src/store/index.ts';
import { connectClient } from '../hub/test/mqtt.ts';

const { values } = parseArgs({ options: { queries: { type: 'string', default: '50' }, days: { type: 'string', default: '365' }, hub: { type: 'string', default: 'hub' }, json: { type: 'string' } } });
const queries = Number(values.queries);
const days = Number(values.days);
const root = resolve(import.meta.dirname, '..');
const hubDir = resolve(root, values.hub!);
const hubCli = join(hubDir, 'src/cli.ts');
// Seeded by the measured hub's own code: a newer schema would be refused by an older hub.
const { HubStore } = (await import(join(hubDir, 'src/store/index.ts'))) as typeof Store;
const { LOAD_SITE, loadBatch, seedLoad } = (await import(join(hubDir, 'test/load-data.ts'))) as typeof LoadData;
const MiB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'byliv-bench-load-'));
const t0 = performance.now();
const store = HubStore.open(join(dir, 'hub.sqlite'), { synchronous: 'NORMAL' });
const seeded = await seedLoad(store, { cameras: 2, days });
await store.close();
console.log(`hub load (${values.hub}): ${days} days × 2 cameras of 15-min bins seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// The CLI run directly (not through bin/, which is a second process): RSS is this pid's.
const hub: ChildProcess = spawn(process.execPath, ['--import', createRequire(import.meta.url).resolve('tsx'), hubCli, 'start', '--data-dir', dir, '--mqtt-port', '0', '--http-port', '0', '--mqtt-host', '127.0.0.1', '--http-host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
let hubLog = '';
hub.stderr!.on('data', (d: Buffer) => (hubLog = (hubLog + d.toString()).slice(-4000)));
const ready = await new Promise<{ mqttPort: number; httpPort: number }>((ok, fail) => {
  createInterface({ input: hub.stdout! }).once('line', (line) => ok(JSON.parse(line)));
  hub.once('exit', (code) => fail(new Error(`hub exited (${code}): ${hubLog}`)));
});
const http = `http://127.0.0.1:${ready.httpPort}`;
const camera = seeded.cameras[0];
const mqtt: MqttClient = await connectClient(`mqtt://127.0.0.1:${ready.mqttPort}`, { ...camera, clientId: camera.username });

let seq = days * 96;
const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
const puback = () => timed(() => mqtt.publishAsync(countsTopic(LOAD_SITE, 'cam0'), JSON.stringify(loadBatch('cam0', seq++)), { qos: 1 }));
const healthz = () => timed(async () => (await fetch(`${http}/healthz`)).arrayBuffer());
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const figures = (xs: number[]) => ({ p50: pct(xs, 50), p99: pct(xs, 99), max: Math.max(...xs), n: xs.length });
const show = (label: string, xs: number[]) => {
  const f = figures(xs);
  console.log(`  ${label.padEnd(34)} p50 ${f.p50.toFixed(0).padStart(6)} ms  p99 ${f.p99.toFixed(0).padStart(6)} ms  max ${f.max.toFixed(0).padStart(6)} ms  (${f.n} samples)`);
  return f;
};

/** PUBACK and /healthz sampled every 100 ms until `until` resolves (or `n` samples without one). */
async function sample(until: Promise<unknown> | null, n = 20): Promise<{ puback: number[]; healthz: number[] }> {
  let done = false;
  void until?.then(() => (done = true));
  const out = { puback: [] as number[], healthz: [] as number[] };
  while (until ? !done : out.puback.length < n) {
    out.puback.push(await puback());
    out.healthz.push(await healthz());
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

const results: Record<string, unknown> = { hub: values.hub, days, queries };
const idle = await sample(null);
results.idle = { puback: show('idle: PUBACK', idle.puback), healthz: show('idle: /healthz', idle.healthz) };

const url = `${http}/api/v1/series?subject=site:${LOAD_SITE}&from=2025-01-01&to=2026-01-01&rollup=day`;
const qStart = performance.now();
const answers = Promise.all(
  Array.from({ length: queries }, async () => {
    const r = await fetch(url, { headers: { authorization: `Bearer ${seeded.researcherToken}` } });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - qStart };
  }),
);
const loaded = await sample(answers);
const done = await answers;
const byStatus: Record<number, number> = {};
for (const a of done) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
results.loaded = { puback: show(`${queries} queries: PUBACK`, loaded.puback), healthz: show(`${queries} queries: /healthz`, loaded.healthz) };
const lastMs = Math.max(...done.map((a) => a.ms));
console.log(`  /series answers: ${Object.entries(byStatus).map(([s, n]) => `${n}× ${s}`).join(', ')}; the last after ${(lastMs / 1000).toFixed(1)} s`);
results.answers = { byStatus, lastMs };
const ratio = (a: number, b: number) => (a / Math.max(b, 1)).toFixed(1);
console.log(`  PUBACK p99 under load / idle: ${ratio(figures(loaded.puback).p99, figures(idle.puback).p99)}×; /healthz: ${ratio(figures(loaded.healthz).p99, figures(idle.healthz).p99)}×`);

// --- RSS through the floods ---
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${hub.pid}/status`, 'utf8'))![1]) * 1024;
let peak = rss();
const before = peak;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);

/** One unauthenticated POST trying to push `bytes`: announced with Content-Length, or chunked. */
function bodyFlood(bytes: number, chunked: boolean): Promise<string> {
  return new Promise((ok) => {
    const req = request(`${http}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(bytes) }) } }, (res) => {
      res.resume();
      res.once('end', () => ok(String(res.statusCode)));
    });
    req.once('error', (e) => ok(`closed (${(e as NodeJS.ErrnoException).code})`));
    const chunk = Buffer.alloc(MiB, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const mqttString = (s: string) => {
  const b = Buffer.from(s);
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 255]), b]);
};
const remaining = (n: number) => {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 128;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
};

/** A camera (its real account) announcing a `bytes` PUBLISH and streaming it; how much the hub took before closing. */
function payloadFlood(creds: { username: string; password: string }, bytes: number): Promise<number> {
  return new Promise((ok) => {
    const socket = tcpConnect(ready.mqttPort, '127.0.0.1');
    let sent = 0;
    const chunk = Buffer.alloc(MiB, 0x7b);
    socket.once('connect', () => {
      const body = Buffer.concat([mqttString('MQTT'), Buffer.from([4, 0xc2, 0, 60]), mqttString(creds.username), mqttString(creds.username), mqttString(creds.password)]);
      socket.write(Buffer.concat([Buffer.from([0x10]), remaining(body.length), body]));
    });
    socket.once('data', () => {
      // CONNACK: announce the payload, then stream it
      const topic = mqttString(countsTopic(LOAD_SITE, creds.username.split('/')[1]));
      socket.write(Buffer.concat([Buffer.from([0x32]), remaining(topic.length + 2 + bytes), topic, Buffer.from([0, 1])]));
      const pump = () => {
        while (sent < bytes && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    socket.once('error', () => undefined);
    socket.once('close', () => ok(sent));
  });
}

const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => bodyFlood(300 * MiB, i % 2 === 1)));
const afterBodies = peak;
const payloads = await Promise.all([...seeded.cameras, ...seeded.cameras].map((c) => payloadFlood(c, 255 * MiB)));
await new Promise((r) => setTimeout(r, 500));
clearInterval(sampler);
// Alive: /healthz answers and a fresh camera connection gets its PUBACK.
const alive = await (async () => {
  try {
    const fresh = await connectClient(`mqtt://127.0.0.1:${ready.mqttPort}`, { ...camera, clientId: camera.username });
    await fresh.publishAsync(countsTopic(LOAD_SITE, 'cam0'), JSON.stringify(loadBatch('cam0', seq++)), { qos: 1 });
    await fresh.endAsync();
    return (await fetch(`${http}/healthz`)).status === 200;
  } catch {
    return false;
  }
})();
console.log(`  RSS: ${(before / MiB).toFixed(0)} MiB before the floods; peak ${(afterBodies / MiB).toFixed(0)} MiB through 8 × 300 MiB bodies (answers: ${bodies.join(', ')}),`);
console.log(`       peak ${(peak / MiB).toFixed(0)} MiB through 4 × 255 MiB MQTT payloads (written before the hub closed: ${payloads.map((b) => `${(b / MiB).toFixed(0)} MiB`).join(', ')}); hub alive: ${alive}; under 512 MiB: ${peak < 512 * MiB}`);
results.rss = { beforeMiB: before / MiB, peakBodiesMiB: afterBodies / MiB, peakMiB: peak / MiB, alive, under512: peak < 512 * MiB };

await mqtt.endAsync().catch(() => undefined);
hub.kill('SIGTERM');
await new Promise((r) => hub.once('exit', r));
rmSync(dir, { recursive: true, force: true });
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
