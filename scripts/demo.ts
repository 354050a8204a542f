/**
 * The demo: one hub (embedded MQTT broker + SQLite + HTTP API) and one edge agent counting
 * the PETS 2009 video (or any video given), publishing each closed bin to the hub. Counts are
 * printed from the hub's API as they arrive; the hub keeps running until Ctrl-C.
 * Each run starts clean (the previous demo's data directory is removed, and the run says so),
 * so a second run neither doubles the counts nor adds another user. The PETS video is fetched
 * and sha256-checked by scripts/demo-video.sh. A failed demo stops every process it started.
 *
 *   npm run demo [-- --video file.mp4 [--scene scene.json] [--bin-seconds 15] [--realtime]]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import type { CountSummary } from '@byliv/protocol';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    video: { type: 'string' },
    scene: { type: 'string' },
    'bin-seconds': { type: 'string', default: '15' },
    realtime: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: join(root, '.byliv-data', 'demo') },
  },
});
const dataDir = resolve(values['data-dir']!);
const say = (line: string) => console.log(`demo: ${line}`);
const children: ChildProcess[] = [];
const stopAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGTERM'));
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
/** A failure before or after the hub started: one line, every child stopped, exit 1. */
function fail(error: unknown): never {
  console.error(`demo: failed: ${error instanceof Error ? error.message : String(error)}`);
  stopAll();
  process.exit(1);
}
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

// Marks a folder as the demo's own, so that starting clean never removes someone's real data.
const MARKER = '.byliv-demo';
if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
  if (!existsSync(join(dataDir, MARKER))) fail(new Error(`${dataDir} holds files but is not a demo data folder (no ${MARKER}); give an empty or new --data-dir`));
  rmSync(dataDir, { recursive: true, force: true });
  say(`starting clean: removed the previous demo's data in ${dataDir}`);
} else say(`first run: data in ${dataDir}`);
mkdirSync(dataDir, { recursive: true });
writeFileSync(join(dataDir, MARKER), 'made by npm run demo; removed by the next run\n');

