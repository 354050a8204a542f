/** The browser tab's title for a route, in the page's language: "Bykort · Byliv". Pure. */
import type { Lang } from './format.ts';
import { t, type Key } from './i18n.ts';

const TITLE_KEYS: Record<string, Key> = {
  login: 'login.title',
  cards: 'nav.cards',
  'cards/print': 'title.cardsPrint',
  map: 'nav.map',
  charts: 'nav.charts',
  evaluation: 'nav.evaluation',
  'evaluation/print': 'title.evaluationPrint',
  downloads: 'nav.downloads',
  health: 'nav.health',
  admin: 'nav.admin',
  audit: 'nav.audit',
};

/** Unknown paths (and the empty one, before the redirect to the first page) get the app's name alone, never a raw key. */
export function pageTitle(path: string, lang: Lang): string {
  const app = t(lang, 'appName');
  const key = TITLE_KEYS[path];
  return key ? `${t(lang, key)} · ${app}` : app;
}
