/**
 * The map: districts coloured by a social indicator (or by traffic light), with sites,
 * cameras and zones on top. Pure SVG in Web-Mercator fitted to the data; background tiles only
 * when the hub is configured with a tile URL, so by default it works offline.
 */
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Light, MapData, SocialIndicator, SocialValue } from '../api/types.ts';
import { legendClasses, rampColour } from '../charts/scale.ts';
import { formatNumber } from '../format.ts';
import { useLang, useLoad } from '../hooks.ts';
import { anchor, bounds, fitView, geometryPath, tilesFor } from '../map/projection.ts';
import { ErrorBox, LightBadge, Loading, Page, SampleBadge } from '../ui/common.tsx';

const W = 960;
const H = 640;
const LIGHT_FILL: Record<Light, string> = { green: 'var(--green-fill)', yellow: 'var(--yellow-fill)', red: 'var(--red-fill)' };

async function loadMap() {
  const [map, social, values] = await Promise.all([
    api.get<MapData>('/map'),
    api.get<{ indicators: SocialIndicator[] }>('/social/indicators').catch(() => ({ indicators: [] as SocialIndicator[] })),
    api.get<{ values: SocialValue[] }>('/social/values').catch(() => ({ values: [] as SocialValue[] })),
  ]);
  return { map, indicators: social.indicators, values: values.values };
}

/** The latest value per district for one indicator. */
function latestByDistrict(values: readonly SocialValue[], indicator: string): Map<string, SocialValue> {
  const out = new Map<string, SocialValue>();
  for (const v of values) {
    if (v.indicator !== indicator) continue;
    const prev = out.get(v.district);
    if (!prev || v.period > prev.period) out.set(v.district, v);
  }
  return out;
}