/** The PETS video, cached in .cache/demo by scripts/demo-video.sh (from ../shared or Debian's opencv-doc). */
function petsVideo(): string {
  const got = spawnSync('bash', [join(root, 'scripts/demo-video.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (got.status !== 0) fail(new Error('could not get the demo video (see above); or give one with --video FILE'));
  return got.stdout.trim();
}
const tsx = (cli: string, args: string[]) => [process.execPath, ['--import', 'tsx', join(root, cli), ...args]] as const;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

function hubCommand(args: string[]): string {
  const [node, argv] = tsx('hub/src/cli.ts', [...args, '--data-dir', dataDir]);
  const result = spawnSync(node, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`byliv-hub ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** A scene for a video we know nothing about: a line down the middle and a zone in the centre. */
function defaultScene(video: string): string {
  const probe = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', video], { encoding: 'utf8' });
  const [w, h] = probe.stdout.trim().split(',').map(Number);
  if (!w || !h) throw new Error(`cannot read the size of ${video}: ${probe.stderr.trim()}`);
  const scene = {
    site: 'demo',
    camera: 'cam1',
    lines: [{ id: 'middle', name: 'Down the middle', a: [w / 2, h * 0.1], b: [w / 2, h * 0.95] }],
    zones: [{ id: 'centre', name: 'Centre', polygon: [[w * 0.3, h * 0.3], [w * 0.7, h * 0.3], [w * 0.7, h * 0.9], [w * 0.3, h * 0.9]] }],
  };
  const path = join(dataDir, 'scene.json');
  writeFileSync(path, JSON.stringify(scene, null, 2));
  return path;
}

const isPets = values.video === undefined;
const video = values.video ?? petsVideo();
if (!existsSync(video)) fail(new Error(`--video ${video}: no such file`));
const scenePath = values.scene ?? (isPets ? join(root, 'bench/scenes/pets09.json') : defaultScene(video));
const scene = JSON.parse(readFileSync(scenePath, 'utf8')) as { site: string; camera: string };

const [mqttPort, httpPort] = [await freePort(), await freePort()];
const credentials = JSON.parse(hubCommand(['camera', 'add', '--site', scene.site, '--camera', scene.camera])) as { username: string; password: string };
const { token } = JSON.parse(hubCommand(['token', 'create', '--role', 'admin', '--label', 'demo'])) as { token: string };
// The dashboard's sample data (fictional, marked as such): districts, social indicators, the
// site map and weeks of counts for an example square, so every page has something to show.
hubCommand(['sample', 'load']);
const demoUser = JSON.parse(hubCommand(['user', 'add', '--username', 'demo', '--role', 'admin'])) as { username: string; password: string };

const [node, hubArgs] = tsx('hub/src/cli.ts', ['start', '--data-dir', dataDir, '--mqtt-port', String(mqttPort), '--http-port', String(httpPort)]);
const hub = spawn(node, hubArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
children.push(hub);
const api = `http://127.0.0.1:${httpPort}`;
for (let i = 0; ; i++) {
  if (hub.exitCode !== null) throw new Error('the hub stopped during start-up');
  const ok = await fetch(`${api}/healthz`).then((r) => r.ok).catch(() => false);
  if (ok) break;
  if (i > 120) throw new Error('the hub did not answer within a minute');
  await new Promise((r) => setTimeout(r, 500));
}
say(`hub up: API ${api}, MQTT on port ${mqttPort}, data in ${dataDir}`);
// The camera's lines and zones, so the dashboard can name them and draw its charts.
const sceneStart = new Date(Date.now() - 86_400_000).toISOString();
const putScene = await fetch(`${api}/api/v1/sites/${scene.site}/cameras/${scene.camera}/scene?validFrom=${encodeURIComponent(sceneStart)}`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: readFileSync(scenePath, 'utf8'),
});
if (!putScene.ok) say(`could not store the scene (${putScene.status}): ${await putScene.text()}`);
say(`dashboard: ${api}/ — sign in as ${demoUser.username} / ${demoUser.password}`);

const summaryPath = join(dataDir, 'edge-summary.json');
const edgeArgs = ['run', '--source', video, '--scene', scenePath, '--summary', summaryPath, '--bin-seconds', values['bin-seconds']!, '--broker', `mqtt://127.0.0.1:${mqttPort}`, '--username', credentials.username, '--data-dir', join(dataDir, 'edge')];
if (values.realtime) edgeArgs.push('--realtime');
// Counted as if filmed now, so the counts land in today's cards and charts.
edgeArgs.push('--start-time', new Date().toISOString());
const [, edgeArgv] = tsx('edge/src/cli.ts', edgeArgs);
say(`edge agent counting ${video} with scene ${scenePath}`);
const edge = spawn(node, edgeArgv, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BYLIV_MQTT_PASSWORD: credentials.password } });
children.push(edge);

const headers = { authorization: `Bearer ${token}` };
const summaryUrl = `${api}/api/v1/summary?site=${scene.site}&camera=${scene.camera}`;
let lastShown = '';
const show = async () => {
  const res = await fetch(summaryUrl, { headers }).catch(() => undefined);
  if (!res?.ok) return;
  const summary = (await res.json()) as { seconds: number; lines: Record<string, { forward: number; backward: number }>; zones: Record<string, { entries: number; personSeconds: number }> };
  const text = [
    `hub has ${summary.seconds.toFixed(0)} s of counts:`,
    ...Object.entries(summary.lines).map(([id, l]) => `  line ${id}: ${l.forward} forward, ${l.backward} backward`),
    ...Object.entries(summary.zones).map(([id, z]) => `  zone ${id}: ${z.entries} entries, ${(z.personSeconds / 60).toFixed(1)} person-minutes`),
  ].join('\n');
  if (text !== lastShown) say(text);
  lastShown = text;
};
const ticker = setInterval(show, 5000);
const edgeCode = await new Promise<number | null>((r) => edge.on('exit', r));
clearInterval(ticker);
await show();
say(edgeCode === 0 ? 'edge agent finished; every bin was acknowledged by the hub' : `edge agent exited with code ${edgeCode}`);

if (!existsSync(summaryPath)) fail(new Error(`the edge agent exited with code ${edgeCode} and wrote no summary (${summaryPath}); see its message above`));
const edgeSummary = JSON.parse(readFileSync(summaryPath, 'utf8')) as CountSummary;
const hubSummary = (await (await fetch(summaryUrl, { headers })).json()) as CountSummary;
const same = isDeepStrictEqual({ lines: edgeSummary.lines, zones: edgeSummary.zones }, { lines: hubSummary.lines, zones: hubSummary.zones });
say(same ? "the hub's totals equal the edge's own summary" : "the hub's totals DIFFER from the edge's summary");
say(`try: curl -H 'authorization: Bearer ${token}' '${api}/api/v1/counts?site=${scene.site}&camera=${scene.camera}&rollup=15m&by=line'`);
say(`API description: ${api}/api/v1/openapi.json`);
say(`dashboard: ${api}/ — sign in as ${demoUser.username} / ${demoUser.password}; the hub keeps running, Ctrl-C to stop`);
