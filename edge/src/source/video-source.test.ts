/** The source stage against the real ffmpeg and the real PETS video. */
import { createServer, type Server } from 'node:http';
import { createReadStream, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openVideoSource, probeVideo, type SourceEvent } from './index.ts';

const PETS = new URL('../../../../shared/datasets/pets09-s2l1/vtest.avi', import.meta.url).pathname;
const base = { width: 64, height: 48, pixelFormat: 'bgr24' as const, sourceWidth: 768, sourceHeight: 576 };

describe('video source (real ffmpeg)', () => {
  it('probes size and frame rate', async () => {
    const info = await probeVideo(PETS);
    expect(info).toMatchObject({ width: 768, height: 576, fps: 10, frames: 795 });
  });

  it('delivers every frame of a file with its own timestamp, scaled to the model size', async () => {
    const times: number[] = [];
    let bytes = 0;
    for await (const frame of openVideoSource({ ...base, url: PETS })) {
      expect(frame.index).toBe(times.length);
      times.push(frame.time);
      bytes = frame.pixels.length;
    }
    expect(times.length).toBe(795);
    expect(bytes).toBe(64 * 48 * 3);
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBeCloseTo(79.4, 6);
    expect(times.every((t, i) => i === 0 || t > times[i - 1])).toBe(true);
  });

  it('stops early when asked and leaves no ffmpeg behind', async () => {
    let n = 0;
    for await (const _ of openVideoSource({ ...base, url: PETS, maxFrames: 5 })) n++;
    expect(n).toBe(5);
  });

  it('names the missing file', async () => {
    const frames = openVideoSource({ ...base, url: '/nonexistent/cam.mp4' });
    await expect(frames.next()).rejects.toThrow('video file not found: /nonexistent/cam.mp4');
  });

  it('says clearly when ffmpeg is not installed', async () => {
    const frames = openVideoSource({ ...base, url: PETS, ffmpeg: '/nonexistent/ffmpeg' });
    await expect(frames.next()).rejects.toThrow(/ffmpeg was not found.*apt-get install ffmpeg/);
  });

  it('reports a file that is not a video', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'byliv-src-'));
    const bogus = join(dir, 'notes.mp4');
    writeFileSync(bogus, 'this is not a video');
    await expect(probeVideo(bogus)).rejects.toThrow(/cannot read video/);
    await expect(openVideoSource({ ...base, url: bogus }).next()).rejects.toThrow(/ffmpeg could not decode .*notes\.mp4/);
  });
});

describe('a live stream that drops', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it('reconnects with backoff and goes on counting frames', async () => {
    // A camera over HTTP whose first connection breaks a third of the way through.
    const size = statSync(PETS).size;
    let requests = 0;
    server = createServer((req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'video/x-msvideo' });
      if (requests === 1) {
        const partial = createReadStream(PETS, { start: 0, end: Math.floor(size / 3) });
        partial.on('end', () => res.destroy());
        partial.pipe(res, { end: false });
      } else createReadStream(PETS).pipe(res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const events: SourceEvent[] = [];
    let frames = 0;
    for await (const _ of openVideoSource({
      ...base,
      url: `http://127.0.0.1:${port}/cam.avi`,
      maxFrames: 400,
      queueFrames: 1000,
      backoff: { initialMs: 50, maxMs: 200 },
      onEvent: (e) => events.push(e),
    })) frames++;
    expect(frames).toBe(400);
    expect(requests).toBe(2);
    const lost = events.filter((e) => e.kind === 'lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ retryInMs: 50, attempt: 1 });
  });
});
