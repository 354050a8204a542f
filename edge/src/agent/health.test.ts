import { afterEach, describe, expect, it } from 'vitest';
import { healthReport, startHealthServer, type CameraHealth } from './health.ts';
import { worstExitCode } from './config-run.ts';

const gate: CameraHealth = { site: 'torvet', camera: 'gate', state: 'running', frames: 120, fps: 9.87654, lastFrameAt: '2026-05-01T10:00:12.000Z', queued: 2 };

describe('health report', () => {
  it('is ok while every camera runs, and rounds the rate', () => {
    expect(healthReport([gate])).toEqual({ ok: true, cameras: [{ ...gate, fps: 9.88 }] });
  });
  it('is not ok once a camera has failed or ended', () => {
    expect(healthReport([gate, { ...gate, camera: 'bench', state: 'failed', error: 'stream lost' }]).ok).toBe(false);
    expect(healthReport([{ ...gate, state: 'ended' }]).ok).toBe(false);
  });
});

describe('health endpoint', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('answers GET /health on loopback with every camera, 503 when one failed, 404 elsewhere', async () => {
    const cameras: CameraHealth[] = [{ ...gate }];
    const server = await startHealthServer(0, () => healthReport(cameras));
    close = server.close;
    const url = `http://127.0.0.1:${server.port}`;
    const ok = await fetch(`${url}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, cameras: [{ ...gate, fps: 9.88 }] });
    cameras.push({ ...gate, camera: 'bench', state: 'failed', error: 'stream lost' });
    expect((await fetch(`${url}/health`)).status).toBe(503);
    expect((await fetch(`${url}/counts`)).status).toBe(404);
  });

  it('says when the port is taken', async () => {
    const first = await startHealthServer(0, () => healthReport([]));
    close = first.close;
    await expect(startHealthServer(first.port, () => healthReport([]))).rejects.toThrow(`cannot serve the health endpoint on 127.0.0.1:${first.port}: the port is in use`);
  });
});

describe('exit code of several cameras', () => {
  it.each([
    [[0, 0], 0],
    [[0, 3], 3],
    [[3, 4, 0], 4],
    [[4, 1, 3], 1],
  ])('%j gives %i', (codes, code) => expect(worstExitCode(codes)).toBe(code));
});
