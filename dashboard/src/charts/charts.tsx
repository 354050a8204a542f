/** Hand-written SVG charts: counts over time (gaps for missing hours), hour × weekday heat map, dwell histogram. */
import type { Dwell, Heatmap, SeriesPoint } from '../api/types.ts';
import { formatDate, formatDateTime, formatDuration, formatNumber, localHour, weekdayNames, type Lang } from '../format.ts';
import { bucketCoverage, coverageOpacity, extent, linePath, linearScale, niceTicks, rampColour, timeTicks } from './scale.ts';

const M = { top: 12, right: 16, bottom: 36, left: 56 };

export function SeriesChart(props: { points: SeriesPoint[]; rollup: string; lang: Lang; label: string; gapLabel: string; unit: string }) {
  const W = 900;
  const H = 300;
  const pts = props.points;
  const t0 = pts.length ? Date.parse(pts[0].start) : 0;
  const t1 = pts.length ? Date.parse(pts[pts.length - 1].end) : 1;
  const ext = extent(pts.map((p) => p.value)) ?? [0, 1];
  const { ticks, domain } = niceTicks(Math.min(0, ext[0]), ext[1], 5);
  const x = linearScale([t0, t1], [M.left, W - M.right]);
  const y = linearScale(domain, [H - M.bottom, M.top]);
  const bars = props.rollup !== 'hour' && props.rollup !== '15m';
  const xt = timeTicks(t0, t1, 8);
  const fmtTick = (ms: number, unit: string) => (unit === 'hour' ? `${String(localHour(ms)).padStart(2, '0')}:00` : formatDate(ms, props.lang).replace(/ \d{4}$/, ''));
  const title = (p: SeriesPoint) =>
    `${formatDateTime(p.start, props.lang)}: ${p.value === null ? props.gapLabel : `${formatNumber(p.value, props.lang)} ${props.unit}`} (${p.observedHours}/${p.totalHours} h)`;
  return (
    <svg data-testid="chart-series" viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-label={props.label}>
      <title>{props.label}</title>
      {/* missing buckets: a light band, so a gap reads as "not seen", not as zero */}
      {pts.map((p, i) =>
        p.value === null ? (
          <rect key={`g${i}`} class="gap" x={x(Date.parse(p.start))} y={M.top} width={Math.max(1, x(Date.parse(p.end)) - x(Date.parse(p.start)))} height={H - M.top - M.bottom}>
            <title>{title(p)}</title>
          </rect>
        ) : null,
      )}
      <g class="axis">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} class="grid" />
            <text x={M.left - 6} y={y(v) + 4} text-anchor="end">
              {formatNumber(v, props.lang)}
            </text>
          </g>
        ))}
        {xt.map((tk) => (
          <g key={tk.ms}>
            <line x1={x(tk.ms)} x2={x(tk.ms)} y1={H - M.bottom} y2={H - M.bottom + 4} />
            <text x={x(tk.ms)} y={H - M.bottom + 16} text-anchor="middle">
              {fmtTick(tk.ms, tk.unit)}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
      </g>
      {bars ? (
        <g class="bars">
          {pts.map((p, i) => {
            if (p.value === null) return null;
            const x0 = x(Date.parse(p.start));
            const w = Math.max(1, x(Date.parse(p.end)) - x0 - 2);
            return (
              <rect key={i} data-value={p.value} x={x0 + 1} width={w} y={Math.min(y(p.value), y(0))} height={Math.abs(y(0) - y(p.value))} class={bucketCoverage(p) < 1 ? 'bar partial' : 'bar'} fill-opacity={coverageOpacity(bucketCoverage(p))}>
                <title>{title(p)}</title>
              </rect>
            );
          })}
        </g>
      ) : (
        <g class="line">
          <path d={linePath(pts.map((p) => ({ x: x((Date.parse(p.start) + Date.parse(p.end)) / 2), y: p.value === null ? null : y(p.value) })))} />
          {pts.map((p, i) =>
            p.value === null ? null : (
              <circle key={i} data-value={p.value} cx={x((Date.parse(p.start) + Date.parse(p.end)) / 2)} cy={y(p.value)} r={pts.length > 200 ? 1.5 : 2.5}>
                <title>{title(p)}</title>
              </circle>
            ),
          )}
        </g>
      )}
    </svg>
  );
}

export function HeatmapChart(props: { data: Heatmap; lang: Lang; label: string; gapLabel: string; hoursLabel: string }) {
  const cell = 30;
  const left = 48;
  const top = 20;
  const names = weekdayNames(props.lang);
  const ext = extent(props.data.cells.map((c) => c.mean)) ?? [0, 1];
  const scaleT = (v: number) => (ext[1] > ext[0] ? (v - ext[0]) / (ext[1] - ext[0]) : 0.5);
  return (
    <svg data-testid="heatmap" viewBox={`0 0 ${left + 24 * cell + 4} ${top + 7 * cell + 4}`} class="chart heatmap" role="img" aria-label={props.label}>
      <title>{props.label}</title>
      {Array.from({ length: 24 }, (_, h) =>
        h % 3 === 0 ? (
          <text key={h} x={left + h * cell + cell / 2} y={top - 6} text-anchor="middle" class="axis-text">
            {String(h).padStart(2, '0')}
          </text>
        ) : null,
      )}
      {names.map((n, d) => (
        <text key={n} x={left - 6} y={top + d * cell + cell / 2 + 4} text-anchor="end" class="axis-text">
          {n}
        </text>
      ))}
      {props.data.cells.map((c) => (
        <rect key={`${c.weekday}-${c.hour}`} x={left + c.hour * cell + 1} y={top + (c.weekday - 1) * cell + 1} width={cell - 2} height={cell - 2} rx="3" fill={c.mean === null ? 'url(#hm-hatch)' : rampColour(scaleT(c.mean))} data-value={c.mean ?? undefined}>
          <title>{`${names[c.weekday - 1]} ${String(c.hour).padStart(2, '0')}:00: ${c.mean === null ? props.gapLabel : formatNumber(c.mean, props.lang)} (${c.hours} ${props.hoursLabel})`}</title>
        </rect>
      ))}
      <defs>
        <pattern id="hm-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="var(--surface)" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="var(--missing-line)" stroke-width="2" />
        </pattern>
      </defs>
    </svg>
  );
}

export function dwellBucketLabels(edges: number[], lang: Lang): string[] {
  const f = (s: number) => formatDuration(s, lang);
  return [`< ${f(edges[0])}`, ...edges.slice(1).map((e, i) => `${f(edges[i])}–${f(e)}`), `≥ ${f(edges[edges.length - 1])}`];
}

export function DwellChart(props: { data: Dwell; lang: Lang; label: string; visitsLabel: string }) {
  const W = 900;
  const H = 260;
  const labels = dwellBucketLabels(props.data.edges, props.lang);
  const n = props.data.counts.length;
  const { ticks, domain } = niceTicks(0, Math.max(1, ...props.data.counts), 4);
  const y = linearScale(domain, [H - M.bottom, M.top]);
  const bw = (W - M.left - M.right) / n;
  return (
    <svg data-testid="dwell-histogram" viewBox={`0 0 ${W} ${H}`} class="chart" role="img" aria-label={props.label}>
      <title>{props.label}</title>
      <g class="axis">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} class="grid" />
            <text x={M.left - 6} y={y(v) + 4} text-anchor="end">
              {formatNumber(v, props.lang)}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} />
      </g>
      {props.data.counts.map((c, i) => (
        <g key={i}>
          <rect class="bar" data-value={c} x={M.left + i * bw + 3} width={bw - 6} y={y(c)} height={y(0) - y(c)}>
            <title>{`${labels[i]}: ${formatNumber(c, props.lang)} ${props.visitsLabel}`}</title>
          </rect>
          <text x={M.left + i * bw + bw / 2} y={H - M.bottom + 16} text-anchor="middle" class="axis-text">
            {labels[i]}
          </text>
        </g>
      ))}
    </svg>
  );
}
