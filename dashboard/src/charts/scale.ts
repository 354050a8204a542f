/**
 * Chart maths: scales, "nice" ticks, line paths with gaps, colour ramps. Pure, so the
 * SVG components only place what these functions compute.
 */
export interface Scale {
  (value: number): number;
  domain: [number, number];
  range: [number, number];
  invert(px: number): number;
}

/** A linear map from domain to range; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = ((v: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0))) as Scale;
  f.domain = domain;
  f.range = range;
  f.invert = (px: number) => (r1 === r0 ? d0 : d0 + ((px - r0) / (r1 - r0)) * span);
  return f;
}

/** A step of 1, 2 or 5 × 10^k near span/count. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !(count > 0)) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m >= 7.5 ? 10 : m >= 3.5 ? 5 : m >= 1.5 ? 2 : 1) * power;
}

/** Round-numbered ticks covering [min, max], about `count` of them; the domain extended to the outer ticks. */
export function niceTicks(min: number, max: number, count = 5): { ticks: number[]; domain: [number, number] } {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { ticks: [0, 1], domain: [0, 1] };
  if (min === max) {
    if (min === 0) return { ticks: [0, 1], domain: [0, 1] };
    [min, max] = min > 0 ? [0, min] : [min, 0];
  }
  const step = niceStep(max - min, count);
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // round away float noise (0.30000000000000004)
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toFixed(digits)));
  return { ticks, domain: [lo, hi] };
}

/** Extent of the finite values, or null when there are none. */
export function extent(values: readonly (number | null | undefined)[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * An SVG path through the points, broken where a value is null: a missing hour is a gap,
 * never a drop to zero. A lone point between gaps becomes a tiny horizontal stroke so it shows.
 */
export function linePath(points: readonly { x: number; y: number | null }[]): string {
  const segments: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      if (current.length) segments.push(current);
      current = [];
    } else current.push({ x: p.x, y: p.y });
  }
  if (current.length) segments.push(current);
  const r = (n: number) => Math.round(n * 10) / 10;
  return segments
    .map((seg) => (seg.length === 1 ? `M${r(seg[0].x - 1.5)},${r(seg[0].y)}h3` : seg.map((p, i) => `${i ? 'L' : 'M'}${r(p.x)},${r(p.y)}`).join('')))
    .join('');
}

/** Time ticks for a range in ms: hours, days, weeks or months, whichever gives about `count`. */
export function timeTicks(fromMs: number, toMs: number, count = 6): { ms: number; unit: 'hour' | 'day' | 'week' | 'month' }[] {
  const span = toMs - fromMs;
  if (!(span > 0)) return [];
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const steps: [number, 'hour' | 'day' | 'week' | 'month'][] = [
    [HOUR, 'hour'], [3 * HOUR, 'hour'], [6 * HOUR, 'hour'], [12 * HOUR, 'hour'],
    [DAY, 'day'], [2 * DAY, 'day'], [7 * DAY, 'week'], [14 * DAY, 'week'], [30 * DAY, 'month'], [91 * DAY, 'month'], [365 * DAY, 'month'],
  ];
  const [step, unit] = steps.find(([s]) => span / s <= count) ?? steps[steps.length - 1];
  const out: { ms: number; unit: 'hour' | 'day' | 'week' | 'month' }[] = [];
  if (unit === 'month') {
    const months = Math.max(1, Math.round(step / (30 * DAY)));
    const d = new Date(fromMs);
    let y = d.getUTCFullYear();
    let m = d.getUTCMonth() + 1;
    for (let t = Date.UTC(y, m, 1); t < toMs; ) {
      if (t >= fromMs && (m % months === 0 || months === 1)) out.push({ ms: t, unit });
      m++;
      if (m > 11) { m = 0; y++; }
      t = Date.UTC(y, m, 1);
    }
    return out;
  }
  // hour/day ticks on whole UTC multiples (the labels are formatted in local time)
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs; t += step) out.push({ ms: t, unit });
  return out;
}

/**
 * A sequential colour ramp for heat maps and the choropleth: light to dark blue-green,
 * readable for the common colour-vision deficiencies (one hue, changing lightness).
 */
export function rampColour(t: number | null): string {
  if (t === null || !Number.isFinite(t)) return 'var(--missing)';
  const c = Math.max(0, Math.min(1, t));
  // from #eef6f3 to #0b4f5c in lightness order
  const a = [238, 246, 243];
  const b = [11, 79, 92];
  const mix = a.map((v, i) => Math.round(v + (b[i] - v) * c));
  return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
}

/** Equal-width classes for a legend: `n` classes between lo and hi, each with its bounds. */
export function legendClasses(lo: number, hi: number, n = 5): { from: number; to: number; t: number }[] {
  if (!(hi > lo)) return [{ from: lo, to: hi, t: 0.5 }];
  const w = (hi - lo) / n;
  return Array.from({ length: n }, (_, i) => ({ from: lo + i * w, to: lo + (i + 1) * w, t: n === 1 ? 0.5 : i / (n - 1) }));
}

/**
 * The share of a bucket its value rests on (observed hours / hours), 0–1: a day observed for
 * 3 of its 24 hours is drawn faded, so that it does not read as a quiet day.
 */
export function bucketCoverage(p: { observedHours: number; totalHours: number }): number {
  return p.totalHours > 0 ? Math.min(1, Math.max(0, p.observedHours / p.totalHours)) : 0;
}

/** Bar opacity for a coverage: a full bucket 1, a barely observed one no fainter than 0.3. */
export const coverageOpacity = (coverage: number): number => 0.3 + 0.7 * coverage;
