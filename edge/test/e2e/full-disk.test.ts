/**
 * The real agent with its data folder on a nearly full disk (issue 15 row 10): a tmpfs of
 * 512 KiB, filled up to 120 KiB by another file. Needs root to mount; as another user the
 * test is skipped, saying why.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountSummary } from '@byliv/protocol';
import { Collector, freePort, TestBroker } from '../../src/publish/test-broker.ts';

const root = new URL('../../../', import.meta.url).pathname;
const video = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const scene = join(root, 'bench/scenes/pets09.json');
const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-full-'));
const data = join(dir, 'data');
const asRoot = process.getuid?.() === 0;

function edge(args: string[]): Promise<{ code: number | null; stderr: string }> {
  // Asynchronous: the test's own broker client must keep running meanwhile.
  const child = spawn(process.execPath, [join(root, 'edge/bin/byliv-edge.js'), 'run', '--source', video, '--scene', scene, '--quiet', '--bin-seconds', '1', '--data-dir', data, ...args], { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

let broker: TestBroker;
beforeAll(async () => {
  if (!asRoot) return;
  mkdirSync(data);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', data], { encoding: 'utf8' });
  if (mount.status !== 0) throw new Error(`cannot mount a tmpfs on ${data}: ${mount.stderr}`);
  writeFileSync(join(data, 'filler'), Buffer.alloc((512 - 120) * 1024));
  broker = await TestBroker.start();
});
afterAll(async () => {
  await broker?.stop();
  if (asRoot) spawnSync('umount', [data]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!asRoot)('a nearly full disk under the outbox (tmpfs, needs root)', () => {
  it('keeps counting, drops the oldest bins with one line per burst, and publishes how many once the broker is back', async () => {
    // The broker away: the bins pile up until the disk is full.
    const away = await edge(['--broker', `mqtt://127.0.0.1:${await freePort()}`, '--drain-timeout', '1', '--max-frames', '150', '--summary', 'away.json']);
    expect(away.stderr).not.toContain('failed');
    const dropLines = away.stderr.split('\n').filter((l) => l.includes('of the oldest queued bins because the disk is full'));
    expect(dropLines.length).toBe(1); // a burst, not one line per bin
    const dropped = Number(/(\d+) batches were dropped from the outbox/.exec(away.stderr)?.[1]);
    expect(dropped).toBeGreaterThan(0);
    expect(away.code).toBe(3);
    // Counting never stopped: the summary covers every frame.
    expect(CountSummary.parse(JSON.parse(readFileSync(join(dir, 'away.json'), 'utf8'))).frames).toBe(150);

    // The broker up, the disk still full: the backlog and new bins go out, and the hub hears of the drops.
    const hub = await Collector.connect(broker.url);
    const up = await edge(['--broker', broker.url, '--max-frames', '30', '--summary', 'up.json']);
    expect(up.stderr).not.toContain('failed');
    expect(up.code).toBe(0);
    expect(CountSummary.parse(JSON.parse(readFileSync(join(dir, 'up.json'), 'utf8'))).frames).toBe(30);
    await hub.until(() => hub.statuses().some((s) => s.state === 'offline'));
    const statuses = hub.statuses();
    expect(statuses.at(-1)?.outboxDropped).toBe(dropped);
    expect(statuses.at(-1)?.outboxDepth).toBe(0);
    expect(hub.counts().length).toBeGreaterThanOrEqual(15 - dropped + 3);
    await hub.close();
  }, 240_000);
});
