/** Installation evaluations: matched before/after comparison with intervals and an optional control (pure). */
export { type HourSample, type CellKey, type CellSamples, cellKey, cellOf, groupByCell, matchedCells, restrict } from './matching.ts';
export { Z95, type Interval, type PeriodTotal, type Comparison, periodTotal, compare, differenceInDifferences } from './effect.ts';
export { MEASURES, FEW_MATCHED_CELLS, SHORT_PERIOD_HOURS, NoMatchedCellsError, evaluate, type Measure, type EvaluationHour, type PeriodHours, type Effect, type EffectDid, type Caveat, type EvaluationResult } from './evaluate.ts';
export { DAY_MS, HOUR_MS, DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS, PeriodError, evaluationPeriods, type Period, type PeriodRequest } from './defaults.ts';
export { MATH_CAVEATS, ROUTE_CAVEATS, EVALUATION_CAVEATS, type EvaluationCaveat } from './caveats.ts';
export { controlCandidates, type ControlSubject, type Treated } from './controls.ts';