export function MapPage() {
  const { lang, t } = useLang();
  const loaded = useLoad(loadMap, []);
  const [choice, setChoice] = useState<string>('');
  const data = loaded.data;
  const indicator = choice || data?.indicators[0]?.id || 'light';

  const view = useMemo(() => {
    if (!data) return null;
    const b = bounds([data.map.districts, data.map.features]);
    return b ? fitView(b, W, H, 24) : null;
  }, [data]);

  const byDistrict = useMemo(() => {
    if (!data) return new Map<string, SocialValue>();
    if (indicator === 'light') {
      // the worst light over the latest value of each indicator
      const worst = new Map<string, SocialValue>();
      const rank = { red: 3, yellow: 2, green: 1 } as const;
      for (const i of data.indicators) {
        for (const [d, v] of latestByDistrict(data.values, i.id)) {
          const w = worst.get(d);
          if (v.light && (!w?.light || rank[v.light] > rank[w.light])) worst.set(d, v);
        }
      }
      return worst;
    }
    return latestByDistrict(data.values, indicator);
  }, [data, indicator]);

  const meta = data?.indicators.find((i) => i.id === indicator);
  const shown = [...byDistrict.values()].filter((v) => !v.suppressed && v.value !== null).map((v) => v.value!);
  const lo = shown.length ? Math.min(...shown) : 0;
  const hi = shown.length ? Math.max(...shown) : 1;
  const fill = (district: string) => {
    const v = byDistrict.get(district);
    if (indicator === 'light') return v?.light ? LIGHT_FILL[v.light] : 'url(#hatch)';
    if (!v || v.suppressed || v.value === null) return 'url(#hatch)';
    return rampColour(hi > lo ? (v.value - lo) / (hi - lo) : 0.5);
  };
  const label = (district: string, name: string) => {
    const v = byDistrict.get(district);
    if (indicator === 'light') return `${name}: ${v?.light ? t(`light.${v.light}`) : t('light.none')}`;
    if (!v) return `${name}: ${t('noData')}`;
    if (v.suppressed) return `${name}: ${t('cards.fewer')}`;
    return `${name}: ${formatNumber(v.value, lang)}${meta?.unit ? ` ${meta.unit}` : ''} (${v.period})`;
  };
  const ready = !loaded.loading && data !== null;
  const tiles = view && data?.map.tileUrl ? tilesFor(view, data.map.tileUrl) : [];

  return (
    <Page
      name="map"
      ready={ready}
      title={t('map.title')}
      actions={
        data && (
          <label class="field inline">
            <span class="field-label">{t('map.indicator')}</span>
            <select value={indicator} onChange={(e) => setChoice(e.currentTarget.value)}>
              <option value="light">{t('map.byLight')}</option>
              {data.indicators.map((i) => (
                <option key={i.id} value={i.id}>
                  {lang === 'da' ? i.nameDa : i.nameEn}
                  {i.sample ? ` (${t('sample')})` : ''}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      <ErrorBox error={loaded.error} onRetry={loaded.reload} />
      {loaded.loading && !data && <Loading />}
      {data && (
        <div class="map-layout">
          <figure class="map-figure">
            <svg data-testid="map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('map.title')} class="map-svg">
              <defs>
                <pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="8" height="8" fill="var(--surface)" />
                  <line x1="0" y1="0" x2="0" y2="8" stroke="var(--missing-line)" stroke-width="3" />
                </pattern>
              </defs>
              <rect width={W} height={H} fill="var(--map-bg)" />
              {tiles.map((tile) => (
                <image key={tile.key} href={tile.url} x={tile.x} y={tile.y} width={tile.size + 0.5} height={tile.size + 0.5} preserveAspectRatio="none" opacity="0.85" />
              ))}
              {view && (
                <>
                  <g class="districts">
                    {data.map.districts.features.map((f, i) => (
                      <path key={f.properties.id ?? i} data-district={f.properties.id} d={geometryPath(view, f.geometry)} fill={fill(f.properties.id)} fill-opacity={tiles.length ? 0.7 : 1} fill-rule="evenodd">
                        <title>{label(f.properties.id, f.properties.name)}</title>
                      </path>
                    ))}
                  </g>
                  <g class="district-labels" aria-hidden="true">
                    {data.map.districts.features.map((f, i) => {
                      const a = anchor(view, f.geometry);
                      return a ? (
                        <text key={i} x={a[0]} y={a[1]} class="map-label">
                          {f.properties.name}
                        </text>
                      ) : null;
                    })}
                  </g>
                  <g class="features">
                    {data.map.features.features.map((f, i) => {
                      const p = f.properties;
                      const id = [p.site, p.camera, p.zone].filter(Boolean).join('/');
                      const d = geometryPath(view, f.geometry);
                      const a = anchor(view, f.geometry);
                      const title = `${t(p.kind === 'site' ? 'map.site' : p.kind === 'camera' ? 'map.camera' : 'map.zone')}: ${p.name ?? id}`;
                      return (
                        <g key={i} data-feature={p.kind} data-id={id} class={`feature feature-${p.kind}`}>
                          <title>{title}</title>
                          {d && <path d={d} />}
                          {!d && a && p.kind === 'site' && <circle cx={a[0]} cy={a[1]} r="7" />}
                          {!d && a && p.kind === 'camera' && <rect x={a[0] - 4} y={a[1] - 4} width="8" height="8" transform={`rotate(45 ${a[0]} ${a[1]})`} />}
                          {!d && a && p.kind === 'zone' && <circle cx={a[0]} cy={a[1]} r="4" />}
                          {p.kind === 'site' && a && (
                            <text x={a[0] + 10} y={a[1] + 4} class="map-label map-label-site">
                              {p.name ?? p.site}
                            </text>
                          )}
                        </g>
                      );
                    })}
                  </g>
                </>
              )}
            </svg>
            {!view && <p class="muted">{t('map.noGeometry')}</p>}
            <figcaption class="muted small">{data.map.tileUrl ? '' : t('map.offline')}</figcaption>
          </figure>
          <aside class="legend" aria-label={t('map.legend')}>
            <h2>{t('map.legend')}</h2>
            {meta?.sample && <SampleBadge />}
            <ul class="legend-list">
              {indicator === 'light'
                ? (['green', 'yellow', 'red'] as const).map((l) => (
                    <li key={l}>
                      <span class="swatch" style={{ background: LIGHT_FILL[l] }} /> <LightBadge light={l} long />
                    </li>
                  ))
                : legendClasses(lo, hi, shown.length > 1 ? 5 : 1).map((c, i) => (
                    <li key={i}>
                      <span class="swatch" style={{ background: rampColour(c.t) }} /> {formatNumber(c.from, lang)} – {formatNumber(c.to, lang)}
                      {meta?.unit ? ` ${meta.unit}` : ''}
                    </li>
                  ))}
              <li>
                <span class="swatch swatch-hatch" /> {t('map.suppressed')}
              </li>
              <li>
                <svg width="16" height="16" aria-hidden="true" class="feature-site">
                  <circle cx="8" cy="8" r="6" />
                </svg>{' '}
                {t('map.site')}
              </li>
              <li>
                <svg width="16" height="16" aria-hidden="true" class="feature-camera">
                  <rect x="4" y="4" width="8" height="8" transform="rotate(45 8 8)" />
                </svg>{' '}
                {t('map.camera')}
              </li>
              <li>
                <svg width="16" height="16" aria-hidden="true" class="feature-zone">
                  <rect x="2" y="3" width="12" height="10" />
                </svg>{' '}
                {t('map.zone')}
              </li>
            </ul>
            {meta && <p class="muted small">{meta.source}</p>}
          </aside>
        </div>
      )}
    </Page>
  );
}
