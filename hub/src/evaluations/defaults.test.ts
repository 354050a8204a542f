import { describe, expect, it } from 'vitest';
import { evaluationPeriods, PeriodError } from './defaults.ts';

const ms = (s: string) => Date.parse(s);
const iso = (p: { fromMs: number; toMs: number }) => [new Date(p.fromMs).toISOString(), new Date(p.toMs).toISOString()];
const installedAtMs = ms('2026-06-01T08:00:00Z');
const now = ms('2026-12-01T12:00:00Z');

describe('evaluationPeriods', () => {
  it('defaults: 28 days before the installation against 28 days after it', () => {
    const p = evaluationPeriods({ installedAtMs, removedAtMs: null }, now);
    expect(iso(p.baseline)).toEqual(['2026-05-04T08:00:00.000Z', '2026-06-01T08:00:00.000Z']);
    expect(iso(p.intervention)).toEqual(['2026-06-01T08:00:00.000Z', '2026-06-29T08:00:00.000Z']);
  });

  it('the intervention ends at the removal or now, whichever comes first', () => {
    expect(iso(evaluationPeriods({ installedAtMs, removedAtMs: ms('2026-06-10T00:00:00Z') }, now).intervention)[1]).toBe('2026-06-10T00:00:00.000Z');
    expect(iso(evaluationPeriods({ installedAtMs, removedAtMs: null }, ms('2026-06-05T00:00:00Z')).intervention)[1]).toBe('2026-06-05T00:00:00.000Z');
  });

  it('a given bound replaces its default and pulls the other end of its period along', () => {
    const p = evaluationPeriods({ installedAtMs, removedAtMs: null }, now, { baselineTo: ms('2026-05-01T00:00:00Z'), interventionFrom: ms('2026-07-01T00:00:00Z') });
    expect(iso(p.baseline)).toEqual(['2026-04-03T00:00:00.000Z', '2026-05-01T00:00:00.000Z']);
    expect(iso(p.intervention)).toEqual(['2026-07-01T00:00:00.000Z', '2026-07-29T00:00:00.000Z']);
    const q = evaluationPeriods({ installedAtMs, removedAtMs: null }, now, { baselineFrom: ms('2026-05-20T00:00:00Z') });
    expect(iso(q.baseline)).toEqual(['2026-05-20T00:00:00.000Z', '2026-06-01T08:00:00.000Z']);
  });

  it('cuts periods to whole hours: the hour the installation went in is in neither', () => {
    const p = evaluationPeriods({ installedAtMs: ms('2026-06-01T08:30:00Z'), removedAtMs: null }, ms('2026-06-10T12:15:00Z'));
    expect(iso(p.baseline)).toEqual(['2026-05-04T09:00:00.000Z', '2026-06-01T08:00:00.000Z']);
    expect(iso(p.intervention)).toEqual(['2026-06-01T09:00:00.000Z', '2026-06-10T12:00:00.000Z']);
  });

  it('errors name the parameter and say why', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return { parameter: (e as PeriodError).parameter, message: (e as Error).message };
      }
      throw new Error('no error');
    };
    expect(err(() => evaluationPeriods({ installedAtMs, removedAtMs: null }, ms('2026-05-01T00:00:00Z')))).toEqual({ parameter: 'interventionFrom', message: 'the intervention period has not started yet: it starts 2026-06-01T08:00:00.000Z' });
    expect(err(() => evaluationPeriods({ installedAtMs, removedAtMs: null }, now, { baselineFrom: ms('2026-05-10T00:00:00Z'), baselineTo: ms('2026-05-01T00:00:00Z') })).parameter).toBe('baselineFrom');
    expect(err(() => evaluationPeriods({ installedAtMs, removedAtMs: null }, now, { baselineTo: ms('2026-06-10T00:00:00Z') })).message).toMatch(/overlaps the intervention/);
    expect(err(() => evaluationPeriods({ installedAtMs, removedAtMs: null }, now, { baselineFrom: ms('2024-01-01T00:00:00Z'), baselineTo: ms('2026-01-01T00:00:00Z') })).message).toMatch(/more than 366 days/);
  });
});
