/**
 * Hub ingest rate: count batches per second from MQTT publish to committed row, in one run:
 *
 * 1. the hub's embedded broker → SQLite;
 * 2. Mosquitto → one hub → SQLite (external-broker mode);
 * 3. Mosquitto → two hubs in one share group, each with its own SQLite file;
 * 4. Mosquitto → one hub → PostgreSQL;
 * 5. Mosquitto → two hubs in one share group → one PostgreSQL database;
 *
 * and each as a ratio to (2), since these machines are noisy. The hubs run as their own
 * processes (the real CLI); the publishers run here, one mqtt.js client per camera, each
 * keeping `--window` batches in flight (QoS 1), as the edge publisher does. Done = the last
 * batch is committed. PostgreSQL runs with its durable defaults (fsync on), like SQLite FULL;
 * it is skipped, with a message, where its binaries are missing.
 *
 * Usage: npx tsx bench/hub-ingest.ts [--batches 2000] [--cameras 4] [--window 16] [--sqlite-synchronous FULL|NORMAL] [--json out.json]
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { connect, type MqttClient } from 'mqtt';
import { createTestDatabase, postgresAvailable, startPostgres } from '../hub/test/postgres.ts';
import { realisticCounts } from '../hub/test/load-data.ts';
import { batchIdFor, countsTopic, CountBatch } from '@byliv/protocol';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '2000' },
    cameras: { type: 'string', default: '4' },
    window: { type: 'string', default: '16' },
    'sqlite-synchronous': { type: 'string', default: 'FULL' },
    json: { type: 'string' },
  },
});
const total = Number(values.batches);
const cameraCount = Number(values.cameras);
const window = Number(values.window);
const synchronous = values['sqlite-synchronous']!.toUpperCase();
const MOSQUITTO = process.env.BYLIV_MOSQUITTO ?? '/usr/sbin/mosquitto';
const root = resolve(import.meta.dirname, '..');
const hubBin = join(root, 'hub/bin/byliv-hub.js');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before listening on ${port}`);
    const up = await new Promise<boolean>((ok) => {
      const s = tcpConnect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), ok(true)));
      s.once('error', () => ok(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A realistic batch: 3 lines, 3 zones with dwell histograms, one flow. */
function batch(camera: string, seq: number): CountBatch {
  const { lines, zones } = realisticCounts(seq);
  const binStart = new Date(Date.UTC(2025, 0, 1) + seq * 60_000).toISOString();
  return CountBatch.parse({
    v: 1, batchId: batchIdFor('bench', camera, binStart), site: 'bench', camera, seq, binStart, binSeconds: 60,
    lines, zones, flows: [{ from: 'lawn', to: 'stage', count: 1 + (seq % 3) }],
    quality: { framesProcessed: 600, framesExpected: 600, gapSeconds: 0 },
  });
}

interface Run {
  dir: string;
  hubs: ChildProcess[];
  mosquitto?: ChildProcess;
  url: string;
  creds: { username: string; password: string }[];
  /** How many batches are committed so far (over every hub's store). */
  stored(): Promise<number>;
  close(): Promise<void>;
}

/** The store options of a hub: its own data dir, and the shared database where there is one. */
const storeArgs = (dataDir: string, database?: string) => ['--data-dir', dataDir, ...(database ? ['--database', database] : [])];

