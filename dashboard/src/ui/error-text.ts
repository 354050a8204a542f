/**
 * What an API error says to a person, in their language. The hub's reason is English (for
 * scripts and logs); the page speaks from the codes: the fine `problem` where the hub gives
 * one, else the kind of error. The English reason stays available as a detail.
 */
import type { ApiErrorBody } from '../api/types.ts';
import type { Lang } from '../format.ts';
import { t, type Key } from '../i18n.ts';

export interface ErrorText {
  text: string;
  /** The hub's own sentence, shown under the text (it names the exact field or value). */
  detail: string | null;
}

const known = (lang: Lang, key: string): string | null => {
  const s = t(lang, key as Key);
  return s === key ? null : s;
};

export function errorText(body: Pick<ApiErrorBody, 'error' | 'reason'> & { problem?: string } | null, message: string, lang: Lang): ErrorText {
  // no answer from the hub (network, or a failure in the page itself): the browser's message is the detail
  if (!body) return { text: t(lang, 'apiError.noAnswer'), detail: message || null };
  const text = (body.problem && known(lang, `problem.${body.problem}`)) ?? known(lang, `apiError.${body.error}`);
  if (!text) return lang === 'en' ? { text: body.reason || message, detail: null } : { text: t(lang, 'apiError.noAnswer'), detail: body.reason || message || null };
  return { text, detail: body.reason || null };
}
