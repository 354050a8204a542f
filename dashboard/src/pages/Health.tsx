/** Camera health: online/offline, last seen, fps, outbox backlog, and a 14-day completeness grid per camera. */
import { api, query } from '../api/client.ts';
import type { CameraHealth, Completeness } from '../api/types.ts';
import { rampColour } from '../charts/scale.ts';
import { formatDateTime, formatDayMonth, formatNumber, formatPercent, localDate, localHour, type Lang } from '../format.ts';
import { useLang, useLoad } from '../hooks.ts';
import { ErrorBox, Loading, Page } from '../ui/common.tsx';

const DAYS = 14;

async function loadHealth() {
  const { cameras } = await api.get<{ cameras: CameraHealth[] }>('/health/cameras');
  const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
  const from = new Date(to.getTime() - DAYS * 86_400_000);
  const completeness = await Promise.all(
    cameras.map((c) => api.get<Completeness>(`/health/completeness${query({ site: c.site, camera: c.camera, from: from.toISOString(), to: to.toISOString() })}`).catch(() => null)),
  );
  return { cameras, completeness };
}

/** Hours grouped by local day (rows) and local hour (columns). */
function CompletenessGrid(props: { data: Completeness; lang: Lang; label: string }) {
  const days = [...new Set(props.data.hours.map((h) => localDate(h.start)))];
  const cell = 12;
  const left = 70;
  return (
    <svg class="completeness-grid" viewBox={`0 0 ${left + 24 * cell} ${days.length * cell + 14}`} role="img" aria-label={`${props.label}: ${formatPercent(props.data.share, props.lang)}`}>
      <title>{`${props.label}: ${formatPercent(props.data.share, props.lang)}`}</title>
      {[0, 6, 12, 18].map((h) => (
        <text key={h} x={left + h * cell} y={10} class="axis-text">
          {String(h).padStart(2, '0')}
        </text>
      ))}
      {days.map((d, i) => (
        <text key={d} x={left - 6} y={14 + i * cell + cell - 3} text-anchor="end" class="axis-text">
          {formatDayMonth(d, props.lang)}
        </text>
      ))}
      {props.data.hours.map((h) => {
        const row = days.indexOf(localDate(h.start));
        const col = localHour(h.start);
        return (
          <rect key={h.start} x={left + col * cell} y={14 + row * cell} width={cell - 1} height={cell - 1} fill={h.share > 0 ? rampColour(h.share) : 'var(--missing)'}>
            <title>{`${formatDateTime(h.start, props.lang)}: ${formatPercent(h.share, props.lang)}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

export function HealthPage() {
  const { lang, t } = useLang();
  const loaded = useLoad(loadHealth, []);
  const data = loaded.data;
  const state = (s: string) => (s === 'online' ? t('health.online') : s === 'offline' ? t('health.offline') : t('health.unknown'));
  return (
    <Page name="health" ready={!loaded.loading && !!data} title={t('health.title')}>
      <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !data && <Loading />}
      {data && data.cameras.length === 0 && <p class="muted">{t('health.none')}</p>}
      {data && data.cameras.length > 0 && (
        <table class="data-table health-table">
          <thead>
            <tr>
              <th scope="col">{t('health.camera')}</th>
              <th scope="col">{t('health.state')}</th>
              <th scope="col">{t('health.lastSeen')}</th>
              <th scope="col">{t('health.fps')}</th>
              <th scope="col">{t('health.outbox')}</th>
              <th scope="col">{t('health.completeness')}</th>
            </tr>
          </thead>
          <tbody>
            {data.cameras.map((c, i) => (
              <tr key={`${c.site}/${c.camera}`}>
                <th scope="row">
                  {c.camera}
                  <div class="muted small">{c.site}</div>
                </th>
                <td>
                  <span class={`state state-${c.state}`}>
                    <span aria-hidden="true">{c.state === 'online' ? '●' : c.state === 'offline' ? '■' : '○'}</span> {state(c.state)}
                  </span>
                </td>
                <td>{c.lastSeen ? formatDateTime(c.lastSeen, lang) : t('health.never')}</td>
                <td class="num">{formatNumber(typeof c.status?.fps === 'number' ? c.status.fps : null, lang, 1)}</td>
                <td class="num">
                  {formatNumber(c.outboxDepth, lang)}
                  {c.outboxDropped ? <span class="warn small"> (−{c.outboxDropped})</span> : null}
                </td>
                <td class="grid-cell">
                  {data.completeness[i] ? (
                    <>
                      <CompletenessGrid data={data.completeness[i]!} lang={lang} label={`${c.site}/${c.camera}`} />
                      <div class="muted small">
                        {formatPercent(data.completeness[i]!.share, lang)} {t('health.share')}
                      </div>
                    </>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
