/**
 * bench/accuracy.ts as a real process: in --tracks-file mode (no agent needed) on the ground
 * truth, a damaged copy of it and a broken file; and one short run of the real agent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PETS09_GT, REPO_ROOT } from './mot/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'byliv-accuracy-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bench(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'bench/accuracy.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench/accuracy.ts --tracks-file', () => {
  it('scores the ground truth as perfect and writes the JSON report', () => {
    const json = join(dir, 'self.json');
    const r = bench('--tracks-file', PETS09_GT, '--json', json);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/6\/6 targets met: PASS/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.mot).toMatchObject({ mota: 1, idf1: 1, idsw: 0, numGt: 4650 });
    expect(out.pass).toBe(true);
    expect(out.measured).toEqual(out.truth);
  });

  it('reports the damage in a degraded copy, and still exits 0', () => {
    // Every third frame dropped: those boxes become misses; the ids stay, so no switches.
    const kept = readFileSync(PETS09_GT, 'utf8').trim().split('\n').filter((l) => Number(l.split(',')[0]) % 3 !== 0);
    const file = join(dir, 'thinned.txt');
    writeFileSync(file, kept.join('\n') + '\n');
    const json = join(dir, 'thinned.json');
    const r = bench('--tracks-file', file, '--json', json);
    expect(r.code).toBe(0);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.mot).toMatchObject({ fn: 4650 - kept.length, fp: 0, idsw: 0 });
    expect(out.mot.mota).toBeCloseTo(kept.length / 4650, 12);
    expect(out.checks.find((c: { what: string }) => c.what === 'MOTA').pass).toBe(false);
    expect(r.stdout).toMatch(/targets met: FAIL/);
  });

  it('exits 1 with the file and line of a malformed tracks file', () => {
    const file = join(dir, 'bad.txt');
    writeFileSync(file, '1,1,10,10,5,5,1,-1,-1,-1\n2,1,ten,10,5,5,1,-1,-1,-1\n');
    const r = bench('--tracks-file', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2: left (column 3) is not a number: "ten"`);
  });
});

describe('bench/accuracy.ts running the agent', () => {
  it('runs edge run on the first 30 frames, keeps its files and scores only those frames', () => {
    const keep = join(dir, 'kept');
    const json = join(dir, 'short.json');
    const r = bench('--keep-dir', keep, '--json', json, '--', '--max-frames', '30', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/frames 1-30 of 795/);
    expect(existsSync(join(keep, 'tracks.txt'))).toBe(true);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.frames).toBe(30);
    expect(out.measured.frames).toBe(30);
    expect(out.countsFrom).toBe('edge agent --summary');
    // Only the GT boxes of frames 1-30 are scored; the agent does find people in them.
    const gtBoxes = readFileSync(PETS09_GT, 'utf8').trim().split('\n').filter((l) => Number(l.split(',')[0]) <= 30).length;
    expect(out.mot.numGt).toBe(gtBoxes);
    expect(out.mot.matches).toBeGreaterThan(0);
    // The kept files score the same way when read back.
    const again = join(dir, 'again.json');
    expect(bench('--tracks-file', join(keep, 'tracks.txt'), '--summary-file', join(keep, 'summary.json'), '--json', again).code).toBe(0);
    const back = JSON.parse(readFileSync(again, 'utf8'));
    expect(back.mot).toEqual(out.mot);
    expect(back.lines).toEqual(out.lines);
  });
});

describe('bench/accuracy.ts as the suite', () => {
  const tud = '../shared/datasets/tud-campus/video.mp4';
  it.skipIf(!existsSync(join(REPO_ROOT, tud)))('runs the agent on a chosen sequence and scores it with HOTA, visits and the frame rate', () => {
    const json = join(dir, 'suite.json');
    const r = bench('--sequence', 'tud-campus', '--no-staying', '--json', json, '--', '--max-frames', '20');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^tud-campus\s+dev\s+20\s/m);
    expect(r.stdout).toMatch(/tud-campus: zones/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.sequences).toHaveLength(1);
    const s = out.sequences[0];
    expect(s.frames).toBe(20);
    expect(s.fps).toBeGreaterThan(0);
    expect(s.score.hota.hota).toBeGreaterThan(0);
    expect(s.score.hota.hota).toBeLessThanOrEqual(1);
    expect(s.score.report.mot.numGt).toBeGreaterThan(0);
    expect(s.score.visits.map((z: { id: string }) => z.id)).toEqual(['left-third', 'centre-diamond', 'right-third']);
  });

  it('refuses an unknown sequence and names the ones it has', () => {
    const r = bench('--sequence', 'no-such-sequence', '--no-staying');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown or unavailable sequence\(s\): no-such-sequence \(have: .*pets09-s2l1/);
  });
});
