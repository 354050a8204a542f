/** Small Preact hooks: the hash route, data loading with a ready flag, and the language. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Session } from './api/types.ts';
import type { Lang } from './format.ts';
import { t, type Key } from './i18n.ts';
import { parseHash, type Route } from './router.ts';

export const LangContext = createContext<{ lang: Lang; setLang(l: Lang): void }>({ lang: 'da', setLang() {} });
export const SessionContext = createContext<Session | null>(null);

/** The language and a bound `t`. */
export function useLang() {
  const { lang, setLang } = useContext(LangContext);
  return { lang, setLang, t: (key: Key, vars?: Record<string, string | number>) => t(lang, key, vars) };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return parseHash(hash);
}

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload(): void;
}

/** Runs `load` when `deps` change; the latest answer wins (earlier ones are dropped). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: Error) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}
