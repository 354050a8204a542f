/**
 * One sequence's scores for the accuracy suite: tracking (CLEAR-MOT, identity, HOTA), line
 * and zone counts, and the visit measures an installation is judged by (visits, staying
 * visits, median dwell), each against what the ground truth implies under the same rules.
 * Pure: boxes and summaries in, numbers out.
 */
import type { CountSummary, Scene } from '@byliv/protocol';
import { buildReport, relativeError, type AccuracyReport } from './accuracy-report.ts';
import { countTrajectories } from './counting-gt.ts';
import { applyDistractors } from './distractors.ts';
import { evaluateMot } from './evaluate.ts';
import type { MotBox } from './gt.ts';
import { evaluateHota, type HotaMetrics } from './hota.ts';
import { visitStats, zoneVisits } from './visits-gt.ts';

export interface ZoneVisitRow {
  id: string;
  gt: { visits: number; staying: number; medianExact: number; medianBinned: number | null };
  measured: { visits: number; staying: number; median: number | null };
}

export interface SequenceScore {
  report: AccuracyReport;
  hota: HotaMetrics;
  visits: ZoneVisitRow[];
  /** Σ |measured − true| / Σ true over zones, for entries and for visits. */
  entriesError: number;
  visitsError: number;
  /** Lines: Σ |measured − true| over lines and directions / Σ true. */
  lineError: number;
  truth: CountSummary;
}

/**
 * Scores `hyp` (the agent's tracks) and `measured` (its summary) against `gtAll` on the
 * first `frames` frames. Ground-truth boxes with flag 0 are regions to ignore.
 */
export function scoreSequence(gtAll: readonly MotBox[], hypAll: readonly MotBox[], measured: CountSummary, scene: Pick<Scene, 'lines' | 'zones'>, fps: number, frames: number): SequenceScore {
  const inRange = (b: MotBox) => b.frame <= frames;
  const { gt, hyp } = applyDistractors(gtAll.filter(inRange), hypAll.filter(inRange));
  const truth = countTrajectories(gt, scene, { framesPerSecond: fps, frames });
  const report = buildReport(evaluateMot(gt, hyp), measured, truth);
  const gtVisits = zoneVisits(gt, scene, { framesPerSecond: fps, frames });
  const visits: ZoneVisitRow[] = scene.zones.map((z) => {
    const t = truth.zones[z.id];
    const m = measured.zones[z.id];
    const stats = visitStats(gtVisits[z.id]);
    return {
      id: z.id,
      gt: { visits: t.visits, staying: t.stayingVisits, medianExact: stats.medianSeconds, medianBinned: t.medianDwellSeconds },
      measured: { visits: m?.visits ?? 0, staying: m?.stayingVisits ?? 0, median: m?.medianDwellSeconds ?? null },
    };
  });
  const sumAbs = (f: (z: CountSummary['zones'][string]) => number) => {
    let err = 0;
    let total = 0;
    for (const [id, t] of Object.entries(truth.zones)) {
      err += Math.abs((measured.zones[id] ? f(measured.zones[id]) : 0) - f(t));
      total += f(t);
    }
    return total === 0 ? (err === 0 ? 0 : Infinity) : err / total;
  };
  const lineCheck = report.checks.find((c) => c.what.startsWith('line crossings'));
  return {
    report,
    hota: evaluateHota(gt, hyp),
    visits,
    entriesError: sumAbs((z) => z.entries),
    visitsError: sumAbs((z) => z.visits),
    lineError: lineCheck ? lineCheck.value : relativeError(report.allLines.measured, report.allLines.gt),
    truth,
  };
}
