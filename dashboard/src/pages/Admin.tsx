/** Admin: users, API tokens, cameras, and imports with the hub's row-by-row validation errors. */
import { useState } from 'preact/hooks';
import { api, ApiFailure, query } from '../api/client.ts';
import type { ApiErrorBody, Role } from '../api/types.ts';
import { formatDateTime } from '../format.ts';
import { useLang, useLoad } from '../hooks.ts';
import { ErrorBox, ErrorDetail, Field, Page } from '../ui/common.tsx';
import { errorText } from '../ui/error-text.ts';

const ROLES: Role[] = ['planner', 'researcher', 'admin'];
interface User { username: string; role: Role; createdAt: string; disabledAt: string | null }
interface Token { id: number; role: Role; label: string | null; createdAt: string; revokedAt: string | null }

function useAction() {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}

function Secret(props: { value: string | null }) {
  const { t } = useLang();
  if (!props.value) return null;
  return (
    <div class="secret" role="status">
      {t('admin.shownOnce')} <code>{props.value}</code>
    </div>
  );
}

function Users() {
  const { lang, t } = useLang();
  const users = useLoad(() => api.get<{ users: User[] }>('/users'), []);
  const [form, setForm] = useState({ username: '', role: 'planner', password: '' });
  const action = useAction();
  return (
    <section class="panel">
      <h2>{t('admin.users')}</h2>
      <ErrorBox error={users.error ?? action.error} />
      <table class="data-table">
        <thead>
          <tr><th scope="col">{t('admin.username')}</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('admin.created')}</th><th scope="col" /></tr>
        </thead>
        <tbody>
          {(users.data?.users ?? []).map((u) => (
            <tr key={u.username} class={u.disabledAt ? 'disabled' : ''}>
              <th scope="row">{u.username}</th>
              <td>{t(`role.${u.role}`)}</td>
              <td>{formatDateTime(u.createdAt, lang)}</td>
              <td>
                {u.disabledAt ? `${t('admin.disabled')} ${formatDateTime(u.disabledAt, lang)}` : (
                  <button type="button" class="link" onClick={() => action.run(async () => { await api.del(`/users/${encodeURIComponent(u.username)}`); users.reload(); })}>
                    {t('admin.disable')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="controls" onSubmit={(e) => { e.preventDefault(); action.run(async () => { await api.post('/users', form); setForm({ ...form, username: '', password: '' }); users.reload(); }); }}>
        <Field label={t('admin.username')}><input required value={form.username} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} autocomplete="off" /></Field>
        <Field label={t('admin.role')}>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </Field>
        <Field label={t('admin.password')}><input required type="password" autocomplete="new-password" value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} /></Field>
        <button type="submit" disabled={action.busy}>{t('admin.add')}</button>
      </form>
    </section>
  );
}

function Tokens() {
  const { lang, t } = useLang();
  const tokens = useLoad(() => api.get<{ tokens: Token[] }>('/tokens'), []);
  const [form, setForm] = useState({ role: 'researcher', label: '' });
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  return (
    <section class="panel">
      <h2>{t('admin.tokens')}</h2>
      <ErrorBox error={tokens.error ?? action.error} />
      <Secret value={secret} />
      <table class="data-table">
        <thead>
          <tr><th scope="col">#</th><th scope="col">{t('admin.role')}</th><th scope="col">{t('admin.label')}</th><th scope="col">{t('admin.created')}</th><th scope="col" /></tr>
        </thead>
        <tbody>
          {(tokens.data?.tokens ?? []).map((k) => (
            <tr key={k.id} class={k.revokedAt ? 'disabled' : ''}>
              <th scope="row">{k.id}</th>
              <td>{t(`role.${k.role}`)}</td>
              <td>{k.label ?? ''}</td>
              <td>{formatDateTime(k.createdAt, lang)}</td>
              <td>
                {k.revokedAt ? `${t('admin.revoked')} ${formatDateTime(k.revokedAt, lang)}` : (
                  <button type="button" class="link" onClick={() => action.run(async () => { await api.del(`/tokens/${k.id}`); tokens.reload(); })}>{t('admin.revoke')}</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="controls" onSubmit={(e) => { e.preventDefault(); action.run(async () => { const r = await api.post<{ token: string }>('/tokens', form.label ? form : { role: form.role }); setSecret(r.token); tokens.reload(); }); }}>
        <Field label={t('admin.role')}>
          <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </Field>
        <Field label={t('admin.label')}><input value={form.label} onInput={(e) => setForm({ ...form, label: e.currentTarget.value })} /></Field>
        <button type="submit" disabled={action.busy}>{t('admin.create')}</button>
      </form>
    </section>
  );
}

function Cameras() {
  const { t } = useLang();
  const [form, setForm] = useState({ site: '', camera: '', name: '' });
  const [secret, setSecret] = useState<string | null>(null);
  const action = useAction();
  return (
    <section class="panel">
      <h2>{t('admin.cameras')}</h2>
      <ErrorBox error={action.error} />
      <Secret value={secret} />
      <form class="controls" onSubmit={(e) => { e.preventDefault(); action.run(async () => { const r = await api.post<{ username: string; password: string }>('/cameras', { site: form.site, camera: form.camera, ...(form.name ? { name: form.name } : {}) }); setSecret(`${r.username} / ${r.password}`); }); }}>
        <Field label={t('admin.site')}><input required pattern="[A-Za-z0-9_\-]+" value={form.site} onInput={(e) => setForm({ ...form, site: e.currentTarget.value })} /></Field>
        <Field label={t('admin.camera')}><input required pattern="[A-Za-z0-9_\-]+" value={form.camera} onInput={(e) => setForm({ ...form, camera: e.currentTarget.value })} /></Field>
        <Field label={t('admin.name')}><input value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></Field>
        <button type="submit" disabled={action.busy}>{t('admin.add')}</button>
      </form>
    </section>
  );
}

function ImportErrors(props: { body: ApiErrorBody | null }) {
  const { t, lang } = useLang();
  const b = props.body;
  if (!b) return null;
  const said = errorText(b, b.reason, lang);
  return (
    <div class="error-box" role="alert">
      <p>{said.text}</p>
      {said.detail && <ErrorDetail detail={said.detail} />}
      {b.rows && b.rows.length > 0 && (
        <table class="data-table">
          <thead><tr><th scope="col">{t('admin.line')}</th><th scope="col">{t('admin.column')}</th><th scope="col">{t('admin.message')}</th></tr></thead>
          <tbody>
            {b.rows.map((r, i) => <tr key={i}><td class="num">{r.line}</td><td><code>{r.column ?? ''}</code></td><td>{r.message}</td></tr>)}
          </tbody>
        </table>
      )}
      {b.features && b.features.length > 0 && (
        <table class="data-table">
          <thead><tr><th scope="col">{t('admin.feature')}</th><th scope="col">{t('admin.message')}</th></tr></thead>
          <tbody>
            {b.features.map((f, i) => <tr key={i}><td class="num">{f.index}</td><td>{f.message}</td></tr>)}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ImportForm(props: { title: string; path: string; contentType: string; withSource?: boolean }) {
  const { t } = useLang();
  const [text, setText] = useState('');
  const [source, setSource] = useState('');
  const [sample, setSample] = useState(false);
  const [failure, setFailure] = useState<ApiErrorBody | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    setDone(null);
    try {
      const q = props.withSource ? query({ source, sample: sample ? 'true' : null }) : '';
      const r = await api.post<Record<string, unknown>>(`${props.path}${q}`, text, props.contentType);
      setDone(`${t('admin.imported')}: ${JSON.stringify(r)}`);
    } catch (err) {
      setFailure(err instanceof ApiFailure ? err.body : { error: 'error', reason: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="import" onSubmit={submit}>
      <h3>{props.title}</h3>
      <Field label={props.title}>
        <textarea rows={6} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} />
      </Field>
      <Field label={t('admin.file')}>
        <input type="file" accept={props.contentType === 'text/csv' ? '.csv,text/csv' : '.json,.geojson,application/json'} onChange={async (e) => { const f = e.currentTarget.files?.[0]; if (f) setText(await f.text()); }} />
      </Field>
      {props.withSource && (
        <div class="controls">
          <Field label={t('admin.source')}><input value={source} onInput={(e) => setSource(e.currentTarget.value)} /></Field>
          <label class="check"><input type="checkbox" checked={sample} onChange={(e) => setSample(e.currentTarget.checked)} /> {t('admin.sample')}</label>
        </div>
      )}
      <button type="submit" disabled={busy || !text}>{t('admin.upload')}</button>
      {done && <p role="status" class="ok">{done}</p>}
      <ImportErrors body={failure} />
    </form>
  );
}

export function AdminPage() {
  const { t } = useLang();
  return (
    <Page name="admin" ready title={t('admin.title')}>
      <Users />
      <Tokens />
      <Cameras />
      <section class="panel">
        <h2>{t('admin.imports')}</h2>
        <ImportForm title={t('admin.social')} path="/imports/social-indicators" contentType="text/csv" withSource />
        <ImportForm title={t('admin.districts')} path="/imports/districts" contentType="application/json" />
        <ImportForm title={t('admin.siteMap')} path="/imports/site-map" contentType="application/json" />
      </section>
      <ErrorBox error={null} />
    </Page>
  );
}
