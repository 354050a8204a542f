/**
 * The accuracy benchmark's verdict: tracking measures and counts of a run set against the
 * ground truth and the targets, as plain data and as a printable table. Pure.
 */
import type { CountSummary } from '@byliv/protocol';
import type { MotMetrics } from './evaluate.ts';

/** The targets the edge agent is held to on PETS09-S2L1. */
export const TARGETS = {
  mota: 0.8,
  idf1: 0.75,
  /**
   * Σ over lines and directions of |counted − true| ÷ Σ true crossings. Summing absolute
   * errors (not the net total) keeps a miss on one line from hiding behind an extra on another.
   */
  lineError: 0.1,
  /** |person-seconds measured − true| / true, per zone. */
  zonePersonSecondsError: 0.15,
} as const;

export interface LineRow {
  id: string;
  gt: { forward: number; backward: number };
  measured: { forward: number; backward: number };
  /** |measured total − gt total| / gt total (0 when both are 0, Infinity when only gt is 0). */
  error: number;
}

export interface ZoneRow {
  id: string;
  gt: CountSummary['zones'][string];
  measured: CountSummary['zones'][string];
  personSecondsError: number;
  entriesError: number;
}

export interface Check {
  what: string;
  value: number;
  target: string;
  pass: boolean;
}

export interface AccuracyReport {
  mot: MotMetrics;
  lines: LineRow[];
  zones: ZoneRow[];
  /** Line totals summed over all lines. */
  allLines: { gt: number; measured: number; error: number };
  checks: Check[];
  pass: boolean;
}

/** A ratio as a percentage with one decimal (NaN and Infinity spelled out). */
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : String(x));

/** Relative error |measured − truth| / truth; 0 for 0 vs 0, Infinity for anything vs 0. */
export function relativeError(measured: number, truth: number): number {
  if (truth === 0) return measured === 0 ? 0 : Infinity;
  return Math.abs(measured - truth) / truth;
}

/**
 * Compare measured counts with the counting ground truth, line by line and zone by zone
 * (every line and zone of the ground truth; one missing from the measurement counts as 0).
 */
export function buildReport(mot: MotMetrics, measured: CountSummary, truth: CountSummary): AccuracyReport {
  const zeroLine = { forward: 0, backward: 0 };
  const zeroZone = { entries: 0, exits: 0, personSeconds: 0, maxOccupancy: 0 };
  const lines: LineRow[] = Object.entries(truth.lines).map(([id, gt]) => {
    const m = measured.lines[id] ?? zeroLine;
    return { id, gt, measured: m, error: relativeError(m.forward + m.backward, gt.forward + gt.backward) };
  });
  const zones: ZoneRow[] = Object.entries(truth.zones).map(([id, gt]) => {
    const m = measured.zones[id] ?? zeroZone;
    return {
      id,
      gt,
      measured: m,
      personSecondsError: relativeError(m.personSeconds, gt.personSeconds),
      entriesError: relativeError(m.entries, gt.entries),
    };
  });
  const gtAll = lines.reduce((n, l) => n + l.gt.forward + l.gt.backward, 0);
  const measuredAll = lines.reduce((n, l) => n + l.measured.forward + l.measured.backward, 0);
  const absoluteAll = lines.reduce((n, l) => n + Math.abs(l.measured.forward - l.gt.forward) + Math.abs(l.measured.backward - l.gt.backward), 0);
  const lineError = gtAll === 0 ? (absoluteAll === 0 ? 0 : Infinity) : absoluteAll / gtAll;

  const checks: Check[] = [
    { what: 'MOTA', value: mot.mota, target: `>= ${pct(TARGETS.mota)}`, pass: mot.mota >= TARGETS.mota },
    { what: 'IDF1', value: mot.idf1, target: `>= ${pct(TARGETS.idf1)}`, pass: mot.idf1 >= TARGETS.idf1 },
    { what: 'line crossings, all lines and directions', value: lineError, target: `<= ${pct(TARGETS.lineError)}`, pass: lineError <= TARGETS.lineError },
    ...zones.map((z) => ({
      what: `zone ${z.id} person-seconds error`,
      value: z.personSecondsError,
      target: `<= ${pct(TARGETS.zonePersonSecondsError)}`,
      pass: z.personSecondsError <= TARGETS.zonePersonSecondsError,
    })),
  ];
  return {
    mot,
    lines,
    zones,
    allLines: { gt: gtAll, measured: measuredAll, error: relativeError(measuredAll, gtAll) },
    checks,
    pass: checks.every((c) => c.pass),
  };
}

const num = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report as text for a terminal. `countsFrom` says where the measured counts came from. */
export function formatReport(r: AccuracyReport, countsFrom: string): string {
  const m = r.mot;
  const out: string[] = [];
  out.push('Tracking (IoU >= 0.5)');
  out.push(
    table(
      ['MOTA', 'IDF1', 'MOTP', 'IDP', 'IDR', 'IDSW', 'FP', 'FN', 'GT boxes', 'hyp boxes', 'GT ids', 'hyp ids'],
      [[pct(m.mota), pct(m.idf1), pct(m.motp), pct(m.idp), pct(m.idr), String(m.idsw), String(m.fp), String(m.fn), String(m.numGt), String(m.numHyp), String(m.gtIds), String(m.hypIds)]],
    ),
  );
  out.push('');
  out.push(`Line crossings (counts: ${countsFrom})`);
  out.push(
    table(
      ['line', 'gt fwd', 'gt bwd', 'fwd', 'bwd', 'gt total', 'total', 'error'],
      [
        ...r.lines.map((l) => [l.id, String(l.gt.forward), String(l.gt.backward), String(l.measured.forward), String(l.measured.backward), String(l.gt.forward + l.gt.backward), String(l.measured.forward + l.measured.backward), pct(l.error)]),
        ['(all lines)', '', '', '', '', String(r.allLines.gt), String(r.allLines.measured), pct(r.allLines.error)],
      ],
    ),
  );
  out.push('');
  out.push('Zones');
  out.push(
    table(
      ['zone', 'gt person-s', 'person-s', 'error', 'gt entries', 'entries', 'gt exits', 'exits', 'gt max', 'max'],
      r.zones.map((z) => [z.id, num(z.gt.personSeconds), num(z.measured.personSeconds), pct(z.personSecondsError), String(z.gt.entries), String(z.measured.entries), String(z.gt.exits), String(z.measured.exits), String(z.gt.maxOccupancy), String(z.measured.maxOccupancy)]),
    ),
  );
  out.push('');
  out.push('Targets');
  out.push(table(['check', 'value', 'target', ''], r.checks.map((c) => [c.what, pct(c.value), c.target, c.pass ? 'pass' : 'FAIL'])));
  out.push('');
  out.push(`${r.checks.filter((c) => c.pass).length}/${r.checks.length} targets met: ${r.pass ? 'PASS' : 'FAIL'}`);
  return out.join('\n');
}
