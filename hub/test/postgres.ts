/**
 * Test support: a throw-away PostgreSQL cluster, started for real from the installed binaries
 * (Debian's postgresql package puts them in /usr/lib/postgresql/<major>/bin, off PATH), and a
 * fresh empty database per test.
 *
 * One cluster serves a whole vitest run: hub/test/postgres-global-setup.ts starts it and puts
 * its admin URL in BYLIV_TEST_POSTGRES_URL (set that yourself to use a server of your own; it
 * needs a role that may CREATE DATABASE).
 *
 * node-postgres returns what it cannot represent exactly as a JS number as a string: BIGINT
 * (int8, which is also what COUNT(*) returns) and NUMERIC (what SUM and AVG of a BIGINT
 * return) come back as strings unless the client sets type parsers; INTEGER and DOUBLE
 * PRECISION come back as numbers, BOOLEAN as booleans, BYTEA as Buffers.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import pg from 'pg';

export const POSTGRES_URL_ENV = 'BYLIV_TEST_POSTGRES_URL';

/** The cluster's superuser; trust auth, so no password. */
const SUPERUSER = 'postgres';
/** initdb and postgres refuse to run as root: as root, they run as the Debian package's user. */
const OS_USER = 'postgres';

export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
}

/** The newest /usr/lib/postgresql/<major>/bin that has the server binaries, else PATH. */
function findBinaries(): Binaries | undefined {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+(\.\d+)?$/.test(d)) : [];
  majors.sort((a, b) => Number(b) - Number(a));
  const dirs = [...majors.map((m) => join(root, m, 'bin')), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const bins = { initdb: join(dir, 'initdb'), pgCtl: join(dir, 'pg_ctl'), postgres: join(dir, 'postgres') };
    if (Object.values(bins).every((p) => existsSync(p))) return bins;
  }
  return undefined;
}

export function postgresAvailable(): boolean {
  return findBinaries() !== undefined;
}

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresSkipReason(): string | undefined {
  if (process.env[POSTGRES_URL_ENV] || postgresAvailable()) return undefined;
  return `no PostgreSQL server binaries (initdb, pg_ctl, postgres) under /usr/lib/postgresql/*/bin or on PATH, and ${POSTGRES_URL_ENV} is not set: install Debian's postgresql package (scripts/setup.sh)`;
}

/** The run's shared cluster (its admin URL); throws when the global setup did not start one. */
export function sharedPostgresUrl(): string {
  const url = process.env[POSTGRES_URL_ENV];
  if (!url) throw new Error(`${POSTGRES_URL_ENV} is not set: hub/test/postgres-global-setup.ts (vitest globalSetup) starts a cluster and sets it`);
  return url;
}

/** Runs a binary as the current user, or as OS_USER when we are root. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', OS_USER, '--', command, ...args]] : [command, args];
}

function run(command: string, args: string[]): void {
  const [cmd, argv] = asServerUser(command, args);
  try {
    execFileSync(cmd, argv, { stdio: 'pipe' });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`${command} failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`, { cause: error });
  }
}

/** As root, the server user must own the directory it writes to. */
function giveToServerUser(dir: string): void {
  if (process.getuid?.() !== 0) return;
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', OS_USER]).toString());
    gid = Number(execFileSync('id', ['-g', OS_USER]).toString());
  } catch (error) {
    throw new Error(`running as root, PostgreSQL needs the OS user "${OS_USER}" (created by Debian's postgresql package)`, { cause: error });
  }
  chownSync(dir, uid, gid);
}

/** A port that was free a moment ago (the server may still lose a race for it: start retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function logTail(logPath: string): string {
  try {
    return readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves once the server answers a query; rejects if it exits first or takes too long. */
async function waitUntilReady(url: string, server: ChildProcess, logPath: string, limitMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`postgres exited while starting:\n${logTail(logPath)}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch {
      if (Date.now() - started > limitMs) throw new Error(`postgres did not accept connections within ${limitMs} ms:\n${logTail(logPath)}`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * initdb into a fresh temp dir and start postgres on a free 127.0.0.1 port, its unix socket in
 * that dir. Durability is off (fsync and friends): the cluster is thrown away after the run;
 * `durable: true` keeps PostgreSQL's defaults, for benchmarks that compare with a synced SQLite.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  const bins = findBinaries();
  if (!bins) throw new Error(postgresSkipReason() ?? 'no PostgreSQL binaries');
  const base = mkdtempSync(join(tmpdir(), 'byliv-pg-'));
  giveToServerUser(base);
  const data = join(base, 'data');
  const logPath = join(base, 'postgres.log');
  try {
    // trust for local and host: the server listens on 127.0.0.1 only and holds test data only.
    run(bins.initdb, ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    for (let attempt = 1; ; attempt++) {
      try {
        return await startServer(bins, base, data, logPath, options.durable ?? false);
      } catch (error) {
        // Another process took the port between freePort() and the server's bind.
        if (attempt >= 3 || !/could not (bind|create any TCP\/IP sockets)/.test(String(error))) throw error;
      }
    }
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    throw error;
  }
}

async function startServer(bins: Binaries, base: string, data: string, logPath: string, durable: boolean): Promise<PostgresCluster> {
  const port = await freePort();
  const fast = durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
  const settings = { listen_addresses: '127.0.0.1', port: String(port), unix_socket_directories: base, ...fast };
  const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const [cmd, argv] = asServerUser(bins.postgres, args);
  // The log goes to a file we opened (as whoever we are), so it is there to quote on failure.
  const log = openSync(logPath, 'a');
  const server = spawn(cmd, argv, { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;

  // pg_ctl stop, not a signal to our child: as root the child is runuser, not the postmaster.
  const shutdown = (mode: 'fast' | 'immediate') => run(bins.pgCtl, ['stop', '-D', data, '-m', mode, '-w']);
  // If the test process dies without stop(), do not leave a server running.
  const stopNow = () => {
    try {
      shutdown('immediate');
    } catch {}
    rmSync(base, { recursive: true, force: true });
  };
  process.once('exit', stopNow);

  try {
    await waitUntilReady(url, server, logPath);
  } catch (error) {
    process.removeListener('exit', stopNow);
    try {
      shutdown('immediate');
    } catch {} // it already exited
    server.kill('SIGKILL');
    await exited(server);
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', stopNow);
      shutdown('fast');
      await exited(server);
      rmSync(base, { recursive: true, force: true });
    })());
  return { url, stop };
}

/** A database name no other test (or test process) is using. */
function uniqueName(): string {
  return `byliv_test_${process.pid}_${randomBytes(6).toString('hex')}`;
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the cluster at `adminUrl`; `drop()` removes it, closing its connections. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName();
  // template0: nothing else ever connects to it, which CREATE DATABASE requires of its template.
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  const drop = () =>
    (dropped ??= withAdmin(adminUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }));
  return { url: url.toString(), drop };
}
