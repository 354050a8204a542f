/** Sign-in: POST /session sets the session cookie; errors are read out ([role=alert]). */
import { useState } from 'preact/hooks';
import { api, ApiFailure } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { useLang } from '../hooks.ts';

export function LoginPage(props: { onSignedIn(s: Session): void }) {
  const { lang, setLang, t } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const s = await api.post<Session>('/session', { username, password });
      setPassword('');
      props.onSignedIn(s);
    } catch (err) {
      const status = err instanceof ApiFailure ? err.status : 0;
      setError(status === 401 ? t('login.wrong') : status === 429 ? t('login.throttled') : `${t('error')}: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="page page-login" data-testid="page-login" data-ready="true">
      <div class="login-box">
        <div class="login-top">
          <div class="brand">
            <span class="brand-mark" aria-hidden="true">◐</span> {t('appName')}
          </div>
          <button type="button" class="lang" data-testid="lang" lang={lang === 'da' ? 'en' : 'da'} aria-label={t('langToggleLabel')} onClick={() => setLang(lang === 'da' ? 'en' : 'da')}>
            {t('langToggle')}
          </button>
        </div>
        <h1>{t('login.title')}</h1>
        <p class="muted">{t('login.intro')}</p>
        <form onSubmit={submit} method="post" action="#">
          <label class="field">
            <span class="field-label">{t('login.username')}</span>
            <input name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span class="field-label">{t('login.password')}</span>
            <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <div role="alert" class={error ? 'error-box' : 'sr-only'}>
            {error}
          </div>
          <button type="submit" class="primary" disabled={busy}>
            {t('login.submit')}
          </button>
        </form>
      </div>
    </main>
  );
}