function hubCli(storeOptions: string[], ...args: string[]): string {
  const r = spawnSync(process.execPath, [hubBin, ...args, ...storeOptions], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`byliv-hub ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function startHub(storeOptions: string[], args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const hub = spawn(process.execPath, [hubBin, 'start', ...storeOptions, '--http-port', '0', '--mqtt-host', '127.0.0.1', '--sqlite-synchronous', synchronous, ...(args.includes('--broker') ? [] : ['--camera-rate', '100000']), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  hub.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((ok, fail) => {
    createInterface({ input: hub.stdout! }).once('line', () => ok());
    hub.once('exit', (code) => fail(new Error(`hub exited (${code}): ${stderr}`)));
  });
  // external mode: the subscription is in place once it says so
  if (args.includes('--broker')) {
    while (!stderr.includes('subscribed to the counts')) {
      if (hub.exitCode !== null) throw new Error(`hub exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return hub;
}

/** Registers the cameras in one store; the same passwords then go into every other (SQLite) store by `camera add` there too. */
function registerCameras(storeOptions: string[]) {
  return Array.from({ length: cameraCount }, (_, i) => JSON.parse(hubCli(storeOptions, 'camera', 'add', '--site', 'bench', '--camera', `cam${i}`)) as { username: string; password: string });
}

function sqliteCount(files: string[]): () => Promise<number> {
  return async () => {
    let n = 0;
    for (const file of files) {
      if (!existsSync(file)) continue;
      const db = new Database(file, { readonly: true });
      n += (db.prepare('SELECT COUNT(*) AS n FROM count_bins').get() as { n: number }).n;
      db.close();
    }
    return n;
  };
}

async function embeddedRun(): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'byliv-bench-hub-'));
  const creds = registerCameras(storeArgs(dir));
  const port = await freePort();
  const hub = await startHub(storeArgs(dir), ['--mqtt-port', String(port)]);
  return { dir, hubs: [hub], url: `mqtt://127.0.0.1:${port}`, creds, stored: sqliteCount([join(dir, 'hub.sqlite')]), close: async () => undefined };
}

/**
 * Mosquitto and `hubs` hubs subscribed to it: on PostgreSQL (`database`) all in one database,
 * else each on its own SQLite file. With two hubs they share the subscription.
 */
async function mosquittoRun(hubCount: number, database?: { url: string; drop(): Promise<void> }): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'byliv-bench-mosq-'));
  const hubDirs = Array.from({ length: hubCount }, (_, i) => join(dir, `hub${i}`));
  const creds = registerCameras(storeArgs(hubDirs[0], database?.url));
  // Each SQLite hub needs the cameras too; the broker checks the passwords, the hub only that the camera exists.
  if (!database) for (const d of hubDirs.slice(1)) registerCameras(storeArgs(d));
  const hubPassword = 'bench-hub';
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '', { mode: 0o600 });
  execFileSync('/usr/bin/mosquitto_passwd', ['-b', passwd, 'byliv-hub', hubPassword]);
  for (const c of creds) execFileSync('/usr/bin/mosquitto_passwd', ['-b', passwd, c.username, c.password]);
  const port = await freePort();
  // The deployment's rules (deploy/mosquitto): authentication, the ACL, persistence, queue limit.
  const conf = [
    `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${passwd}`, `acl_file ${join(root, 'deploy/mosquitto/acl')}`,
    'persistence true', `persistence_location ${dir}/`, 'autosave_interval 10', 'max_queued_messages 100000', 'log_dest stderr', 'log_type error',
    ...(process.getuid?.() === 0 ? ['user root'] : []),
  ];
  writeFileSync(join(dir, 'mosquitto.conf'), conf.join('\n') + '\n');
  const mosquitto = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  await waitForPort(port, mosquitto, 'mosquitto');
  const share = hubCount > 1 ? ['--share-group', 'byliv'] : [];
  const hubs: ChildProcess[] = [];
  for (const d of hubDirs) {
    hubs.push(await startHub(storeArgs(d, database?.url), ['--broker', `mqtt://127.0.0.1:${port}`, '--broker-username', 'byliv-hub', ...share], { BYLIV_BROKER_PASSWORD: hubPassword }));
  }
  let stored: () => Promise<number>;
  let close = async () => undefined as void;
  if (database) {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    stored = async () => Number((await client.query('SELECT COUNT(*) AS n FROM count_bins')).rows[0].n);
    close = async () => {
      await client.end();
      await database.drop();
    };
  } else stored = sqliteCount(hubDirs.map((d) => join(d, 'hub.sqlite')));
  return { dir, hubs, mosquitto, url: `mqtt://127.0.0.1:${port}`, creds, stored, close };
}

