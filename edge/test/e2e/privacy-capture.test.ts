/**
 * The privacy invariant end to end: the real agent counts the PETS video and publishes to a
 * real Mosquitto while a subscriber on `#` captures every message that reached the broker.
 * Each one must be a strict CountBatch or CameraStatus of this camera, even though the same
 * run writes person tracks to a local file; and the published counts must add up to the run's
 * own summary, so nothing was lost on the way.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CountSummary, countsTopic, statusTopic } from '@byliv/protocol';
import { Outbox, outboxPath } from '../../src/outbox/index.ts';
import { checkEveryPayload, Collector, TestBroker } from '../../src/publish/test-broker.ts';

const PETS = new URL('../../../../shared/datasets/pets09-s2l1/vtest.avi', import.meta.url).pathname;
const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'byliv-privacy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('privacy on the wire (real agent, real Mosquitto)', () => {
  it('publishes only strict counts and status, which add up to the run summary', async () => {
    const broker = await TestBroker.start();
    const seen = await Collector.connect(broker.url);
    try {
      const scene = join(dir, 'scene.json');
      writeFileSync(scene, JSON.stringify({
        site: 'campus',
        camera: 'view1',
        lines: [{ id: 'middle', a: [0, 330], b: [768, 330] }],
        zones: [{ id: 'junction', polygon: [[150, 200], [620, 200], [620, 560], [150, 560]] }],
      }));
      const dataDir = join(dir, 'data');
      const summaryPath = join(dir, 'summary.json');
      const run = await runCli([
        'run', '--source', PETS, '--scene', scene, '--broker', broker.url, '--data-dir', dataDir,
        '--bin-seconds', '5', '--max-frames', '150', '--start-time', '2026-05-01T12:00:00Z',
        '--summary', summaryPath, '--tracks', join(dir, 'tracks.txt'), '--quiet',
      ]);
      expect(run.code, run.stderr).toBe(0);

      // The goodbye status is sent after the outbox drained, so every batch is in by then.
      await seen.until(() => seen.statuses().some((s) => s.state === 'offline' && s.message === 'agent stopped'));
      checkEveryPayload(seen.messages);
      const topics = new Set(seen.messages.map((m) => m.topic));
      expect([...topics].sort()).toEqual([countsTopic('campus', 'view1'), statusTopic('campus', 'view1')].sort());
      expect(readFileSync(join(dir, 'tracks.txt'), 'utf8').length).toBeGreaterThan(0); // tracks existed, locally

      const batches = [...new Map(seen.counts().map((b) => [b.batchId, b])).values()];
      expect(batches.length).toBeGreaterThanOrEqual(3); // 15 s of video in 5 s bins
      const summary = CountSummary.parse(JSON.parse(readFileSync(summaryPath, 'utf8')));
      const published = { forward: 0, backward: 0 };
      for (const b of batches) {
        const line = b.lines.middle;
        published.forward += line.forward.person + line.forward.cyclist;
        published.backward += line.backward.person + line.backward.cyclist;
      }
      expect(published.forward + published.backward).toBeGreaterThan(0); // people did cross: the sum says something
      expect(published).toEqual(summary.lines.middle);
      expect(batches.reduce((n, b) => n + b.quality.framesProcessed, 0)).toBe(summary.frames);

      const box = Outbox.open(outboxPath(dataDir, 'campus', 'view1'), { maxRows: 1_000_000, maxAgeSeconds: 86_400 * 365 });
      expect(box.depth()).toBe(0);
      box.close();
    } finally {
      await seen.close();
      await broker.stop();
    }
  });
});
