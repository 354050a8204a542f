/**
 * System-test support: the real edge agent, the real hub and a real Mosquitto as child
 * processes on free local ports with temp data folders, plus the probes the tests read them
 * with (the hub's store — its SQLite file read-only, or its PostgreSQL database with
 * BYLIV_TEST_STORE=postgres —, the edge's outbox read-only, the hub's summary CLI).
 *
 * Every child is started in its own process group and registered here; `stopAll()` (and a
 * process 'exit' hook as a last resort) kills each group with SIGKILL, so a failed test never
 * leaves a hub, an agent, an ffmpeg or a broker behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { CameraStatus, CountBatch, CountSummary } from '@byliv/protocol';
import { openStore } from '../../src/store/index.ts';
import { SqliteClient, type SqlClient } from '../../src/store/sql.ts';
import { rawSql } from '../../src/store/testing.ts';

export const REPO = resolve(import.meta.dirname, '../../..');
export const PETS_VIDEO = process.env.BYLIV_PETS_VIDEO ?? resolve(REPO, '../shared/datasets/pets09-s2l1/vtest.avi');
export const PETS_SCENE = join(REPO, 'bench/scenes/pets09.json');
export const SITE = 'pets09';
export const CAMERA = 'view1';
const HUB_CLI = join(REPO, 'hub/src/cli.ts');
const EDGE_CLI = join(REPO, 'edge/src/cli.ts');
export const MOSQUITTO = process.env.BYLIV_MOSQUITTO ?? '/usr/sbin/mosquitto';
export const MOSQUITTO_PASSWD = process.env.BYLIV_MOSQUITTO_PASSWD ?? '/usr/bin/mosquitto_passwd';

/** Fails with what to do, rather than skipping: CI installs mosquitto, so its absence is a setup error. */
export function requireTools(): void {
  const needs: [string, string, string][] = [
    ['the PETS09-S2L1 video', PETS_VIDEO, 'set BYLIV_PETS_VIDEO to its path'],
    ['mosquitto', MOSQUITTO, 'apt-get install mosquitto, or set BYLIV_MOSQUITTO'],
    ['mosquitto_passwd', MOSQUITTO_PASSWD, 'apt-get install mosquitto, or set BYLIV_MOSQUITTO_PASSWD'],
  ];
  for (const [what, path, fix] of needs) {
    if (!existsSync(path)) throw new Error(`the system tests need ${what} at ${path}: ${fix}`);
  }
}

import { canConnect, freePort } from '../net.ts';

export { freePort };

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => (process.env.BYLIV_KEEP_TEST_DIR ? console.log(`kept ${path}`) : rmSync(path, { recursive: true, force: true })) };
}

/**
 * Polls `check` until it holds. `alive` is asked too: when a process the condition depends on
 * has already exited, waiting longer cannot help, so the wait fails at once with `describe()`.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  opts: { timeoutMs?: number; intervalMs?: number; alive?: () => string | undefined; describe?: () => string } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const started = Date.now();
  for (;;) {
    if (await check()) return;
    const dead = opts.alive?.();
    const state = () => (opts.describe ? `\n${opts.describe()}` : '');
    if (dead) throw new Error(`gave up waiting for ${what}: ${dead}${state()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms${state()}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes

const running = new Set<Child>();
const started: Child[] = [];

/** The last lines of every child started so far, for a failed test's report. */
export function childTails(lines = 30): string {
  return started.map((c) => `--- ${c.name} (${c.alive ? 'running' : 'exited'})\n${c.tail(lines)}`).join('\n');
}

