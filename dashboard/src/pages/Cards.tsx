/**
 * Monitoring cards: one per district and per site, urban-life indicators beside the social
 * indicators, with trend lines, traffic lights (shape + word), data completeness and the
 * small-number rule. `print` gives the A4 layout for council meetings.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, query } from '../api/client.ts';
import { URBAN_INDICATORS, type District, type Site, type SocialIndicator, type SocialValue, type UrbanIndicator, type UrbanIndicators } from '../api/types.ts';
import { briefObservation, buildCard, sortCards, type CardModel, type SocialRow } from '../cards/model.ts';
import { Sparkline } from '../charts/Sparkline.tsx';
import { formatDateTime, formatDuration, formatNumber, formatPercent, formatPeriodKey, formatWithUnit, localDate, sharedDigits, type Lang } from '../format.ts';
import { useLang, useLoad } from '../hooks.ts';
import type { Key } from '../i18n.ts';
import { ErrorBox, LightBadge, Loading, Page, SampleBadge } from '../ui/common.tsx';

interface CardsData {
  cards: CardModel[];
  indicators: SocialIndicator[];
}

/** Optional parts (social data, districts) may be missing on a hub without them: an empty list then. */
const orEmpty = <T,>(p: Promise<T>, empty: T) => p.catch(() => empty);

async function loadCards(): Promise<CardsData> {
  const [districts, sites, social, values] = await Promise.all([
    orEmpty(api.get<{ districts: District[] }>('/districts'), { districts: [] }),
    api.get<{ sites: Site[] }>('/sites'),
    orEmpty(api.get<{ indicators: SocialIndicator[] }>('/social/indicators'), { indicators: [] }),
    orEmpty(api.get<{ values: SocialValue[] }>('/social/values'), { values: [] }),
  ]);
  const subjects = [
    ...districts.districts.map((d) => ({ kind: 'district' as const, id: d.id, name: d.name })),
    ...sites.sites.map((s) => ({ kind: 'site' as const, id: s.site, name: s.name ?? s.site })),
  ];
  const urban = await Promise.all(
    subjects.map((s) => api.get<UrbanIndicators>(`/indicators/urban${query({ subject: `${s.kind}:${s.id}`, period: 'month' })}`).catch(() => null)),
  );
  const cards = subjects.map((s, i) => buildCard({ ...s, urban: urban[i], indicators: social.indicators, values: values.values, today: localDate(new Date()) }));
  return { cards, indicators: social.indicators };
}

export function urbanValue(key: UrbanIndicator, v: number | null, lang: Lang): string {
  if (key === 'medianDwellSeconds') return formatDuration(v, lang);
  if (key === 'eveningShare' || key === 'installationUse') return formatPercent(v, lang);
  return formatNumber(v, lang);
}

function socialValue(row: SocialRow, lang: Lang, fewer: string): string {
  const v = row.latest;
  if (!v) return '–';
  if (v.suppressed) return fewer;
  return formatWithUnit(v.value, row.indicator.unit, lang, sharedDigits([v.value, v.municipalAverage]));
}

/** The municipal average in the value's own unit and decimals. */
function averageValue(row: SocialRow, lang: Lang): string {
  const v = row.latest!;
  return formatWithUnit(v.municipalAverage, row.indicator.unit, lang, sharedDigits([v.value, v.municipalAverage]));
}

