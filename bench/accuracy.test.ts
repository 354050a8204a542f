/**
 * bench/accuracy.ts as a real process in --tracks-file mode (no agent needed): the ground
 * truth scored against itself, a damaged copy of it, and a broken file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PETS09_GT, REPO_ROOT } from './mot/paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'byliv-accuracy-test-'));

function bench(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'bench/accuracy.ts', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bench/accuracy.ts --tracks-file', () => {
  it('scores the ground truth as perfect and writes the JSON report', () => {
    const json = join(dir, 'self.json');
    const r = bench('--tracks-file', PETS09_GT, '--json', json);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/8\/8 targets met: PASS/);
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
