/** Researcher downloads: the same export as the API (small counts withheld, every download audited). */
import { useState } from 'preact/hooks';
import { API, api, query } from '../api/client.ts';
import type { Camera, Site } from '../api/types.ts';
import { useLang, useLoad, useRoute } from '../hooks.ts';
import { ErrorBox, Field, Page } from '../ui/common.tsx';

const ROLLUPS = ['15m', 'hour', 'day', 'week'] as const;

/** The hub refuses 15-minute cells to researchers (its small-count grid is the whole hour), so they are not offered. */
export function rollupsFor(role: string | undefined): readonly (typeof ROLLUPS)[number][] {
  return role === 'researcher' ? ROLLUPS.filter((r) => r !== '15m') : ROLLUPS;
}

/** A researcher's from/to must be cell boundaries (the hub's grid): a weekly export's dates move out to Mondays. */
export function weekBoundary(date: string, direction: 'down' | 'up'): string {
  if (!date) return date;
  const d = new Date(`${date}T00:00:00Z`);
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  if (sinceMonday === 0) return date;
  d.setUTCDate(d.getUTCDate() + (direction === 'down' ? -sinceMonday : 7 - sinceMonday));
  return d.toISOString().slice(0, 10);
}

export function exportHref(p: { site: string; camera: string; from: string; to: string; rollup: string }, format: 'csv' | 'json'): string {
  const week = p.rollup === 'week';
  const from = week ? weekBoundary(p.from, 'down') : p.from;
  const to = week ? weekBoundary(p.to, 'up') : p.to;
  return `${API}/export${query({ site: p.site, camera: p.camera, from, to, rollup: p.rollup, format })}`;
}

export function DownloadsPage() {
  const { t } = useLang();
  const { params } = useRoute();
  const sites = useLoad(() => api.get<{ sites: Site[] }>('/sites'), []);
  const dictionary = useLoad(() => api.get<{ suppressBelow: number; licence: string; columns: Record<string, string> }>('/export/dictionary'), []);
  const citation = useLoad(() => api.get<string>('/export/citation'), []);
  const session = useLoad(() => api.get<{ role: string }>('/session'), []);
  const [form, setForm] = useState({ site: params.get('site') ?? '', camera: params.get('camera') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '', rollup: params.get('rollup') ?? 'hour' });
  const site = form.site || sites.data?.sites[0]?.site || '';
  const cameras = useLoad(() => (site ? api.get<{ cameras: Camera[] }>(`/sites/${encodeURIComponent(site)}/cameras`) : Promise.resolve({ cameras: [] as Camera[] })), [site]);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value, ...(k === 'site' ? { camera: '' } : {}) });
  const p = { ...form, site };
  const ready = !sites.loading && !dictionary.loading && !citation.loading && !!site;

  return (
    <Page name="downloads" ready={ready} title={t('dl.title')}>
      <p class="intro">{t('dl.intro')}</p>
      <ErrorBox error={sites.error} onRetry={sites.reload} />
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('dl.site')}>
          <select value={site} onChange={set('site')}>
            {(sites.data?.sites ?? []).map((s) => (
              <option key={s.site} value={s.site}>
                {s.name ?? s.site}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('dl.camera')}>
          <select value={form.camera} onChange={set('camera')}>
            <option value="">{t('dl.allCameras')}</option>
            {(cameras.data?.cameras ?? []).map((c) => (
              <option key={c.camera} value={c.camera}>
                {c.camera}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('dl.from')} hint={t('dl.allTime')}>
          <input type="date" value={form.from} onChange={set('from')} />
        </Field>
        <Field label={t('dl.to')} hint={t('dl.allTime')}>
          <input type="date" value={form.to} onChange={set('to')} />
        </Field>
        <Field label={t('dl.rollup')}>
          <select value={form.rollup} onChange={set('rollup')}>
            {rollupsFor(session.data?.role).map((r) => (
              <option key={r} value={r}>
                {t(`rollup.${r}`)}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {site && (
        <p class="download-links">
          <a class="button primary" data-testid="download-csv" href={exportHref(p, 'csv')} download>
            {t('dl.csv')}
          </a>{' '}
          <a class="button" data-testid="download-json" href={exportHref(p, 'json')} download>
            {t('dl.json')}
          </a>
        </p>
      )}
      <section class="panel">
        <h2>{t('dl.citation')}</h2>
        <ErrorBox error={citation.error} />
        {citation.data && <blockquote class="citation">{citation.data}</blockquote>}
        {dictionary.data && <p data-testid="licence">{t('dl.licence', { licence: dictionary.data.licence })}</p>}
      </section>
      <section class="panel">
        <h2>{t('dl.dictionary')}</h2>
        <ErrorBox error={dictionary.error} />
        {dictionary.data && (
          <>
            <p class="muted">{t('dl.suppressBelow', { n: dictionary.data.suppressBelow - 1 })}</p>
            <table class="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('dl.column')}</th>
                  <th scope="col">{t('dl.meaning')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(dictionary.data.columns).map(([k, v]) => (
                  <tr key={k}>
                    <th scope="row">
                      <code>{k}</code>
                    </th>
                    <td lang="en">{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </Page>
  );
}
