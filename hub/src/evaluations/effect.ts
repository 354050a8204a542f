/**
 * Before/after effect over matched cells (pure; see CONTRACT.md, EVALUATIONS).
 *
 * Per period p and matched cell k: m_p(k) = mean of the observed hours of the cell,
 * T_p = Σ_k m_p(k) — a "typical week" over the matched cells (a full week when all 168 match).
 * Variance: pooled within-cell variance s²_p = Σ_k Σ_j (x_kj − m_p(k))² / (N_p − K), so
 * Var(T_p) = s²_p · Σ_k 1/n_p(k); 95 % interval ± 1.96 · SE.
 * Relative change T_i/T_b − 1 with its interval on the log scale (delta method):
 * exp(log(T_i/T_b) ± 1.96 · sqrt(Var_i/T_i² + Var_b/T_b²)) − 1.
 * Difference in differences against a control: (T_i − T_b) − (C_i − C_b), variance the sum
 * of the four; relative (T_i/T_b)/(C_i/C_b) − 1 with the four log-variances summed.
 *
 * Limits: hours are treated as independent samples, but neighbouring hours and days are
 * correlated (weather, events), so the intervals are likely too narrow. A change before vs
 * after an installation is not proof that the installation caused it; a control zone removes
 * what both places share (season, weather), not what differs between them.
 */

export const Z95 = 1.96;

export type Interval = [number, number];

export interface PeriodTotal {
  /** T_p = Σ_k m_p(k). */
  total: number;
  /** Var(T_p), or null when no cell has a second sample (no within-cell variance to pool). */
  variance: number | null;
  /** N_p: observed hours in the matched cells. */
  samples: number;
  /** K: matched cells. */
  cells: number;
}

export interface Comparison {
  change: number;
  changeCi95: Interval | null;
  /** null when the baseline total is 0 (no ratio). */
  relativeChange: number | null;
  /** null when either total is 0 (no log) or the variance is unknown. */
  relativeCi95: Interval | null;
}

/** T_p and Var(T_p) of one period; `cells[k]` holds the observed values of matched cell k. */
export function periodTotal(cells: readonly (readonly number[])[]): PeriodTotal {
  let total = 0;
  let squares = 0;
  let samples = 0;
  let inverseCounts = 0;
  for (const values of cells) {
    if (values.length === 0) throw new RangeError('a matched cell has no sample; match cells before totalling');
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    total += mean;
    for (const v of values) squares += (v - mean) ** 2;
    samples += values.length;
    inverseCounts += 1 / values.length;
  }
  const df = samples - cells.length;
  return { total, variance: df > 0 ? (squares / df) * inverseCounts : null, samples, cells: cells.length };
}

const interval = (centre: number, variance: number | null): Interval | null => {
  if (variance === null) return null;
  const half = Z95 * Math.sqrt(variance);
  return [centre - half, centre + half];
};

const sumVariance = (...parts: (number | null)[]): number | null => (parts.some((v) => v === null) ? null : (parts as number[]).reduce((a, b) => a + b, 0));

/** Var(log T) ≈ Var(T)/T² (delta method); null where T ≤ 0 or the variance is unknown. */
const logVariance = (p: PeriodTotal): number | null => (p.total > 0 && p.variance !== null ? p.variance / p.total ** 2 : null);

/**
 * A ratio − 1 and its log-scale interval. The ratio is undefined (null) unless every total in
 * `mustBePositive` is > 0 (a ratio needs a non-zero baseline); a ratio of 0 (nobody after)
 * is −1 with no interval, as log 0 does not exist.
 */
function relative(top: PeriodTotal[], bottom: PeriodTotal[], mustBePositive: PeriodTotal[]): Pick<Comparison, 'relativeChange' | 'relativeCi95'> {
  if (mustBePositive.some((p) => !(p.total > 0))) return { relativeChange: null, relativeCi95: null };
  const ratio = top.reduce((a, n) => a * n.total, 1) / bottom.reduce((a, d) => a * d.total, 1);
  const variance = sumVariance(...[...top, ...bottom].map(logVariance));
  if (!(ratio > 0) || variance === null) return { relativeChange: ratio - 1, relativeCi95: null };
  const half = Z95 * Math.sqrt(variance);
  return { relativeChange: ratio - 1, relativeCi95: [Math.exp(Math.log(ratio) - half) - 1, Math.exp(Math.log(ratio) + half) - 1] };
}

/** Intervention vs baseline of one subject. */
export function compare(baseline: PeriodTotal, intervention: PeriodTotal): Comparison {
  const change = intervention.total - baseline.total;
  return { change, changeCi95: interval(change, sumVariance(baseline.variance, intervention.variance)), ...relative([intervention], [baseline], [baseline]) };
}

/** Difference in differences: the subject's change minus the control's, over the same cells. */
export function differenceInDifferences(subject: { baseline: PeriodTotal; intervention: PeriodTotal }, control: { baseline: PeriodTotal; intervention: PeriodTotal }): Comparison {
  const change = subject.intervention.total - subject.baseline.total - (control.intervention.total - control.baseline.total);
  const variance = sumVariance(subject.baseline.variance, subject.intervention.variance, control.baseline.variance, control.intervention.variance);
  // (T_i/T_b)/(C_i/C_b) = (T_i · C_b)/(T_b · C_i)
  return {
    change,
    changeCi95: interval(change, variance),
    ...relative([subject.intervention, control.baseline], [subject.baseline, control.intervention], [subject.baseline, control.baseline, control.intervention]),
  };
}
