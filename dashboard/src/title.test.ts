import { describe, expect, it } from 'vitest';
import { PAGES } from './router.ts';
import { pageTitle } from './title.ts';

describe('pageTitle', () => {
  it.each([
    ['login', 'da', 'Log ind · Byliv'],
    ['login', 'en', 'Sign in · Byliv'],
    ['map', 'da', 'Bykort · Byliv'],
    ['evaluation/print', 'da', 'Evalueringsrapport · Byliv'],
    ['cards/print', 'en', 'Monitoring cards for print · Byliv'],
    ['', 'da', 'Byliv'],
    ['no-such-page', 'en', 'Byliv'],
  ] as const)('%s in %s → %s', (path, lang, title) => {
    expect(pageTitle(path, lang)).toBe(title);
  });

  it('gives every routed page a real title in both languages (no raw i18n key such as "nav.login")', () => {
    for (const path of PAGES) {
      for (const lang of ['da', 'en'] as const) {
        const title = pageTitle(path, lang);
        expect(title, `${path} ${lang}`).not.toBe('Byliv');
        expect(title, `${path} ${lang}`).not.toMatch(/\b[a-z]+\.[a-zA-Z]+\b/);
      }
    }
  });
});
