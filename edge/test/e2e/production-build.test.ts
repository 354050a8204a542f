/**
 * The production install: the repository copied without node_modules, `npm ci --omit=dev`
 * (no tsx, no TypeScript), and the compiled binaries from dist/: `byliv-edge --help`, a short
 * counted run published to a `byliv-hub start` over MQTT, and `byliv-hub summary` agreeing
 * with the edge's own summary.
 *
 * Slow (an npm install that compiles better-sqlite3): runs only with BYLIV_PRODUCTION_TEST=1
 * (.ci/run sets it), after `npm run build` has filled the dist/ folders.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountSummary } from '@byliv/protocol';

const root = new URL('../../../', import.meta.url).pathname;
const video = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const scene = join(root, 'bench/scenes/pets09.json');
const modelDir = join(root, '.cache/models/nanodet-m');
const BUILT = ['protocol/dist/index.js', 'models/dist/index.js', 'edge/dist/cli.js', 'hub/dist/cli.js', 'hub/dist/store/read-worker.mjs', 'dashboard/dist/index.html'];
/** Not part of a checkout: installs, caches, build info and local data. */
const LEFT_OUT = new Set(['node_modules', '.git', '.cache', 'test-results', '.byliv-data', '.byliv-edge', '.tsbuildinfo']);

const work = mkdtempSync(join(tmpdir(), 'byliv-production-'));
const copy = join(work, 'byliv');
// The test's own environment, without what would point Node or npm back at the development tree.
const env: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^(NODE_OPTIONS|BYLIV_RUN_FROM|npm_|VITEST|TSX)/i.test(k))) as Record<string, string>;
Object.assign(env, { ONNXRUNTIME_NODE_INSTALL: 'skip', BYLIV_MODEL_DIR: modelDir, NPM_CONFIG_UPDATE_NOTIFIER: 'false' });

function run(bin: string, args: string[]) {
  const started = performance.now();
  const r = spawnSync(join(copy, 'node_modules/.bin', bin), args, { cwd: work, env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - started) / 1000 };
}

let hub: ChildProcess | undefined;

describe.skipIf(!process.env.BYLIV_PRODUCTION_TEST)('the production install (npm ci --omit=dev, dist/)', () => {
  beforeAll(async () => {
    const missing = BUILT.filter((f) => !existsSync(join(root, f)));
    if (missing.length) throw new Error(`build first (npm run build): missing ${missing.join(', ')}`);
    cpSync(root, copy, {
      recursive: true,
      filter: (from) => {
        const name = basename(from);
        return !LEFT_OUT.has(name) && !/\.sqlite(-.*)?$/.test(name) && !relative(root, from).startsWith('bench/out');
      },
    });
    // Asynchronous: a two-minute spawnSync would stall the test worker's link to vitest.
    await promisify(execFile)('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: copy, env, maxBuffer: 64 << 20 }).catch((error: Error & { stderr?: string }) => {
      throw new Error(`npm ci --omit=dev failed: ${error.message}\n${error.stderr ?? ''}`);
    });
  }, 900_000);

  afterAll(() => {
    if (hub && hub.exitCode === null) hub.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('installs without the development tools', () => {
    for (const dev of ['tsx', 'typescript', 'vitest']) expect(existsSync(join(copy, 'node_modules', dev)), dev).toBe(false);
  });

  it('byliv-edge --help answers from dist/ in one process', () => {
    const r = run('byliv-edge', ['--help']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: byliv-edge run/);
    console.log(`byliv-edge --help from dist/: ${r.seconds.toFixed(2)} s`);
  });

  it('counts a short run, publishes it to byliv-hub start, and byliv-hub summary agrees', async () => {
    const hubData = join(work, 'hub-data');
    const added = run('byliv-hub', ['camera', 'add', '--site', 'pets09', '--camera', 'view1', '--data-dir', hubData]);
    expect(added.code, added.stderr).toBe(0);
    const credentials = JSON.parse(added.stdout) as { username: string; password: string };

    hub = spawn(join(copy, 'node_modules/.bin/byliv-hub'), ['start', '--data-dir', hubData, '--mqtt-port', '0', '--http-port', '0', '--mqtt-host', '127.0.0.1', '--http-host', '127.0.0.1'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let hubErr = '';
    hub.stderr!.on('data', (d: Buffer) => (hubErr += d.toString()));
    const ready = JSON.parse(
      await Promise.race([
        new Promise<string>((ok) => createInterface({ input: hub!.stdout! }).once('line', ok)),
        new Promise<never>((_, fail) => hub!.once('exit', (code) => fail(new Error(`hub exited (${code}) before it was ready: ${hubErr}`)))),
      ]),
    ) as { mqttPort: number; httpPort: number };
    const health = await fetch(`http://127.0.0.1:${ready.httpPort}/`);
    expect(health.status, 'the dashboard from dashboard/dist').toBe(200);

    const summaryPath = join(work, 'edge-summary.json');
    const edge = run('byliv-edge', ['run', '--source', video, '--scene', scene, '--max-frames', '40', '--bin-seconds', '2', '--start-time', '2026-05-01T10:00:00Z', '--summary', summaryPath, '--quiet', '--data-dir', join(work, 'edge-data'), '--broker', `mqtt://127.0.0.1:${ready.mqttPort}`, '--username', credentials.username, '--password', credentials.password]);
    expect(edge.code, edge.stderr).toBe(0);
    const edgeSummary = CountSummary.parse(JSON.parse(readFileSync(summaryPath, 'utf8')));
    expect(edgeSummary.frames).toBe(40);

    const stored = run('byliv-hub', ['summary', '--site', 'pets09', '--camera', 'view1', '--data-dir', hubData]);
    expect(stored.code, stored.stderr).toBe(0);
    const hubSummary = CountSummary.parse(JSON.parse(stored.stdout));
    expect(hubSummary.lines).toEqual(edgeSummary.lines);
    expect(hubSummary.frames).toBe(40);

    hub.kill('SIGTERM');
    const code = await new Promise<number | null>((ok) => hub!.once('exit', ok));
    expect(code, hubErr).toBe(0);
  }, 300_000);
});
