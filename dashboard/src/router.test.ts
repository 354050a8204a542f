import { describe, expect, it } from 'vitest';
import { hashFor, pagesFor, parseHash } from './router.ts';

describe('hash routes', () => {
  it('parses paths and parameters', () => {
    const r = parseHash('#/charts?subject=zone%3Aa%2Fb%2Fc&rollup=hour');
    expect(r.path).toBe('charts');
    expect(r.params.get('subject')).toBe('zone:a/b/c');
    expect(parseHash('#/cards/print').path).toBe('cards/print');
    expect(parseHash('').path).toBe('');
    expect(parseHash('#/health/').path).toBe('health');
  });
  it('round-trips through hashFor, leaving empty parameters out', () => {
    const h = hashFor('charts', { subject: 'zone:a/b/c', from: '', to: null });
    expect(h).toBe('#/charts?subject=zone%3Aa%2Fb%2Fc');
    expect(parseHash(h).params.get('subject')).toBe('zone:a/b/c');
  });
  it('researchers get downloads and charts only', () => {
    expect(pagesFor('researcher')).toEqual(['downloads', 'charts']);
    expect(pagesFor('planner')).not.toContain('admin');
    expect(pagesFor('admin')).toContain('admin');
    expect(pagesFor('admin')).toContain('audit');
    expect(pagesFor('planner')).not.toContain('audit');
  });
});
