/**
 * Charts: counts over time for any line, zone, site or installation, the hour × weekday heat
 * map and the dwell-time distribution. The picks live in the URL (#/charts?subject=…), so a
 * chart can be linked to.
 */
import { useState } from 'preact/hooks';
import { api, query } from '../api/client.ts';
import type { Dwell, Heatmap, Measure, Series, Site, SubjectOption } from '../api/types.ts';
import { DwellChart, HeatmapChart, SeriesChart } from '../charts/charts.tsx';
import { addDays, formatDuration, formatNumber, localDate } from '../format.ts';
import { useLang, useLoad, useRoute } from '../hooks.ts';
import type { Key } from '../i18n.ts';
import { hashFor } from '../router.ts';
import { ErrorBox, Field, Loading, Page } from '../ui/common.tsx';

const MEASURES: Record<string, Measure[]> = {
  line: ['passers', 'forward', 'backward'],
  zone: ['entries', 'exits', 'stayingVisits', 'personMinutes', 'passers'],
  other: ['passers', 'stayingVisits', 'personMinutes'],
};
export const measuresFor = (subject: string): Measure[] => MEASURES[subject.split(':')[0]] ?? MEASURES.other;
const ROLLUPS = ['hour', 'day', 'week', 'month'] as const;
const DEFAULT_DAYS: Record<string, number> = { hour: 7, day: 42, week: 182, month: 365 };

/** The default range: the last N local days up to and including today (to is exclusive). */
export function defaultRange(rollup: string, today: string): { from: string; to: string } {
  const days = DEFAULT_DAYS[rollup] ?? 7;
  return { from: addDays(today, -(days - 1)), to: addDays(today, 1) };
}

export function ChartsPage() {
  const { lang, t } = useLang();
  const { params } = useRoute();
  const subject = params.get('subject') ?? '';
  const measure = (params.get('measure') as Measure | null) ?? (subject ? measuresFor(subject)[0] : 'passers');
  const rollup = params.get('rollup') ?? 'hour';
  const range = defaultRange(rollup, localDate(new Date()));
  const from = params.get('from') ?? range.from;
  const to = params.get('to') ?? range.to;
  const siteFromSubject = subject.match(/^(?:zone|line|site):([^/]+)/)?.[1] ?? '';
  const [pickedSite, setPickedSite] = useState('');
  const site = pickedSite || params.get('site') || siteFromSubject;

  const sites = useLoad(() => api.get<{ sites: Site[] }>('/sites'), []);
  const effectiveSite = site || sites.data?.sites[0]?.site || '';
  const subjects = useLoad(
    () => (effectiveSite ? api.get<{ subjects: SubjectOption[] }>(`/subjects${query({ site: effectiveSite })}`) : Promise.resolve({ subjects: [] })),
    [effectiveSite],
  );
  const go = (p: Record<string, string | null>) => (location.hash = hashFor('charts', { subject, measure, rollup, from: params.get('from'), to: params.get('to'), ...p }));

  const q = { subject, from, to };
  const series = useLoad(() => (subject ? api.get<Series>(`/series${query({ ...q, measure, rollup })}`) : Promise.resolve(null)), [subject, measure, rollup, from, to]);
  const heat = useLoad(() => (subject ? api.get<Heatmap>(`/series/heatmap${query({ ...q, measure })}`) : Promise.resolve(null)), [subject, measure, from, to]);
  const dwellable = !subject.startsWith('line:');
  const dwell = useLoad(() => (subject && dwellable ? api.get<Dwell>(`/series/dwell${query(q)}`) : Promise.resolve(null)), [subject, from, to]);

  // the hub's list may already hold the site itself; keep one entry per subject
  const options: SubjectOption[] = [
    ...(effectiveSite ? [{ subject: `site:${effectiveSite}`, kind: 'site' as const, name: t('kind.site'), site: effectiveSite }] : []),
    ...(subjects.data?.subjects ?? []),
  ].filter((o, i, all) => all.findIndex((x) => x.subject === o.subject) === i);
  const ready = !sites.loading && (!subject || (!series.loading && !heat.loading && !dwell.loading));
  const subjectName = options.find((o) => o.subject === subject)?.name ?? subject;
  const unit = t(`measure.${measure}` as Key).toLowerCase();

  return (
    <Page name="charts" ready={ready} title={t('charts.title')}>
      <form class="controls" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('charts.site')}>
          <select value={effectiveSite} onChange={(e) => { setPickedSite(e.currentTarget.value); go({ subject: null }); }}>
            {(sites.data?.sites ?? []).map((s) => (
              <option key={s.site} value={s.site}>
                {s.name ?? s.site}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('charts.subject')}>
          <select value={subject} onChange={(e) => go({ subject: e.currentTarget.value, measure: measuresFor(e.currentTarget.value)[0] })}>
            <option value="">–</option>
            {options.map((o) => (
              <option key={o.subject} value={o.subject}>
                {o.kind === 'site' ? o.name : `${t(`kind.${o.kind}` as Key)}: ${o.name}${o.camera ? ` (${o.camera})` : ''}`}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('charts.measure')}>
          <select value={measure} onChange={(e) => go({ measure: e.currentTarget.value })}>
            {measuresFor(subject || 'site:x').map((m) => (
              <option key={m} value={m}>
                {t(`measure.${m}` as Key)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('charts.rollup')}>
          <select value={rollup} onChange={(e) => go({ rollup: e.currentTarget.value, from: null, to: null })}>
            {ROLLUPS.map((r) => (
              <option key={r} value={r}>
                {t(`rollup.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('charts.from')}>
          <input type="date" value={from} onChange={(e) => go({ from: e.currentTarget.value, to })} />
        </Field>
        <Field label={t('charts.to')}>
          <input type="date" value={to} onChange={(e) => go({ from, to: e.currentTarget.value })} />
        </Field>
      </form>
      <ErrorBox error={sites.error ?? subjects.error} />
      {!subject && <p class="muted">{t('charts.pick')}</p>}
      {subject && (
        <>
          <section class="panel">
            <h2>
              {t('charts.series')}: {subjectName} · {t(`measure.${measure}` as Key)}
            </h2>
            <ErrorBox error={series.error} onRetry={series.reload} />
            {series.loading && <Loading />}
            {series.data && (
              <>
                <SeriesChart points={series.data.points} rollup={rollup} lang={lang} label={`${subjectName}, ${t(`measure.${measure}` as Key)}`} gapLabel={t('charts.gap')} unit={unit} />
                <p class="muted small">
                  <span class="swatch swatch-gap" /> {t('charts.gapNote')}
                </p>
              </>
            )}
          </section>
          <div class="two-col">
            <section class="panel">
              <h2>{t('charts.heatmap')}</h2>
              <ErrorBox error={heat.error} onRetry={heat.reload} />
              {heat.loading && <Loading />}
              {heat.data && <HeatmapChart data={heat.data} lang={lang} label={t('charts.heatmap')} gapLabel={t('charts.gap')} hoursLabel={t('charts.hours')} />}
            </section>
            {dwellable && (
              <section class="panel">
                <h2>{t('charts.dwell')}</h2>
                <ErrorBox error={dwell.error} onRetry={dwell.reload} />
                {dwell.loading && <Loading />}
                {dwell.data && (
                  <>
                    <DwellChart data={dwell.data} lang={lang} label={t('charts.dwell')} visitsLabel={t('charts.visits')} />
                    <p class="muted small">
                      {formatNumber(dwell.data.visits, lang)} {t('charts.visits')} · {t('charts.median')} {formatDuration(dwell.data.medianSeconds, lang)}
                    </p>
                  </>
                )}
              </section>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
