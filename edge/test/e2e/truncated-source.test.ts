/**
 * A file that ends early, run through the real `byliv-edge` (bin shim, model, ffmpeg). The
 * broken files are the PETS AVI cut short: its header still promises 795 frames, ffmpeg
 * decodes what is there and exits 0, so only the agent can tell that the run is partial.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CountSummary } from '@byliv/protocol';
import { RunSummary } from '../../src/aggregate/index.ts';

const root = new URL('../../../', import.meta.url).pathname;
const pets = readFileSync(join(root, '../shared/datasets/pets09-s2l1/vtest.avi'));
const scene = join(root, 'bench/scenes/pets09.json');
const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-short-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The first 100 kB hold 3 decodable frames; cut right after the `movi` tag, none at all.
const truncated = join(dir, 'truncated.avi');
writeFileSync(truncated, pets.subarray(0, 100_000));
const headerOnly = join(dir, 'header-only.avi');
writeFileSync(headerOnly, pets.subarray(0, pets.indexOf('movi') + 4));

function edge(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'edge/bin/byliv-edge.js'), 'run', '--scene', scene, '--quiet', ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a file that ends early', () => {
  it('exits 4 saying how many frames of how many, and still writes a summary marked partial', () => {
    // A nested folder that does not exist yet: it is created.
    const r = edge(['--source', truncated, '--summary', 'out/short/summary.json', '--tracks', 'out/tracks/t.txt']);
    expect(r.stderr).toContain(`byliv-edge: failed: ${truncated} ended early: 3 frames read of the 795 expected (the file is probably truncated or damaged); the counts cover only what was read; out/short/summary.json is marked partial`);
    expect(r.code).toBe(4);
    const summary = RunSummary.parse(JSON.parse(readFileSync(join(dir, 'out/short/summary.json'), 'utf8')));
    expect(summary).toMatchObject({ partial: true, framesRead: 3, framesExpected: 795 });
    // The cut may leave the last frame damaged: read, but not counted (source/damage.ts).
    expect(summary.frames).toBeGreaterThanOrEqual(2);
    expect(summary.frames).toBeLessThanOrEqual(3);
    expect(existsSync(join(dir, 'out/tracks/t.txt'))).toBe(true);
  });

  it('is partial when nothing decodes, and the summary goes to stdout marked so', () => {
    const r = edge(['--source', headerOnly]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('ended early: 0 frames read of the 795 expected (the file is empty, truncated or not decodable)');
    expect(JSON.parse(r.stdout)).toMatchObject({ frames: 0, partial: true, framesRead: 0, framesExpected: 795 });
  });

  it('is complete when --max-frames stopped the run before the cut', () => {
    const r = edge(['--source', truncated, '--max-frames', '2', '--summary', 'out/two.json']);
    expect(r.stderr).not.toContain('ended early');
    expect(r.code).toBe(0);
    // A whole run's file is exactly the hub's shape, without the partial fields.
    expect(CountSummary.parse(JSON.parse(readFileSync(join(dir, 'out/two.json'), 'utf8'))).frames).toBe(2);
  });
});