/** A child process in its own group, with its output kept for failure messages. */
export class Child {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly lineWaiters = new Set<() => void>();
  private readonly proc: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: Record<string, string> = {},
  ) {
    this.proc = spawn(command, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    running.add(this);
    started.push(this);
    for (const stream of [this.proc.stdout!, this.proc.stderr!]) {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop()!;
        this.output.push(...lines);
        if (this.output.length > 4000) this.output.splice(0, this.output.length - 4000);
        for (const w of [...this.lineWaiters]) w();
      });
    }
    this.exited = new Promise((ok) =>
      this.proc.once('exit', (code, signal) => {
        running.delete(this);
        ok({ code, signal });
        for (const w of [...this.lineWaiters]) w();
      }),
    );
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Why waiting on this child is pointless, or undefined while it runs. */
  deadReason = (): string | undefined => (this.alive ? undefined : `${this.name} exited (${this.proc.exitCode ?? this.proc.signalCode})\n${this.tail()}`);

  tail(lines = 25): string {
    return this.output.slice(-lines).map((l) => `  ${this.name}| ${l}`).join('\n');
  }

  /** Resolves with the first output line matching `pattern` (already seen ones count). */
  waitForLine(pattern: RegExp, what: string, timeoutMs = 60_000): Promise<string> {
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => done(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
      const done = (error?: Error, line?: string) => {
        clearTimeout(timer);
        this.lineWaiters.delete(check);
        if (error) fail(error);
        else ok(line!);
      };
      const check = () => {
        const line = this.output.find((l) => pattern.test(l));
        if (line !== undefined) return done(undefined, line);
        if (!this.alive) done(new Error(`${this.name} exited before ${what}\n${this.tail()}`));
      };
      this.lineWaiters.add(check);
      check();
    });
  }

  /** Signals the whole process group (the edge's ffmpeg dies with the edge, as on a crash). */
  signal(signal: NodeJS.Signals): void {
    if (!this.alive) return;
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** SIGKILL, and wait until it is gone. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }
}

/** Kills every child still running (tests call this in afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.kill()));
}

process.once('exit', () => {
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const tsx = (script: string, args: string[]) => ['--import', 'tsx', script, ...args];

// ---------------------------------------------------------------------------------------------
// The hub

/** Where a hub keeps its store: the data dir (hub.sqlite), or a PostgreSQL database when `database` is set. */
export interface HubLocation {
  dataDir: string;
  /** postgres://… (testStoreLocation() gives one with BYLIV_TEST_STORE=postgres). */
  database?: string;
}

/** The CLI options naming a hub's store. */
export const storeArgs = (hub: HubLocation): string[] => ['--data-dir', hub.dataDir, ...(hub.database === undefined ? [] : ['--database', hub.database])];

export interface HubOptions extends HubLocation {
  mqttPort: number;
  httpPort: number;
  /** External-broker mode. */
  broker?: { url: string; username: string; password: string };
}

/** `byliv-hub start` as a process; `start` resolves once it answers /healthz (and, external, has subscribed). */
export class HubProcess {
  private constructor(
    readonly options: HubOptions,
    readonly child: Child,
  ) {}

  static async start(options: HubOptions, name = 'hub'): Promise<HubProcess> {
    const args = ['start', ...storeArgs(options), '--http-port', String(options.httpPort), '--http-host', '127.0.0.1'];
    if (options.broker) args.push('--broker', options.broker.url, '--broker-username', options.broker.username);
    else args.push('--mqtt-port', String(options.mqttPort), '--mqtt-host', '127.0.0.1');
    const child = new Child(name, process.execPath, tsx(HUB_CLI, args), options.broker ? { BYLIV_BROKER_PASSWORD: options.broker.password } : {});
    const hub = new HubProcess(options, child);
    await child.waitForLine(/"ready":true/, 'ready line');
    await until(async () => (await fetch(`http://127.0.0.1:${options.httpPort}/healthz`).then((r) => r.ok, () => false)), `${name} /healthz`, { alive: child.deadReason, timeoutMs: 30_000 });
    if (options.broker) await child.waitForLine(/subscribed to the counts and status/, 'subscription to the external broker');
    return hub;
  }

  /** Same data folder and ports, a new process. */
  restart(name = 'hub'): Promise<HubProcess> {
    return HubProcess.start(this.options, name);
  }
}

