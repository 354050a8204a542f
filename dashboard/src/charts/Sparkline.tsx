/** A small trend line (nulls are gaps); the last value gets a dot. Described by its <title>. */
import { extent, linePath, linearScale } from './scale.ts';

export function Sparkline(props: { values: (number | null)[]; label: string; width?: number; height?: number }) {
  const w = props.width ?? 96;
  const h = props.height ?? 24;
  const ext = extent(props.values);
  if (!ext || props.values.length < 2) return <svg class="sparkline" width={w} height={h} role="img" aria-label={props.label}><title>{props.label}</title></svg>;
  const x = linearScale([0, props.values.length - 1], [2, w - 3]);
  const y = linearScale(ext[0] === ext[1] ? [ext[0] - 1, ext[1] + 1] : ext, [h - 3, 3]);
  const pts = props.values.map((v, i) => ({ x: x(i), y: v === null ? null : y(v) }));
  const lastIndex = props.values.map((v, i) => (v === null ? -1 : i)).reduce((a, b) => Math.max(a, b), -1);
  return (
    <svg class="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      <path d={linePath(pts)} fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round" />
      {lastIndex >= 0 && <circle cx={pts[lastIndex].x} cy={pts[lastIndex].y!} r="2.5" fill="currentColor" />}
    </svg>
  );
}
