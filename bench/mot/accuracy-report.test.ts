import { describe, expect, it } from 'vitest';
import type { CountSummary } from '@byliv/protocol';
import { buildReport, formatReport, relativeError } from './accuracy-report.ts';
import type { MotMetrics } from './evaluate.ts';

const mot = (mota: number, idf1: number): MotMetrics => ({
  frames: 10, numGt: 100, numHyp: 100, gtIds: 2, hypIds: 2, matches: 90, fp: 10, fn: 10, idsw: 0,
  mota, motp: 0.8, idtp: 80, idfp: 20, idfn: 20, idf1, idp: 0.8, idr: 0.8,
});

const summary = (lines: CountSummary['lines'], zones: CountSummary['zones']): CountSummary => ({ frames: 100, seconds: 10, lines, zones });
// Every visit ended, each of 5–15 s: the median is half way through that bucket, 10 s.
const zone = (personSeconds: number, entries = 10): CountSummary['zones'][string] => ({
  entries,
  exits: entries,
  personSeconds,
  maxOccupancy: 2,
  visits: entries,
  dwellHistogram: [0, entries, 0, 0, 0, 0, 0, 0, 0],
  stayingVisits: 0,
  medianDwellSeconds: 10,
});

describe('relativeError', () => {
  it('is |measured − truth| / truth, 0 for 0 vs 0 and Infinity for something vs 0', () => {
    expect(relativeError(18, 20)).toBeCloseTo(0.1, 12);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1, 0)).toBe(Infinity);
  });
});

describe('buildReport', () => {
  const truth = summary({ a: { forward: 12, backward: 8 }, b: { forward: 5, backward: 5 } }, { z: zone(100), y: zone(40) });

  it('passes when every target is met, summing absolute errors over lines and directions', () => {
    // Line a: 2 forward missed; line b: 1 extra forward → 3 of 30 true crossings = 10%, on the limit.
    // Zone z: 115 vs 100 → 15%, on the limit; y exact.
    const measured = summary({ a: { forward: 10, backward: 8 }, b: { forward: 6, backward: 5 } }, { z: zone(115, 7), y: zone(40) });
    const r = buildReport(mot(0.8, 0.75), measured, truth);
    expect(r.lines.map((l) => l.error)).toEqual([0.1, 0.1]);
    expect(r.zones.map((z) => z.personSecondsError)).toEqual([0.15, 0]);
    expect(r.zones[0].entriesError).toBeCloseTo(0.3, 12);
    expect(r.allLines).toEqual({ gt: 30, measured: 29, error: 1 / 30 });
    expect(r.checks.map((c) => c.pass)).toEqual([true, true, true, true, true]);
    expect(r.pass).toBe(true);
  });

  it('fails on any one target missed, and counts a line or zone the run lacks as zero', () => {
    const measured = summary({ a: { forward: 12, backward: 8 } }, { z: zone(100), y: zone(40) });
    const r = buildReport(mot(0.9, 0.9), measured, truth);
    expect(r.lines[1]).toMatchObject({ id: 'b', measured: { forward: 0, backward: 0 }, error: 1 });
    expect(r.checks.filter((c) => !c.pass).map((c) => c.what)).toEqual(['line crossings, all lines and directions']);
    // Net totals can hide errors that cancel: 2 missed forward on a, 2 extra backward on a.
    const cancelling = buildReport(mot(0.9, 0.9), summary({ a: { forward: 10, backward: 10 }, b: { forward: 5, backward: 5 } }, truth.zones), truth);
    expect(cancelling.allLines.error).toBe(0);
    expect(cancelling.checks[2]).toMatchObject({ value: 4 / 30, pass: false });
    expect(r.pass).toBe(false);
    const lowMota = buildReport(mot(0.79, 0.9), truth, truth);
    expect(lowMota.checks.filter((c) => !c.pass).map((c) => c.what)).toEqual(['MOTA']);
    expect(formatReport(lowMota, 'test')).toMatch(/MOTA\s+79\.0%\s+>= 80\.0%\s+FAIL/);
    expect(formatReport(lowMota, 'test')).toMatch(/4\/5 targets met: FAIL/);
  });
});
