/**
 * The map: districts coloured by a social indicator (or by traffic light), with sites,
 * cameras and zones on top. Pure SVG in Web-Mercator fitted to the data; background tiles only
 * when the hub is configured with a tile URL, so by default it works offline.
 */
import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Light, MapData, SocialIndicator, SocialValue } from '../api/types.ts';
import { legendClasses, rampColour } from '../charts/scale.ts';
import { formatNumber } from '../format.ts';
import { useLang, useLoad } from '../hooks.ts';
import { areaSpots, placeLabels, pointSpots, type Box, type LabelRequest } from '../map/labels.ts';
import { anchor, bounds, fitView, geometryPath, tilesFor, type Feature, type View } from '../map/projection.ts';
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

/** Label text size in CSS px, whatever the map's drawn width. */
const LABEL_PX = 12;
/** Marker sizes in CSS px (a site's circle radius, a camera's diamond half-diagonal, a zone point's radius). */
const MARKER_PX = { site: 7, camera: 5.7, zone: 4 } as const;

/** Drawing units per CSS pixel: the SVG scales its 960-unit viewBox to the panel, so labels and markers are sized by this to stay readable on a phone. */
function useUnitsPerPixel(el: SVGSVGElement | null): number {
  const [scale, setScale] = useState(1);
  useLayoutEffect(() => {
    if (!el) return;
    const update = () => {
      const width = el.getBoundingClientRect().width;
      if (width > 0) setScale(W / width);
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return scale;
}

/** Text widths in drawing units, measured with the SVG's own font (canvas measureText; the DOM is not laid out twice). */
function textMeasurer(svg: SVGSVGElement | null, fontSize: number): (text: string, bold: boolean) => number {
  const ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  const family = svg ? getComputedStyle(svg).fontFamily : 'sans-serif';
  return (text, bold) => {
    if (!ctx) return text.length * fontSize * 0.6;
    ctx.font = `${bold ? 600 : 400} ${fontSize}px ${family}`;
    return ctx.measureText(text).width;
  };
}

interface MapLabel {
  id: string;
  text: string;
  kind: 'district' | 'site';
  x: number;
  y: number;
  align: 'start' | 'middle' | 'end';
}

/** Site names first (few, and they mark where the counts are), then district names; markers are obstacles. */
function layoutLabels(view: View, districts: readonly Feature<{ id: string; name: string }>[], features: readonly Feature<{ kind: string; site?: string; name?: string | null }>[], scale: number, measure: (text: string, bold: boolean) => number): MapLabel[] {
  const fontSize = LABEL_PX * scale;
  const height = fontSize * 1.25;
  const requests: (LabelRequest & { text: string; kind: MapLabel['kind'] })[] = [];
  const obstacles: Box[] = [];
  features.forEach((f, i) => {
    const a = anchor(view, f.geometry);
    if (!a) return;
    const kind = f.properties.kind as keyof typeof MARKER_PX;
    if (!geometryPath(view, f.geometry) && MARKER_PX[kind]) {
      const r = MARKER_PX[kind] * scale;
      obstacles.push({ x: a[0] - r, y: a[1] - r, width: 2 * r, height: 2 * r });
    }
    if (kind === 'site') {
      const text = f.properties.name ?? f.properties.site ?? '';
      requests.push({ id: `site:${i}`, text, kind: 'site', anchor: a, width: measure(text, true), height, spots: pointSpots((MARKER_PX.site + 3) * scale, height) });
    }
  });
  districts.forEach((f, i) => {
    const a = anchor(view, f.geometry);
    if (a) requests.push({ id: `district:${i}`, text: f.properties.name, kind: 'district', anchor: a, width: measure(f.properties.name, false), height, spots: areaSpots(height) });
  });
  const { placed } = placeLabels(requests, { x: 0, y: 0, width: view.width, height: view.height }, obstacles);
  const byId = new Map(requests.map((r) => [r.id, r]));
  return placed.map((p) => ({ id: p.id, text: byId.get(p.id)!.text, kind: byId.get(p.id)!.kind, x: p.x, y: p.y, align: p.align }));
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
  // a callback ref kept in state: the SVG appears only once the data is in, and the observer must follow it
  const [svgEl, setSvgEl] = useState<SVGSVGElement | null>(null);
  const scale = useUnitsPerPixel(svgEl);
  const labels = useMemo(
    () => (view && data ? layoutLabels(view, data.map.districts.features, data.map.features.features, scale, textMeasurer(svgEl, LABEL_PX * scale)) : []),
    [view, data, scale, svgEl],
  );
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
            <svg ref={setSvgEl} data-testid="map" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('map.title')} class="map-svg">
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
                          {!d && a && p.kind === 'site' && <circle cx={a[0]} cy={a[1]} r={MARKER_PX.site * scale} />}
                          {!d && a && p.kind === 'camera' && (
                            <rect x={a[0] - 4 * scale} y={a[1] - 4 * scale} width={8 * scale} height={8 * scale} transform={`rotate(45 ${a[0]} ${a[1]})`} />
                          )}
                          {!d && a && p.kind === 'zone' && <circle cx={a[0]} cy={a[1]} r={MARKER_PX.zone * scale} />}
                        </g>
                      );
                    })}
                  </g>
                  {/* On top of every shape, placed so that no two overlap (map/labels.ts); a name with no free spot is left to its tooltip. */}
                  <g class="map-labels" aria-hidden="true">
                    {labels.map((l) => (
                      <text key={l.id} data-label={l.kind} x={l.x} y={l.y} text-anchor={l.align} dominant-baseline="central" font-size={LABEL_PX * scale} class={`map-label map-label-${l.kind}`}>
                        {l.text}
                      </text>
                    ))}
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