function Card(props: { card: CardModel; print: boolean }) {
  const { lang, t } = useLang();
  const c = props.card;
  const cur = c.current;
  const periods = c.urban?.periods ?? [];
  const name = (i: SocialIndicator) => (lang === 'da' ? i.nameDa : i.nameEn);
  return (
    <article class={`card card-${c.kind}`} data-testid="card" data-subject={c.subject} aria-labelledby={`card-${c.subject}`}>
      <header class="card-head">
        <div>
          <span class="card-kind">{t(c.kind === 'district' ? 'cards.district' : 'cards.site')}</span>
          <h2 id={`card-${c.subject}`}>{c.name}</h2>
        </div>
        <div class="card-badges">
          {c.sample && <SampleBadge />}
          {c.social.length > 0 && <LightBadge light={c.worstLight} />}
        </div>
      </header>
      <div class="card-cols">
        <section class="card-urban">
          <h3>
            {t('cards.urban')}
            {cur && <span class="muted"> · {formatPeriodKey(cur.key, lang)}</span>}
          </h3>
          {!cur ? (
            <p class="muted">{t('cards.noUrban')}</p>
          ) : (
            <>
              <table class="ind-table">
                <tbody>
                  {URBAN_INDICATORS.filter((k) => k !== 'installationUse' || cur.values.installationUse !== null).map((k) => (
                    <tr key={k}>
                      <th scope="row">{t(`ind.${k}` as Key)}</th>
                      <td class="num">{urbanValue(k, cur.values[k], lang)}</td>
                      <td class="spark">
                        <Sparkline
                          values={periods.map((p) => p.values[k])}
                          label={`${t(`ind.${k}` as Key)}: ${periods.map((p) => `${formatPeriodKey(p.key, lang)} ${urbanValue(k, p.values[k], lang)}`).join(', ')}`}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p class="completeness">
                <span class="field-label">{t('cards.completeness')}:</span>{' '}
                <meter min={0} max={cur.days.total || 1} value={cur.days.complete} aria-hidden="true" /> {cur.days.complete}/{cur.days.total} {t('cards.daysComplete')} ·{' '}
                {formatNumber(cur.hours.observed, lang)}/{formatNumber(cur.hours.total, lang)} {t('cards.hoursObserved')}
              </p>
              {briefObservation(cur) && (
                <p class="seen-brief" data-testid="seen-brief">
                  {t('cards.seenOnly')} {formatNumber(briefObservation(cur)!.passers, lang)} {t('cards.seenIn')} {formatDuration(briefObservation(cur)!.seconds, lang)}
                </p>
              )}
            </>
          )}
        </section>
        {c.kind === 'district' && (
          <section class="card-social">
            <h3>{t('cards.social')}</h3>
            {c.social.length === 0 ? (
              <p class="muted">{t('cards.noSocial')}</p>
            ) : (
              <table class="ind-table">
                <tbody>
                  {c.social.map((row) => (
                    <tr key={row.indicator.id}>
                      <th scope="row">
                        {name(row.indicator)}
                        <span class="muted small"> {row.latest?.period}</span>
                      </th>
                      <td class="num" title={row.latest?.suppressed ? t('cards.fewerLong') : undefined}>
                        {socialValue(row, lang, t('cards.fewer'))}
                        {row.latest && !row.latest.suppressed && row.latest.municipalAverage !== null && (
                          <span class="muted small avg">
                            {' '}
                            ({t('cards.average')} {averageValue(row, lang)})
                          </span>
                        )}
                      </td>
                      <td>
                        <LightBadge light={row.latest?.light ?? null} />
                      </td>
                      <td class="spark">
                        <Sparkline values={row.trend} label={`${name(row.indicator)}: ${row.periods.map((p, i) => `${p} ${formatNumber(row.trend[i], lang)}`).join(', ')}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </div>
    </article>
  );
}

export function CardsPage(props: { print: boolean }) {
  const { lang, t } = useLang();
  const loaded = useLoad(loadCards, []);
  const [sort, setSort] = useState('name');
  const cards = useMemo(() => (loaded.data ? sortCards(loaded.data.cards, sort, lang === 'da' ? 'da' : 'en') : []), [loaded.data, sort, lang]);
  const ready = !loaded.loading && loaded.data !== null;
  useEffect(() => {
    // the paint benchmark measures up to here: the cards drawn with their data
    if (ready) performance.mark('byliv:cards-ready');
  }, [ready]);
  const anySample = cards.some((c) => c.sample);

  const sortSelect = (
    <label class="field inline">
      <span class="field-label">{t('cards.sort')}</span>
      <select data-testid="sort" value={sort} onChange={(e) => setSort(e.currentTarget.value)}>
        <option value="name">{t('cards.sort.name')}</option>
        <option value="light">{t('cards.sort.light')}</option>
        <optgroup label={t('cards.urban')}>
          {URBAN_INDICATORS.map((k) => (
            <option key={k} value={`urban:${k}`}>
              {t(`ind.${k}` as Key)}
            </option>
          ))}
        </optgroup>
        {loaded.data && loaded.data.indicators.length > 0 && (
          <optgroup label={t('cards.social')}>
            {loaded.data.indicators.map((i) => (
              <option key={i.id} value={`social:${i.id}`}>
                {lang === 'da' ? i.nameDa : i.nameEn}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </label>
  );

  return (
    <Page
      name={props.print ? 'cards-print' : 'cards'}
      ready={ready}
      title={t('cards.title')}
      class={props.print ? 'print-page' : ''}
      actions={
        props.print ? (
          <div class="no-print">
            <button type="button" onClick={() => print()}>
              {t('print')}
            </button>{' '}
            <a href="#/cards">{t('back')}</a>
          </div>
        ) : (
          <>
            {sortSelect}
            <a class="button" href="#/cards/print">
              {t('printVersion')}
            </a>
          </>
        )
      }
    >
      <p class="intro">
        {t('cards.intro')} {anySample && <SampleBadge />}
      </p>
      {props.print && <p class="muted print-meta">{t('cards.printedAt')}: {formatDateTime(new Date(), lang)}</p>}
      <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !loaded.data && <Loading />}
      <div class={props.print ? 'cards cards-print' : 'cards'}>
        {cards.map((c) => (
          <Card key={c.subject} card={c} print={props.print} />
        ))}
      </div>
      {anySample && <p class="muted small">{t('sampleNote')}</p>}
    </Page>
  );
}
