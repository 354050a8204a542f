/** `byliv-edge` as a user runs it: a real process, the real model, ffmpeg and the PETS video. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CountSummary } from '@byliv/protocol';

const root = new URL('../../../', import.meta.url).pathname;
const video = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const scene = join(root, 'bench/scenes/pets09.json');
const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-cli-'));

function edge(args: string[], env: Record<string, string> = {}) {
  // Through the bin shim, as `npx byliv-edge` runs it, from a folder outside the project.
  const r = spawnSync(process.execPath, [join(root, 'edge/bin/byliv-edge.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('byliv-edge run', () => {
  it('counts the first frames, writes the summary and MOTChallenge tracks, reports progress', () => {
    const summaryPath = join(dir, 'summary.json');
    const tracksPath = join(dir, 'tracks.txt');
    const r = edge(['run', '--source', video, '--scene', scene, '--summary', summaryPath, '--tracks', tracksPath, '--max-frames', '60', '--bin-seconds', '2']);
    expect(r.stderr).toMatch(/frame 60\/60 \(100%\)/);
    expect(r.code).toBe(0);
    const summary = CountSummary.parse(JSON.parse(readFileSync(summaryPath, 'utf8')));
    expect(summary.frames).toBe(60);
    expect(summary.seconds).toBeCloseTo(6, 6);
    expect(Object.keys(summary.lines)).toEqual(['centre-vertical', 'lower-horizontal', 'diagonal']);
    expect(Object.values(summary.zones).some((z) => z.personSeconds > 0)).toBe(true);
    const rows = readFileSync(tracksPath, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    // PETS frame 1 has 6 people annotated; a working tracker reports several from frame 2 on.
    expect(new Set(rows.map((r) => r[0])).size).toBeGreaterThan(50);
    expect(Math.min(...rows.map((r) => r[0]))).toBeGreaterThanOrEqual(1);
    expect(Math.max(...rows.map((r) => r[0]))).toBeLessThanOrEqual(60);
    for (const row of rows.slice(0, 20)) {
      expect(row).toHaveLength(10);
      expect(row.slice(7)).toEqual([-1, -1, -1]);
      expect(row[2] + row[4]).toBeLessThanOrEqual(768.5);
      expect(row[3] + row[5]).toBeLessThanOrEqual(576.5);
    }
  });

  it('prints the summary on stdout when no file is given', () => {
    const r = edge(['run', '--source', video, '--scene', scene, '--max-frames', '10', '--quiet']);
    expect(r.code).toBe(0);
    expect(CountSummary.parse(JSON.parse(r.stdout)).frames).toBe(10);
    expect(r.stderr).not.toMatch(/frame \d+/);
  });

  it('names the field of a broken scene and exits 2', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'camera: c\nsite: s\nlines:\n  - id: l\n    a: [10, 10]\n    b: [10]\n');
    const r = edge(['run', '--source', video, '--scene', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`scene file ${bad} is invalid`);
    expect(r.stderr).toMatch(/lines\[0\]\.b/);
  });

  it('refuses a scene drawn for another camera size', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ camera: 'c', site: 's', lines: [{ id: 'l', a: [10, 10], b: [1900, 10] }] }));
    const r = edge(['run', '--source', video, '--scene', big]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lines[0].b: point [1900, 10] is outside the 768×576 frame');
  });

  it('says what is missing: the video, or ffmpeg itself', () => {
    const noVideo = edge(['run', '--source', join(dir, 'nope.mp4'), '--scene', scene]);
    expect(noVideo.code).toBe(1);
    expect(noVideo.stderr).toMatch(/cannot read video .*nope\.mp4/);
    const noFfmpeg = edge(['run', '--source', video, '--scene', scene], { BYLIV_FFPROBE: '/nonexistent/ffprobe' });
    expect(noFfmpeg.code).toBe(1);
    expect(noFfmpeg.stderr).toMatch(/ffprobe was not found.*apt-get install ffmpeg/);
  });

  it('explains its usage on a bad flag', () => {
    const r = edge(['run', '--source', video]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--scene is required');
    expect(r.stderr).toContain('Usage: byliv-edge run');
  });
});
