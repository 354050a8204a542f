import { describe, expect, it } from 'vitest';
import type { Effect, Evaluation } from '../api/types.ts';
import { caveatText, effectBasis, summarizeEvaluation, verdictOf } from './summary.ts';

const effect = (rel: [number, number] | null, change = 10, did: Effect['did'] = null): Effect => ({
  baselinePerWeek: 1000,
  interventionPerWeek: 1000 + change,
  change,
  changeCi95: [change - 50, change + 50],
  relativeChange: rel ? (rel[0] + rel[1]) / 2 : null,
  relativeCi95: rel,
  did,
});

const evaluation = (over: Partial<Evaluation> = {}): Evaluation => ({
  installation: { id: 'benches', site: 'torv', name: 'Nye bænke', kind: 'bench', installedAt: '2026-05-01T00:00:00Z', removedAt: null },
  subject: 'installation:benches',
  control: null,
  baseline: { from: '2026-04-03', to: '2026-05-01', hours: 600 },
  intervention: { from: '2026-05-01', to: '2026-05-29', hours: 610 },
  matchedCells: 140,
  stayMinSeconds: 30,
  measures: { passers: effect([-0.04, 0.12]), stayingVisits: effect([0.1, 0.4], 120), personMinutes: effect([-0.5, -0.2], -300) },
  caveats: ['no_control', 'hours_treated_independent'],
  ...over,
});

describe('verdictOf', () => {
  it.each([
    [[0.01, 0.3], 'increase'],
    [[-0.3, -0.01], 'decrease'],
    [[-0.1, 0.2], 'no_clear_change'],
    [[0, 0.2], 'no_clear_change'],
    [null, 'unknown'],
  ] as const)('%j → %s', (ci, verdict) => {
    expect(verdictOf(ci as [number, number] | null)).toBe(verdict);
  });
});

describe('summarizeEvaluation', () => {
  it('an interval crossing 0 is "no clear change", in both languages', () => {
    const da = summarizeEvaluation(evaluation(), 'da');
    const en = summarizeEvaluation(evaluation(), 'en');
    expect(da.measures[0].verdict).toBe('no_clear_change');
    expect(da.measures[0].sentence).toContain('Ingen klar ændring');
    expect(da.measures[0].sentence).toContain('rummer 0');
    expect(en.measures[0].sentence).toContain('No clear change');
    expect(en.measures[1].sentence).toContain('A clear increase');
    expect(en.measures[2].sentence).toContain('A clear decrease');
    expect(da.headline).toContain('ophold og personminutter');
  });
  it('always says it is not proof of cause, and lists every caveat code', () => {
    for (const lang of ['da', 'en'] as const) {
      const s = summarizeEvaluation(evaluation({ caveats: ['few_matched_cells', 'something_new'] }), lang);
      expect(s.limits[0]).toMatch(lang === 'da' ? /ikke at installationen er årsagen/ : /not that the installation caused it/);
      expect(s.caveats.map((c) => c.code)).toEqual(['few_matched_cells', 'something_new']);
      expect(s.caveats[1].text).toContain('something_new');
    }
  });
  it('all-unclear gives a "no clear change" headline', () => {
    const s = summarizeEvaluation(evaluation({ measures: { passers: effect([-0.1, 0.1]), stayingVisits: effect([-0.2, 0.3]), personMinutes: effect([-0.5, 0.5]) } }), 'en');
    expect(s.headline).toMatch(/^No clear change at Nye bænke/);
  });
  it('with a control, the DiD interval decides and the sentence says so', () => {
    const withDid = effect([0.1, 0.3], 100, { change: 20, changeCi95: [-10, 50], relativeChange: 0.02, relativeCi95: [-0.05, 0.09] });
    const s = summarizeEvaluation(evaluation({ control: 'site:other', measures: { passers: withDid, stayingVisits: withDid, personMinutes: withDid } }), 'da');
    expect(s.measures[0].verdict).toBe('no_clear_change');
    expect(s.measures[0].againstControl).toBe(true);
    expect(s.measures[0].sentence).toContain('i forhold til kontrolstedet');
    expect(s.limits.some((l) => l.includes('site:other'))).toBe(true);
  });
  it('falls back to the absolute interval when the relative one is undefined (baseline 0)', () => {
    const e = { ...effect(null, 40), changeCi95: [5, 75] as [number, number] };
    expect(effectBasis(e)).toMatchObject({ relative: false, ci: [5, 75] });
    const s = summarizeEvaluation(evaluation({ measures: { passers: e, stayingVisits: e, personMinutes: e } }), 'en');
    expect(s.measures[0].verdict).toBe('increase');
  });
  it('numbers are formatted in Danish', () => {
    const s = summarizeEvaluation(evaluation(), 'da');
    expect(s.measures[1].sentence).toContain('fra 1.000 til 1.120 pr. typisk uge');
    expect(s.measures[1].sentence.replace(/[\u00a0\u202f]/g, ' ')).toContain('+10 % til +40 %');
    expect(caveatText('no_control', 'da')).toContain('kontrolsted');
  });
});
