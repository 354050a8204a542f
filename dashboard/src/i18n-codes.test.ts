/*
 * Every code the hub can send a person has words in both languages. The lists are the hub's
 * own (its error codes, problem codes and evaluation caveats), so a code added there without a
 * translation here fails this test.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, PROBLEM_CODES } from '../../hub/src/api/error-codes.ts';
import { EVALUATION_CAVEATS } from '../../hub/src/evaluations/caveats.ts';
import { KNOWN_CAVEATS, caveatText } from './evaluation/summary.ts';
import { t, type Key } from './i18n.ts';
import { errorText } from './ui/error-text.ts';

const LANGS = ['da', 'en'] as const;

describe('translations of the hub’s codes', () => {
  it('every evaluation caveat has a Danish and an English text, neither the raw code', () => {
    expect(EVALUATION_CAVEATS.length).toBeGreaterThan(5);
    for (const code of EVALUATION_CAVEATS) {
      expect(KNOWN_CAVEATS, code).toContain(code);
      for (const lang of LANGS) expect(caveatText(code, lang), `${code} (${lang})`).not.toContain(code);
    }
    expect(caveatText('hours_treated_independent', 'da')).toMatch(/uafhængige/);
  });

  it('every API error code and problem code has a Danish and an English text', () => {
    for (const [prefix, codes] of [['apiError', ERROR_CODES], ['problem', PROBLEM_CODES]] as const) {
      for (const code of codes) {
        const key = `${prefix}.${code}` as Key;
        for (const lang of LANGS) expect(t(lang, key), `${key} (${lang})`).not.toBe(key);
        expect(t('da', key), key).not.toBe(t('en', key));
      }
    }
  });

  it('a Danish page words an API error from its codes and keeps the hub’s English sentence as the detail', () => {
    const body = { error: 'bad_request', reason: 'no hours to compare: no cell was observed in every period', problem: 'no_matched_hours' };
    expect(errorText(body, body.reason, 'da')).toEqual({ text: t('da', 'problem.no_matched_hours'), detail: body.reason });
    expect(errorText(body, body.reason, 'en').text).toBe(t('en', 'problem.no_matched_hours'));
    // without a problem: the kind of error
    expect(errorText({ error: 'forbidden', reason: 'this route needs the role admin' }, '', 'da').text).toBe('Din rolle giver ikke adgang til dette.');
    // a code the dashboard does not know: Danish never makes the English reason the text
    expect(errorText({ error: 'http_502', reason: '502 Bad Gateway' }, '', 'da')).toEqual({ text: t('da', 'apiError.noAnswer'), detail: '502 Bad Gateway' });
    expect(errorText({ error: 'http_502', reason: '502 Bad Gateway' }, '', 'en')).toEqual({ text: '502 Bad Gateway', detail: null });
    // no answer at all (the browser's TypeError): worded, the browser's message as the detail
    expect(errorText(null, 'Failed to fetch', 'da')).toEqual({ text: 'Hubben svarede ikke som ventet. Prøv igen om lidt.', detail: 'Failed to fetch' });
  });
});
