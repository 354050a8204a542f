/** byliv-hub's help and usage errors: the pure cutting of the usage text, and the real CLI (through tsx) against a real SQLite data dir. */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { commandBlocks, usageBlocks, usageHint } from './cli-help.ts';
import { tempDir } from '../test/fixtures.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

const USAGE = `usage:
  byliv-hub start [--a N] [--b N] [--c N] [--d N] [--e N] [--f N] [--g N] [--h N] [--i N] [--j N] [--k N]
      runs it
      --a N   the a
  byliv-hub camera add --site S
      adds one
  byliv-hub camera remove --site S
      removes one
  --data-dir is where the store lives`;

describe('usage blocks', () => {
  it('cuts the usage into one block per command line, with what is indented under it', () => {
    expect(usageBlocks(USAGE)).toEqual([
      '  byliv-hub start [--a N] [--b N] [--c N] [--d N] [--e N] [--f N] [--g N] [--h N] [--i N] [--j N] [--k N]\n      runs it\n      --a N   the a',
      '  byliv-hub camera add --site S\n      adds one',
      '  byliv-hub camera remove --site S\n      removes one',
    ]);
    expect(commandBlocks(USAGE, 'camera')).toHaveLength(2);
    expect(commandBlocks(USAGE, 'camera', 'remove')).toEqual(['  byliv-hub camera remove --site S\n      removes one']);
    expect(commandBlocks(USAGE, 'camera', 'frob')).toHaveLength(2);
    expect(commandBlocks(USAGE, 'frob')).toEqual([]);
  });

  it('hints with one usage line, cut at an option for a long one, or points at --help for an unknown command', () => {
    expect(usageHint(USAGE, 'camera', 'remove')).toBe('usage: byliv-hub camera remove --site S (byliv-hub help camera explains its options)');
    expect(usageHint(USAGE, 'start')).toBe('usage: byliv-hub start [--a N] [--b N] [--c N] [--d N] [--e N] [--f N] [--g N] [--h N] [--i N] … (byliv-hub help start explains its options)');
    expect(usageHint(USAGE, 'frob')).toBe('byliv-hub --help lists the commands');
    expect(usageHint(USAGE, undefined)).toBe('byliv-hub --help lists the commands');
  });
});

/** Runs the CLI without blocking the test worker. */
const hub = (...args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

describe('byliv-hub help and errors', () => {
  it('--help lays every option out under its command; help CMD and CMD --help show that command only', async () => {
    const [all, camera, cameraFlag] = await Promise.all([hub('--help'), hub('help', 'camera'), hub('camera', 'add', '--help')]);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    const storeNote = lines.findIndex((l) => l.startsWith('  --data-dir defaults'));
    expect(storeNote).toBeGreaterThan(0);
    // Until the closing note on the store, a line is a command or indented beneath one: no option floats between commands.
    for (const line of lines.slice(1, storeNote)) expect(line, line).toMatch(/^ {2}byliv-hub |^ {6,}\S/);
    const start = commandBlocks(all.stdout, 'start')[0];
    for (const option of ['--tile-url', '--dashboard-dir', '--secure-cookies', '--camera-rate', '--sqlite-synchronous', '--keep-raw-days']) expect(start).toContain(option);
    expect(camera.code).toBe(0);
    expect(camera.stdout).toEqual(cameraFlag.stdout);
    expect(camera.stdout).toMatch(/byliv-hub camera add --site S --camera C \[--rotate-password\]/);
    expect(camera.stdout).not.toMatch(/byliv-hub start|byliv-hub user/);
  }, 30_000);

  it('a usage error is one line and a hint (exit 2), not the whole usage', async () => {
    const cases: [string[], RegExp, RegExp][] = [
      [['start', '--mqtt-port', 'eighty'], /^byliv-hub: --mqtt-port must be a port number/, /^usage: byliv-hub start .* \(byliv-hub help start explains its options\)$/],
      [['camera', 'add', '--site', 'park'], /^byliv-hub: --camera is required$/, /^usage: byliv-hub camera add --site S --camera C/],
      [['token', 'create', '--colour', 'red'], /^byliv-hub: Unknown option '--colour'/, /^usage: byliv-hub token create --role/],
      [['frob'], /^byliv-hub: unknown command "frob"$/, /^byliv-hub --help lists the commands$/],
      [['help', 'frob'], /^byliv-hub: unknown command "frob"$/, /^byliv-hub --help lists the commands$/],
    ];
    const answers = await Promise.all(cases.map(([args]) => hub(...args)));
    answers.forEach((r, i) => {
      const [args, message, hint] = cases[i];
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, args.join(' ')).toHaveLength(2);
      expect(lines[0]).toMatch(message);
      expect(lines[1]).toMatch(hint);
    });
  }, 30_000);

  it('summary of an unknown camera and camera add of a registered one fail with exit 1 and say why', async () => {
    dir = tempDir();
    const added = await hub('camera', 'add', '--site', 'park', '--camera', 'cam1', '--data-dir', dir.path);
    expect(added.code, added.stderr).toBe(0);
    const [unknown, again, rotated, known] = await Promise.all([
      hub('summary', '--camera', 'nope', '--data-dir', dir.path),
      hub('camera', 'add', '--site', 'park', '--camera', 'cam1', '--data-dir', dir.path),
      hub('summary', '--camera', 'cam1', '--site', 'elsewhere', '--data-dir', dir.path),
      hub('summary', '--camera', 'cam1', '--data-dir', dir.path),
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('byliv-hub: no camera nope is registered');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/camera park\/cam1 is already registered; .* --rotate-password/);
    expect(again.stdout).toBe('');
    expect(rotated.code).toBe(1);
    expect(rotated.stderr.trim()).toBe('byliv-hub: no camera cam1 is registered at site elsewhere');
    expect(known.code, known.stderr).toBe(0);
    expect(JSON.parse(known.stdout)).toMatchObject({ frames: 0 });
  }, 30_000);
});
