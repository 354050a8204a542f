/**
 * Inputs that used to be counted as if nothing were wrong (issue 15 rows 11 and 12), through
 * the real `byliv-edge`: a scene whose batches the hub would refuse, and the PETS video with a
 * stretch of bytes overwritten in a temp copy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '@byliv/protocol';
import { RunSummary } from '../../src/aggregate/index.ts';

const root = new URL('../../../', import.meta.url).pathname;
const video = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const scene = join(root, 'bench/scenes/pets09.json');
const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edge(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'edge/bin/byliv-edge.js'), 'run', '--quiet', ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a scene too big for one batch', () => {
  it('is refused at start, naming the file and the size', () => {
    // 60 zones with long ids: 3,540 possible flows, far over the hub's 256 KiB.
    const zones = Array.from({ length: 60 }, (_, i) => ({ id: `zone-${i}-${'x'.repeat(50)}`, polygon: [[0, 0], [10, 0], [10, 10]] }));
    const huge = join(dir, 'huge.json');
    writeFileSync(huge, JSON.stringify({ site: 's', camera: 'c', lines: [], zones }));
    const r = edge(['--source', video, '--scene', huge, '--max-frames', '1']);
    expect(r.stderr).toMatch(new RegExp(`scene file ${huge} is too big for one count batch: its batches could reach \\d+ bytes \\(0 lines, 60 zones, 3540 possible zone-to-zone flows\\), over the hub's limit of ${MAX_PAYLOAD_BYTES} bytes`));
    expect(r.code).toBe(2);
  });
});

describe('a video with a corrupt stretch', () => {
  // 20 kB of noise 40 % into a temp copy: ffmpeg still decodes 793 of 795 frames, concealing
  // the damage until the next key frame (every 25 s in this file).
  const pets = readFileSync(video);
  const start = Math.floor(pets.length * 0.4);
  for (let i = start; i < start + 20_000; i++) pets[i] = (i * 7919) & 255;
  const corrupt = join(dir, 'corrupt.avi');
  writeFileSync(corrupt, pets);

  it('reports the decode errors, counts the damaged seconds as gaps, and says the run is partial', () => {
    // 400 frames reach past the damage (about 31 s in) and stay short.
    const r = edge(['--source', corrupt, '--scene', scene, '--bin-seconds', '10', '--max-frames', '400', '--summary', 'corrupt.json']);
    expect(r.stderr).toMatch(/corrupt\.avi: damaged video from \d+\.\d s to \d+\.\d s \(\d+ frames; ffmpeg: ".+"\): not counted, a gap in the bins/);
    expect(r.stderr).toMatch(/failed: .*corrupt\.avi has damaged stretches: \d+ of the 400 frames read could not be decoded cleanly and were not counted/);
    expect(r.code).toBe(4);
    const summary = RunSummary.parse(JSON.parse(readFileSync(join(dir, 'corrupt.json'), 'utf8')));
    expect(summary.partial).toBe(true);
    expect(summary.framesRead).toBe(400);
    // Observed time: 400 clean frames cover 40 s; here the damaged stretch is missing.
    expect(summary.frames).toBeLessThan(400);
    expect(summary.seconds).toBeLessThan(40 - (400 - summary.frames) / 10 + 1);
  }, 300_000);
});
