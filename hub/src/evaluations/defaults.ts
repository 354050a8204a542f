/**
 * The compared periods: four weeks before the installation against four weeks after it, unless
 * the caller names them. Times are epoch milliseconds, periods half-open [fromMs, toMs).
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Four weeks: every local weekday × hour cell gets (about) four samples per period. */
export const DEFAULT_PERIOD_DAYS = 28;
/** A year of hours per period is plenty; longer asks are refused rather than answered slowly. */
export const MAX_PERIOD_DAYS = 366;

export interface Period {
  fromMs: number;
  toMs: number;
}

export interface PeriodRequest {
  baselineFrom?: number;
  baselineTo?: number;
  interventionFrom?: number;
  interventionTo?: number;
}

/** A period the caller cannot evaluate; `parameter` names the query parameter to change. */
/** Why the periods cannot be used, as a stable code (the dashboard words it; see api/error-codes.ts). */
export type PeriodProblem = 'period_empty' | 'period_not_started' | 'period_after_removal' | 'period_overlap' | 'period_too_long';

export class PeriodError extends Error {
  constructor(
    readonly parameter: string,
    readonly problem: PeriodProblem,
    message: string,
  ) {
    super(message);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * baseline = [installedAt − 28 d, installedAt), intervention = [installedAt, min(installedAt + 28 d,
 * removedAt, now)). A given bound replaces its default; the other bound of the same period then
 * follows it (baselineTo alone moves the baseline's start to 28 d before it). 28 d is 28 × 24 h:
 * across a DST change one local cell gains a sample and one loses one, which the cell means absorb.
 * Periods are then cut to whole hours (samples are hours): a partial hour at either end is left
 * out, so the hour the installation went in is neither before nor after.
 */
export function evaluationPeriods(installation: { installedAtMs: number; removedAtMs: number | null }, nowMs: number, given: PeriodRequest = {}): { baseline: Period; intervention: Period } {
  const span = DEFAULT_PERIOD_DAYS * DAY_MS;
  const up = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;
  const down = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
  const rawBaselineTo = given.baselineTo ?? (given.baselineFrom !== undefined ? Math.min(given.baselineFrom + span, installation.installedAtMs) : installation.installedAtMs);
  const baselineFrom = up(given.baselineFrom ?? rawBaselineTo - span);
  const baselineTo = down(rawBaselineTo);
  const rawInterventionFrom = given.interventionFrom ?? installation.installedAtMs;
  const interventionFrom = up(rawInterventionFrom);
  const interventionTo = down(given.interventionTo ?? Math.min(rawInterventionFrom + span, installation.removedAtMs ?? Infinity, nowMs));

  if (!(baselineFrom < baselineTo)) throw new PeriodError('baselineFrom', 'period_empty', `the baseline must start before it ends and hold a whole hour: ${iso(baselineFrom)} is not before ${iso(baselineTo)}`);
  if (!(interventionFrom < interventionTo)) {
    if (given.interventionTo === undefined && rawInterventionFrom >= nowMs) throw new PeriodError('interventionFrom', 'period_not_started', `the intervention period has not started yet: it starts ${iso(interventionFrom)}`);
    if (given.interventionTo === undefined && installation.removedAtMs !== null && installation.removedAtMs <= rawInterventionFrom) {
      throw new PeriodError('interventionFrom', 'period_after_removal', `the installation was removed ${iso(installation.removedAtMs)}, before the intervention period starts (${iso(rawInterventionFrom)})`);
    }
    throw new PeriodError('interventionFrom', 'period_empty', `the intervention must start before it ends and hold a whole hour: ${iso(interventionFrom)} is not before ${iso(interventionTo)}`);
  }
  if (baselineFrom < interventionTo && interventionFrom < baselineTo) {
    throw new PeriodError('baselineTo', 'period_overlap', `the baseline ${iso(baselineFrom)}–${iso(baselineTo)} overlaps the intervention ${iso(interventionFrom)}–${iso(interventionTo)}; the same hours cannot be both before and after`);
  }
  for (const [name, p] of [['baseline', [baselineFrom, baselineTo]], ['intervention', [interventionFrom, interventionTo]]] as const) {
    if (p[1] - p[0] > MAX_PERIOD_DAYS * DAY_MS) throw new PeriodError(`${name}From`, 'period_too_long', `the ${name} spans more than ${MAX_PERIOD_DAYS} days; choose a shorter period`);
  }
  return { baseline: { fromMs: baselineFrom, toMs: baselineTo }, intervention: { fromMs: interventionFrom, toMs: interventionTo } };
}
