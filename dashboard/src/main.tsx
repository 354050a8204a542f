/**
 * The dashboard: signs in, then shows the pages the user's role may open. Hash routes keep it
 * one static file set the hub can serve; every fetch carries the session cookie.
 */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import './styles.css';
import { api, ApiFailure, setUnauthorizedHandler } from './api/client.ts';
import type { Session } from './api/types.ts';
import type { Lang } from './format.ts';
import { LangContext, SessionContext, useLang, useRoute } from './hooks.ts';
import type { Key } from './i18n.ts';
import { pagesFor, type Page } from './router.ts';
import { pageTitle } from './title.ts';
import { LoginPage } from './pages/Login.tsx';
import { CardsPage } from './pages/Cards.tsx';
import { MapPage } from './pages/Map.tsx';
import { ChartsPage } from './pages/Charts.tsx';
import { EvaluationPage } from './pages/Evaluation.tsx';
import { DownloadsPage } from './pages/Downloads.tsx';
import { HealthPage } from './pages/Health.tsx';
import { AdminPage } from './pages/Admin.tsx';
import { AuditPage } from './pages/Audit.tsx';

const LANG_KEY = 'byliv.lang';

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_KEY);
    if (stored === 'da' || stored === 'en') return stored;
  } catch {
    /* storage may be blocked */
  }
  return 'da';
}

function goLogin() {
  if (!location.hash.startsWith('#/login')) {
    const next = location.hash && location.hash !== '#/' ? `?next=${encodeURIComponent(location.hash.slice(1))}` : '';
    location.hash = `#/login${next}`;
  }
}

function Nav(props: { session: Session; current: string; onSignOut(): void }) {
  const { lang, setLang, t } = useLang();
  const pages = pagesFor(props.session.role);
  return (
    <header class="app-head">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('nav.skip')}
      </a>
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">◐</span> {t('appName')}
        <span class="brand-tag">{t('tagline')}</span>
      </div>
      <nav aria-label={lang === 'da' ? 'Hovedmenu' : 'Main'}>
        <ul>
          {pages.map((p) => (
            <li key={p}>
              <a href={`#/${p}`} aria-current={props.current.split('/')[0] === p ? 'page' : undefined}>
                {t(`nav.${p}` as Key)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="app-user">
        <button type="button" class="lang" data-testid="lang" lang={lang === 'da' ? 'en' : 'da'} aria-label={t('langToggleLabel')} onClick={() => setLang(lang === 'da' ? 'en' : 'da')}>
          {t('langToggle')}
        </button>
        <span class="muted">
          {props.session.username} ({t(`role.${props.session.role}`)})
        </span>
        <button type="button" class="link" onClick={props.onSignOut}>
          {t('signOut')}
        </button>
      </div>
    </header>
  );
}

function PageFor(props: { page: string }) {
  switch (props.page) {
    case 'cards': return <CardsPage print={false} />;
    case 'cards/print': return <CardsPage print />;
    case 'map': return <MapPage />;
    case 'charts': return <ChartsPage />;
    case 'evaluation': return <EvaluationPage print={false} />;
    case 'evaluation/print': return <EvaluationPage print />;
    case 'downloads': return <DownloadsPage />;
    case 'health': return <HealthPage />;
    case 'admin': return <AdminPage />;
    case 'audit': return <AuditPage />;
    default: return null;
  }
}

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const route = useRoute();
  const setLang = (l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* ignore */
    }
  };
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession(null);
      goLogin();
    });
    api.get<Session>('/session').then(setSession, (e) => {
      setSession(null);
      if (!(e instanceof ApiFailure) || e.status === 401) goLogin();
    });
  }, []);

  const page = route.path;
  const allowed = session ? pagesFor(session.role) : [];
  // Default page and pages this role may not open: go to the first one it may.
  useEffect(() => {
    if (!session || page === 'login') return;
    const base = page.split('/')[0] as Page;
    if (!allowed.includes(base)) location.hash = `#/${allowed[0]}`;
  }, [session, page]);
  useEffect(() => {
    document.title = pageTitle(page, lang);
  }, [page, lang]);

  const signOut = async () => {
    try {
      await api.del('/session');
    } finally {
      setSession(null);
      location.hash = '#/login';
    }
  };

  const langValue = useMemo(() => ({ lang, setLang }), [lang]);
  const printing = page.endsWith('/print');
  let body;
  if (page === 'login' || session === null) {
    body = (
      <LoginPage
        onSignedIn={(s) => {
          setSession(s);
          const next = route.params.get('next');
          location.hash = next && next.startsWith('/') && !next.startsWith('/login') ? `#${next}` : `#/${pagesFor(s.role)[0]}`;
        }}
      />
    );
  } else if (session === undefined) {
    body = <main id="main" class="page" data-ready="false" aria-busy="true" />;
  } else {
    body = <PageFor page={page} />;
  }
  return (
    <LangContext.Provider value={langValue}>
      <SessionContext.Provider value={session ?? null}>
        <div class={`app ${printing ? 'app-print' : ''}`}>
          {session && page !== 'login' && !printing && <Nav session={session} current={page} onSignOut={signOut} />}
          {body}
        </div>
      </SessionContext.Provider>
    </LangContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
