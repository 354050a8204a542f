/** The audit log for admins: who downloaded what and when, filtered by user, action and days; the same as CSV. */
import { useState } from 'preact/hooks';
import { API, api, query } from '../api/client.ts';
import type { AuditEntry } from '../api/types.ts';
import { formatDateTime } from '../format.ts';
import { useLang, useLoad } from '../hooks.ts';
import { ErrorBox, Field, Loading, Page } from '../ui/common.tsx';

/** The actions the hub audits (hub/src/**: store.audit.add); downloads first. */
const ACTIONS = ['export', 'audit.export', 'session.create', 'session.delete', 'user.create', 'user.disable', 'token.create', 'token.revoke', 'camera.add', 'camera.password', 'camera.remove', 'scene.put', 'installation.create', 'installation.update', 'districts.import', 'site-map.import', 'social.catalogue.import', 'social.values.import', 'sample.load', 'store.backup', 'store.compact'] as const;

interface AuditFilter {
  user: string;
  action: string;
  /** Local dates YYYY-MM-DD, both days included; empty: unbounded. */
  from: string;
  to: string;
}

/** The API's query for a filter: local days become the instants of their local midnights (to: the next day's). */
export function auditQuery(f: AuditFilter, format: 'json' | 'csv'): string {
  const midnight = (day: string, plusDays = 0) => {
    const d = new Date(`${day}T00:00:00`);
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };
  return query({ user: f.user.trim().toLowerCase(), action: f.action, from: f.from && midnight(f.from), to: f.to && midnight(f.to, 1), format: format === 'csv' ? 'csv' : undefined });
}

export function AuditPage() {
  const { lang, t } = useLang();
  const [filter, setFilter] = useState<AuditFilter>({ user: '', action: '', from: '', to: '' });
  const entries = useLoad(() => api.get<{ entries: AuditEntry[] }>(`/audit${auditQuery(filter, 'json')}`), [filter.user, filter.action, filter.from, filter.to]);
  const set = (k: keyof AuditFilter) => (e: Event) => setFilter({ ...filter, [k]: (e.currentTarget as HTMLInputElement).value });
  const list = entries.data?.entries;
  return (
    <Page
      name="audit"
      ready={!entries.loading && !!list}
      title={t('audit.title')}
      actions={
        <a class="button" data-testid="audit-csv" href={`${API}/audit${auditQuery(filter, 'csv')}`} download>
          {t('audit.csv')}
        </a>
      }
    >
      <p class="intro">{t('audit.intro')}</p>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('audit.user')}>
          <input type="search" name="user" value={filter.user} onChange={set('user')} autocomplete="off" />
        </Field>
        <Field label={t('audit.action')}>
          <select name="action" value={filter.action} onChange={set('action')}>
            <option value="">{t('audit.allActions')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a === 'export' ? t('audit.downloads') : a}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('audit.from')}>
          <input type="date" name="from" value={filter.from} onChange={set('from')} />
        </Field>
        <Field label={t('audit.to')}>
          <input type="date" name="to" value={filter.to} onChange={set('to')} />
        </Field>
      </form>
      <ErrorBox error={entries.error} onRetry={entries.reload} />
      {entries.loading && !list && <Loading />}
      {list && list.length === 0 && <p class="muted">{t('audit.none')}</p>}
      {list && list.length > 0 && (
        <table class="data-table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.user')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.what')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td>
                  <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
                </td>
                <td>
                  {e.username ?? (e.tokenId !== null ? t('audit.token', { id: e.tokenId }) : t('audit.local'))}
                  {e.role && <div class="muted small">{t(`role.${e.role as 'admin' | 'planner' | 'researcher'}`)}</div>}
                </td>
                <td>{e.action === 'export' ? t('audit.download') : e.action}</td>
                <td class="audit-what">{e.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
