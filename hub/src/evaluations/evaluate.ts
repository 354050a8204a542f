/**
 * An installation evaluation from hourly records (pure): the subject's baseline and
 * intervention hours, optionally a control's, matched like with like (local weekday × hour
 * cells observed in every period compared), then per measure the change of a typical week
 * with its 95 % interval, relative change, and difference in differences against the control.
 * See effect.ts for the method and its limits.
 */
import type { MATH_CAVEATS } from './caveats.ts';
import { compare, differenceInDifferences, periodTotal, type Comparison, type Interval } from './effect.ts';
import { groupByCell, matchedCells, restrict, type CellKey, type CellSamples, type HourSample } from './matching.ts';

export const MEASURES = ['passers', 'stayingVisits', 'personMinutes'] as const;
export type Measure = (typeof MEASURES)[number];

/**
 * One UTC hour of a subject (an indicators hour record) placed in its local cell; the measures
 * are read only where `observed`, and a null measure in an observed hour is missing, not 0.
 */
export type EvaluationHour = { hourStartMs: number; weekday: number; hour: number; observed: boolean } & Record<Measure, number | null>;

export interface PeriodHours {
  baseline: readonly EvaluationHour[];
  intervention: readonly EvaluationHour[];
}

export interface EffectDid {
  change: number;
  changeCi95: Interval | null;
  relativeChange: number | null;
  relativeCi95: Interval | null;
}

export interface Effect {
  /** T_b: a typical baseline week over the matched cells. */
  baselinePerWeek: number;
  interventionPerWeek: number;
  change: number;
  /** null when no matched cell has two samples in a period (no within-cell variance). */
  changeCi95: Interval | null;
  relativeChange: number | null;
  relativeCi95: Interval | null;
  did: EffectDid | null;
  /** Cells this measure was compared on (fewer than matchedCells only where the measure is missing in observed hours). */
  cells: number;
}

export type Caveat = (typeof MATH_CAVEATS)[number];

export interface EvaluationResult {
  matchedCells: number;
  baseline: { hours: number; totalHours: number };
  intervention: { hours: number; totalHours: number };
  measures: Record<Measure, Effect | null>;
  caveats: Caveat[];
}

/** Below a day's worth of cells the "typical week" is a few hours, not a week. */
export const FEW_MATCHED_CELLS = 24;
/** Two weeks of observed hours: less, and one unusual day weighs heavily. */
export const SHORT_PERIOD_HOURS = 14 * 24;

/** No local weekday × hour is observed in every compared period; `reason` says which period lacks hours. */
export class NoMatchedCellsError extends Error {}

const observedSamples = (records: readonly EvaluationHour[], pick: (r: EvaluationHour) => number | null): HourSample[] =>
  records.map((r) => ({ hourStartMs: r.hourStartMs, weekday: r.weekday, hour: r.hour, value: r.observed ? pick(r) : null }));

const cellsOf = (records: readonly EvaluationHour[], pick: (r: EvaluationHour) => number | null): CellSamples => groupByCell(observedSamples(records, pick));

const observedCount = (records: readonly EvaluationHour[]) => records.filter((r) => r.observed).length;

/** Rounded for the answer: 4 decimals is far below the intervals' width. */
const round = (x: number) => Math.round(x * 10_000) / 10_000;
const roundInterval = (i: Interval | null): Interval | null => i && [round(i[0]), round(i[1])];
const roundComparison = (c: Comparison): EffectDid => ({ change: round(c.change), changeCi95: roundInterval(c.changeCi95), relativeChange: c.relativeChange === null ? null : round(c.relativeChange), relativeCi95: roundInterval(c.relativeCi95) });

function explainNoMatch(subject: PeriodHours, control: PeriodHours | null): string {
  if (observedCount(subject.baseline) === 0) return 'the baseline has no observed hours (the cameras of the installation saw less than half of every hour)';
  if (observedCount(subject.intervention) === 0) return 'the intervention period has no observed hours (the cameras of the installation saw less than half of every hour)';
  if (control && observedCount(control.baseline) === 0) return 'the control has no observed hours in the baseline';
  if (control && observedCount(control.intervention) === 0) return 'the control has no observed hours in the intervention period';
  return `no local weekday and hour was observed in both the baseline and the intervention period${control ? ' and by the control' : ''}; choose longer or other periods`;
}

export function evaluate(subject: PeriodHours, control: PeriodHours | null): EvaluationResult {
  const presence = () => 1;
  const periodsOf = (p: PeriodHours, pick: (r: EvaluationHour) => number | null) => [cellsOf(p.baseline, pick), cellsOf(p.intervention, pick)];
  const matched = matchedCells(...periodsOf(subject, presence), ...(control ? periodsOf(control, presence) : []));
  if (matched.length === 0) throw new NoMatchedCellsError(explainNoMatch(subject, control));

  const caveats = new Set<Caveat>(['hours_treated_independent']);
  if (!control) caveats.add('no_control');
  if (matched.length < FEW_MATCHED_CELLS) caveats.add('few_matched_cells');
  if (observedCount(subject.baseline) < SHORT_PERIOD_HOURS) caveats.add('short_baseline');
  if (observedCount(subject.intervention) < SHORT_PERIOD_HOURS) caveats.add('short_intervention');

  const measures = {} as Record<Measure, Effect | null>;
  for (const m of MEASURES) {
    const pick = (r: EvaluationHour) => r[m];
    const [sb, si] = periodsOf(subject, pick);
    const [cb, ci] = control ? periodsOf(control, pick) : [];
    // Values exist only in observed hours: these are the matched cells, less any where the
    // measure itself is missing (e.g. a subject without zones has no staying visits).
    const inMatched = new Set(matched);
    const cells: CellKey[] = matchedCells(sb, si).filter((k) => inMatched.has(k));
    if (cells.length === 0) {
      measures[m] = null;
      caveats.add('measure_unavailable');
      continue;
    }
    const tb = periodTotal(restrict(sb, cells));
    const ti = periodTotal(restrict(si, cells));
    const own = compare(tb, ti);
    let did: EffectDid | null = null;
    if (control) {
      // The control must have the measure in the same cells (a line has no staying visits).
      if (matchedCells(sb, si, cb, ci).length === cells.length) {
        const d = differenceInDifferences({ baseline: tb, intervention: ti }, { baseline: periodTotal(restrict(cb, cells)), intervention: periodTotal(restrict(ci, cells)) });
        did = roundComparison(d);
        if (d.changeCi95 === null) caveats.add('no_variance');
      } else caveats.add('control_measure_unavailable');
    }
    if (own.changeCi95 === null) caveats.add('no_variance');
    measures[m] = { baselinePerWeek: round(tb.total), interventionPerWeek: round(ti.total), ...roundComparison(own), did, cells: cells.length };
  }

  return {
    matchedCells: matched.length,
    baseline: { hours: observedCount(subject.baseline), totalHours: subject.baseline.length },
    intervention: { hours: observedCount(subject.intervention), totalHours: subject.intervention.length },
    measures,
    caveats: [...caveats],
  };
}
