/**
 * The accuracy suite's tables: one row per sequence (dev and holdout apart), a pooled row,
 * and per sequence the zone visits. Pure: scores in, text out.
 */
import type { SequenceScore } from './sequence-score.ts';

export interface SuiteRow {
  id: string;
  role: string;
  frames: number;
  score: SequenceScore;
  /** Frames per second of the agent's frame loop, when it ran. */
  fps?: number;
}

const pct = (x: number): string => (Number.isFinite(x) ? (100 * x).toFixed(1) : x === Infinity ? 'inf' : '–');
const sec = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(1));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Pooled tracking measures over sequences: MOTA and IDF1 from summed counts, HOTA as the mean. */
export function pooled(rows: readonly SuiteRow[]) {
  const sum = (f: (r: SuiteRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const numGt = sum((r) => r.score.report.mot.numGt);
  const errors = sum((r) => r.score.report.mot.fn + r.score.report.mot.fp + r.score.report.mot.idsw);
  const idtp = sum((r) => r.score.report.mot.idtp);
  const idfp = sum((r) => r.score.report.mot.idfp);
  const idfn = sum((r) => r.score.report.mot.idfn);
  return {
    mota: numGt ? 1 - errors / numGt : NaN,
    idf1: 2 * idtp + idfp + idfn ? (2 * idtp) / (2 * idtp + idfp + idfn) : NaN,
    hota: rows.length ? sum((r) => r.score.hota.hota) / rows.length : NaN,
  };
}

/**
 * The largest relative error of a zone's median dwell: against the exact ground-truth median,
 * or (`binned`) against the ground truth's visits binned as the edge bins them, which leaves
 * out what the histogram's buckets cost and measures the counting alone.
 */
export function worstMedianError(s: SequenceScore, binned = false): number {
  let worst = 0;
  for (const z of s.visits) {
    const truth = binned ? (z.gt.medianBinned ?? NaN) : z.gt.medianExact;
    if (!Number.isFinite(truth) || truth === 0) continue;
    const m = z.measured.median;
    worst = Math.max(worst, m === null ? Infinity : Math.abs(m - truth) / truth);
  }
  return worst;
}

export function formatSuite(rows: readonly SuiteRow[]): string {
  const out: string[] = [];
  const header = ['sequence', 'role', 'frames', 'MOTA', 'IDF1', 'HOTA', 'IDSW', 'FP', 'FN', 'lines err%', 'entries err%', 'visits err%', 'staying gt/us', 'median err% exact/binned', 'person-s worst%', 'fps'];
  const body = rows.map((r) => {
    const m = r.score.report.mot;
    const staying = r.score.visits.reduce((a, z) => [a[0] + z.gt.staying, a[1] + z.measured.staying], [0, 0]);
    const worstPs = Math.max(0, ...r.score.report.zones.map((z) => z.personSecondsError));
    return [r.id, r.role, String(r.frames), pct(m.mota), pct(m.idf1), pct(r.score.hota.hota), String(m.idsw), String(m.fp), String(m.fn), pct(r.score.lineError), pct(r.score.entriesError), pct(r.score.visitsError), `${staying[0]}/${staying[1]}`, `${pct(worstMedianError(r.score))}/${pct(worstMedianError(r.score, true))}`, pct(worstPs), r.fps === undefined ? '–' : r.fps.toFixed(1)];
  });
  for (const role of ['dev', 'holdout']) {
    const group = rows.filter((r) => r.role === role);
    if (group.length === 0) continue;
    const p = pooled(group);
    body.push([`(all ${role})`, role, String(group.reduce((n, r) => n + r.frames, 0)), pct(p.mota), pct(p.idf1), pct(p.hota), '', '', '', '', '', '', '', '', '', '']);
  }
  const all = pooled(rows);
  body.push(['(all)', '', String(rows.reduce((n, r) => n + r.frames, 0)), pct(all.mota), pct(all.idf1), pct(all.hota), '', '', '', '', '', '', '', '', '', '']);
  out.push('Every sequence (IoU 0.5; MOTA and IDF1 pooled over sequences, HOTA their mean; errors are Σ|measured − true| / Σ true)');
  out.push(table(header, body));
  for (const r of rows) {
    out.push('');
    out.push(`${r.id}: zones (ground truth / measured; median dwell: exact GT, GT binned as the edge bins it, measured)`);
    out.push(
      table(
        ['zone', 'entries', 'visits', 'staying', 'median dwell s', 'person-s'],
        r.score.visits.map((z) => {
          const zr = r.score.report.zones.find((x) => x.id === z.id)!;
          return [z.id, `${zr.gt.entries} / ${zr.measured.entries}`, `${z.gt.visits} / ${z.measured.visits}`, `${z.gt.staying} / ${z.measured.staying}`, `${sec(z.gt.medianExact)}, ${sec(z.gt.medianBinned)} / ${sec(z.measured.median)}`, `${sec(zr.gt.personSeconds)} / ${sec(zr.measured.personSeconds)}`];
        }),
      ),
    );
    out.push(`lines: ${r.score.report.lines.map((l) => `${l.id} ${l.gt.forward}/${l.gt.backward} → ${l.measured.forward}/${l.measured.backward}`).join(', ')}`);
  }
  return out.join('\n');
}