/** `byliv-hub ARGS` to the end; its stdout, or an error with its stderr. */
export function hubCli(args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, tsx(HUB_CLI, args), { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`byliv-hub ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export function addCamera(hub: HubLocation, site = SITE, camera = CAMERA): { username: string; password: string } {
  return JSON.parse(hubCli(['camera', 'add', '--site', site, '--camera', camera, ...storeArgs(hub)]));
}

/** `byliv-hub summary` on the hub's store, parsed strictly. */
export function hubSummary(hub: HubLocation, site = SITE, camera = CAMERA): CountSummary {
  return CountSummary.parse(JSON.parse(hubCli(['summary', '--site', site, '--camera', camera, ...storeArgs(hub)])));
}

function readOnly<T>(path: string, read: (db: Database.Database) => T, fallback: T): T {
  if (!existsSync(path)) return fallback;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return read(db);
  } finally {
    db.close();
  }
}

export const hubDatabase = (dataDir: string) => join(dataDir, 'hub.sqlite');

/**
 * Reads the hub's store while the hub runs: its SQLite file on a read-only connection (the
 * fallback while there is no file yet), or its PostgreSQL database.
 */
async function readHub<T>(hub: HubLocation, read: (sql: SqlClient) => Promise<T>, fallback: T): Promise<T> {
  if (hub.database === undefined) {
    const path = hubDatabase(hub.dataDir);
    if (!existsSync(path)) return fallback;
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const sql = new SqliteClient(db, path);
    try {
      return await read(sql);
    } finally {
      await sql.close();
    }
  }
  const store = await openStore(hub);
  try {
    return await read(rawSql(store));
  } finally {
    await store.close();
  }
}

export interface HubContents {
  /** Rows of count_bins, oldest bin first: the stored payload, parsed strictly. */
  batches: CountBatch[];
  statuses: CameraStatus[];
  deadLetters: { topic: string; reason: string }[];
}

/** What the hub has stored, read from its store without writing to it. */
export function hubContents(hub: HubLocation): Promise<HubContents> {
  return readHub(
    hub,
    async (sql) => ({
      batches: (await sql.all<{ payload: string }>('SELECT payload FROM count_bins ORDER BY bin_start_ms, seq')).map((r) => CountBatch.parse(JSON.parse(r.payload))),
      statuses: (await sql.all<{ payload: string }>('SELECT payload FROM camera_status ORDER BY id')).map((r) => CameraStatus.parse(JSON.parse(r.payload))),
      deadLetters: await sql.all<{ topic: string; reason: string }>('SELECT topic, reason FROM dead_letters ORDER BY id'),
    }),
    { batches: [], statuses: [], deadLetters: [] },
  );
}

/** The batchIds as the agent sent them (the stored key is scoped by site and camera). */
export function storedBatchIds(hub: HubLocation): Promise<string[]> {
  return readHub(hub, async (sql) => (await sql.all<{ payload: string }>('SELECT payload FROM count_bins')).map((r) => (JSON.parse(r.payload) as { batchId: string }).batchId), []);
}

/** The hub's audit log, oldest first. */
export function hubAudit(hub: HubLocation): Promise<{ action: string; username: string | null }[]> {
  return readHub(hub, (sql) => sql.all<{ action: string; username: string | null }>('SELECT action, username FROM audit_log ORDER BY id'), []);
}

// ---------------------------------------------------------------------------------------------
// The edge agent

export interface EdgeOptions {
  dataDir: string;
  summary: string;
  brokerUrl: string;
  username: string;
  password: string;
  maxFrames?: number;
  /** Default 5. */
  binSeconds?: number;
  /** Wall time of the video's first frame (default: the file's own). */
  startTime?: Date;
}

/** The arguments of one `byliv-edge run`; a restart uses exactly the same ones. */
export function edgeArgs(o: EdgeOptions): string[] {
  const args = ['run', '--source', PETS_VIDEO, '--scene', PETS_SCENE, '--bin-seconds', String(o.binSeconds ?? 5), '--summary', o.summary, '--data-dir', o.dataDir];
  // Pinned, so every run in a session does the same arithmetic (ONNX Runtime splits work by thread).
  args.push('--threads', '2', '--drain-timeout', '180');
  // The password goes in BYLIV_MQTT_PASSWORD (startEdge): a generated one may start with "-",
  // which `--password <p>` cannot take (node's parseArgs reads it as an option).
  args.push('--broker', o.brokerUrl, '--username', o.username);
  if (o.maxFrames) args.push('--max-frames', String(o.maxFrames));
  if (o.startTime) args.push('--start-time', o.startTime.toISOString());
  return args;
}

export function startEdge(o: EdgeOptions, name = 'edge'): Child {
  return new Child(name, process.execPath, tsx(EDGE_CLI, edgeArgs(o)), { BYLIV_MQTT_PASSWORD: o.password });
}

export interface EdgeResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the agent's "done: N frames, B bins" line. */
  bins: number;
  summary: CountSummary;
}

export async function edgeFinished(edge: Child, summaryPath: string): Promise<EdgeResult> {
  const { code, signal } = await edge.exited;
  const done = edge.output.find((l) => /byliv-edge: done: \d+ frames, \d+ bins/.test(l));
  if (!done || !existsSync(summaryPath)) throw new Error(`edge ended (${code ?? signal}) without its done line or summary\n${edge.tail(40)}`);
  const bins = Number(/, (\d+) bins/.exec(done)![1]);
  return { code, signal, bins, summary: CountSummary.parse(JSON.parse(readFileSync(summaryPath, 'utf8'))) };
}

/** Batches waiting in the agent's outbox (edge/src/outbox: outbox-{site}-{camera}.sqlite). */
export function outboxDepth(edgeDataDir: string, site = SITE, camera = CAMERA): number {
  return readOnly(join(edgeDataDir, `outbox-${site}-${camera}.sqlite`), (db) => {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'batch'").get();
    return exists ? (db.prepare('SELECT COUNT(*) FROM batch').pluck().get() as number) : 0;
  }, 0);
}

// ---------------------------------------------------------------------------------------------
// Mosquitto

export interface MosquittoUsers {
  [username: string]: string;
}

/**
 * A real Mosquitto on a fixed port with persistence, a password file and the deploy ACL (plus
 * a capture user allowed to read everything). `restart` keeps the port and the database.
 */
export class MosquittoProcess {
  child: Child | null = null;

  constructor(
    readonly port: number,
    readonly dir: string,
    users: MosquittoUsers,
  ) {
    const passwords = join(dir, 'passwd');
    writeFileSync(passwords, '', { mode: 0o600 });
    for (const [user, password] of Object.entries(users)) {
      const r = spawnSync(MOSQUITTO_PASSWD, ['-b', passwords, user, password], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`mosquitto_passwd for ${user} failed: ${r.stderr}`);
    }
    const acl = `${readFileSync(join(REPO, 'deploy/mosquitto/acl'), 'utf8')}\n# system tests: the privacy capture reads everything\nuser ${CAPTURE_USER}\ntopic read #\n`;
    const config = [
      'per_listener_settings false',
      'allow_anonymous false',
      `password_file ${passwords}`,
      `acl_file ${join(dir, 'acl')}`,
      'persistence true',
      `persistence_location ${dir}/`,
      // Saved on SIGUSR1 and on a clean exit; the tests ask for a save before a crash.
      'autosave_interval 0',
      'max_queued_messages 100000',
      `listener ${port} 127.0.0.1`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      ...(process.getuid?.() === 0 ? ['user root'] : []),
    ];
    writeFileSync(join(dir, 'acl'), acl);
    writeFileSync(join(dir, 'mosquitto.conf'), config.join('\n') + '\n');
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get database(): string {
    return join(this.dir, 'mosquitto.db');
  }

  async start(name = 'mosquitto'): Promise<void> {
    if (!existsSync(MOSQUITTO)) throw new Error(`mosquitto not found at ${MOSQUITTO} (apt-get install mosquitto, or set BYLIV_MOSQUITTO)`);
    const child = new Child(name, MOSQUITTO, ['-c', join(this.dir, 'mosquitto.conf')]);
    this.child = child;
    await until(() => canConnect(this.port), `mosquitto on ${this.port}`, { alive: child.deadReason, intervalMs: 25, timeoutMs: 30_000 });
  }

  /** Writes the in-memory database to disk (SIGUSR1) and waits until the file changed. */
  async save(): Promise<void> {
    const before = existsSync(this.database) ? statSync(this.database).mtimeMs : 0;
    const child = this.child!;
    child.signal('SIGUSR1');
    await until(() => existsSync(this.database) && statSync(this.database).mtimeMs > before, 'mosquitto to save its database', { alive: child.deadReason, intervalMs: 20, timeoutMs: 30_000 });
  }

  /** A crash: nothing more is saved. */
  async kill(): Promise<void> {
    await this.child?.kill();
  }

  /** A clean stop: Mosquitto saves its sessions and queued messages, then exits. */
  async terminate(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.signal('SIGTERM');
    const { code } = await child.exited;
    if (code !== 0) throw new Error(`mosquitto exited ${code} on SIGTERM\n${child.tail()}`);
  }
}

export const CAPTURE_USER = 'byliv-capture';

// ---------------------------------------------------------------------------------------------
// Comparing runs

/** batchId → batch, with or without `seq` (a restarted agent numbers replayed bins anew). */
export function binsById(batches: readonly CountBatch[], keepSeq: boolean): Record<string, unknown> {
  return Object.fromEntries(
    batches.map((b) => {
      const { seq: _seq, ...rest } = b;
      return [b.batchId, keepSeq ? b : rest];
    }),
  );
}

/** How many times each batchId occurs, keeping only those seen more than once. */
export function repeated(ids: readonly string[]): Record<string, number> {
  const n = new Map<string, number>();
  for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
  return Object.fromEntries([...n].filter(([, k]) => k > 1));
}