/** Publishes `total` batches over `cameraCount` clients with `window` in flight each; seconds until all are in SQLite. */
async function measure(run: Run): Promise<number> {
  const clients: MqttClient[] = await Promise.all(
    run.creds.map((c, i) => new Promise<MqttClient>((ok, fail) => {
      const client = connect(run.url, { ...c, clientId: c.username, reconnectPeriod: 0 });
      client.once('connect', () => ok(client));
      client.once('error', fail);
    })),
  );
  const perCamera = Math.ceil(total / cameraCount);
  const payloads = clients.map((_, i) => Array.from({ length: Math.min(perCamera, total - i * perCamera) }, (_, seq) => JSON.stringify(batch(`cam${i}`, seq))));
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      const topic = countsTopic('bench', `cam${i}`);
      let next = 0;
      const lane = async () => {
        while (next < payloads[i].length) {
          const payload = payloads[i][next++];
          await client.publishAsync(topic, payload, { qos: 1 });
        }
      };
      await Promise.all(Array.from({ length: window }, lane));
    }),
  );
  while ((await run.stored()) < total) await new Promise((r) => setTimeout(r, 10));
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.endAsync()));
  return seconds;
}

async function stop(run: Run): Promise<void> {
  await Promise.all(
    run.hubs.map((hub) => {
      const exited = new Promise((ok) => hub.once('exit', ok));
      hub.kill('SIGTERM');
      return exited;
    }),
  );
  run.mosquitto?.kill('SIGTERM');
  await run.close();
  rmSync(run.dir, { recursive: true, force: true });
}

const results: Record<string, number> = {};
async function bench(key: string, label: string, start: () => Promise<Run>): Promise<void> {
  const run = await start();
  try {
    const s = await measure(run);
    results[key] = total / s;
    console.log(`  ${label.padEnd(44)} ${results[key].toFixed(0).padStart(6)} batches/s (${s.toFixed(2)} s)`);
  } finally {
    await stop(run);
  }
}

console.log(`hub ingest: ${total} batches from ${cameraCount} cameras, ${window} in flight each, QoS 1, SQLite synchronous=${synchronous}, PostgreSQL fsync on`);
await bench('embedded', 'embedded broker → SQLite', embeddedRun);
if (existsSync(MOSQUITTO)) {
  await bench('mosquitto', 'Mosquitto → 1 hub → SQLite', () => mosquittoRun(1));
  await bench('mosquitto2', 'Mosquitto → 2 hubs (shared) → 2 SQLite files', () => mosquittoRun(2));
  if (postgresAvailable()) {
    const cluster = await startPostgres({ durable: true });
    try {
      await bench('postgres', 'Mosquitto → 1 hub → PostgreSQL', async () => mosquittoRun(1, await createTestDatabase(cluster.url)));
      await bench('postgres2', 'Mosquitto → 2 hubs (shared) → 1 PostgreSQL', async () => mosquittoRun(2, await createTestDatabase(cluster.url)));
    } finally {
      await cluster.stop();
    }
  } else console.log('  PostgreSQL: not measured, no PostgreSQL binaries (Debian package postgresql)');
  console.log('  ratios to Mosquitto → 1 hub → SQLite:');
  for (const [key, value] of Object.entries(results)) if (key !== 'mosquitto') console.log(`    ${key.padEnd(12)} ${(value / results.mosquitto).toFixed(2)}`);
} else {
  console.log(`  Mosquitto: not measured, no binary at ${MOSQUITTO}`);
}
if (values.json) writeFileSync(values.json, JSON.stringify({ total, cameras: cameraCount, window, synchronous, batchesPerSecond: results }, null, 2) + '\n');
