/**
 * The Agent on real parts: ffmpeg on the PETS video, ONNX Runtime with the real model, the
 * loopback health endpoint. Three cameras: two on the video, one whose source is not a video.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseCli, type RunRequest } from '../cli-args.ts';
import { createAgent } from './agent.ts';
import type { HealthReport } from './health.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const VIDEO = process.env.BYLIV_PETS_VIDEO ?? resolve(REPO, '../shared/datasets/pets09-s2l1/vtest.avi');
if (!existsSync(VIDEO)) throw new Error(`the agent test needs the PETS09-S2L1 video at ${VIDEO}: set BYLIV_PETS_VIDEO to its path`);
const dir = mkdtempSync(join(tmpdir(), 'byliv-agent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pets = JSON.parse(readFileSync(join(REPO, 'bench/scenes/pets09.json'), 'utf8'));
function camera(id: string, source: string, maxFrames: number): RunRequest {
  const scene = join(dir, `${id}.json`);
  writeFileSync(scene, JSON.stringify({ ...pets, camera: id }));
  return parseCli(['run', '--source', source, '--scene', scene, '--max-frames', String(maxFrames), '--threads', '2', '--quiet', '--start-time', '2025-05-01T10:00:00Z']) as RunRequest;
}

it('counts cameras side by side over one session, reports them on /health, survives a broken camera and stops on request', async () => {
  const notVideo = join(dir, 'not-a-video.mp4');
  writeFileSync(notVideo, 'this is not a video');
  const lines: string[] = [];
  const agent = createAgent({
    cameras: [camera('gate', VIDEO, 12), camera('bench', VIDEO, 400), camera('broken', notVideo, 10)],
    healthPort: 0,
    log: (line, id) => lines.push(`${id ? `${id.camera}: ` : ''}${line}`),
  });
  await agent.start();
  expect(lines).toContainEqual(expect.stringMatching(/^broken: cannot start: .*the other cameras go on/));

  // The long camera is stopped once the short one has ended by itself.
  const url = `http://127.0.0.1:${agent.healthPort}/health`;
  for (;;) {
    const health = agent.health();
    if (health.cameras.find((c) => c.camera === 'gate')!.state === 'ended') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const body = (await (await fetch(url)).json()) as HealthReport;
  expect(body.ok).toBe(false); // one failed, one ended
  const byId = Object.fromEntries(body.cameras.map((c) => [c.camera, c]));
  expect(byId.gate).toMatchObject({ site: 'pets09', state: 'ended', frames: 12, lastFrameAt: expect.stringMatching(/^2025-05-01T10:00:01/) });
  expect(byId.bench.state).toBe('running');
  expect(byId.bench.frames).toBeGreaterThan(0);
  expect(byId.bench.fps).toBeGreaterThan(0);
  expect(byId.broken).toMatchObject({ state: 'failed', error: expect.any(String) });

  const outcomes = await agent.stop();
  const gate = outcomes.find((o) => o.camera === 'gate')!;
  const bench = outcomes.find((o) => o.camera === 'bench')!;
  expect(gate.result).toMatchObject({ stoppedEarly: false, summary: { frames: 12 } });
  expect(bench.result!.stoppedEarly).toBe(true);
  expect(bench.result!.summary.frames).toBeLessThan(400);
  // A stop is the operator's, not a short file: the run is not partial.
  expect(bench.result!.completeness.partial).toBe(false);
  expect(outcomes.find((o) => o.camera === 'broken')!.error).toBeInstanceOf(Error);
  // The endpoint closes with the agent.
  await expect(fetch(url)).rejects.toThrow();
}, 180_000);
