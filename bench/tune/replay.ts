/**
 * Replays cached detections through the edge agent's pure stages (CountingPipeline: tracker →
 * continuation → line and zone counters → bins → summary), exactly as `edge run` wires them,
 * with stage options of our choosing, and scores the result with the
 * benchmark's own evaluator and report (bench/mot). Pure apart from the clock used for timing.
 */
import type { CountSummary, Scene } from '@byliv/protocol';
import { summarizeBatches } from '../../edge/src/aggregate/index.ts';
import type { LineCounterOptions, ZoneCounterOptions } from '../../edge/src/count/index.ts';
import type { ByteTrackerOptions, ContinuationOptions } from '../../edge/src/track/index.ts';
import { CountingPipeline } from '../../edge/src/run/counting-pipeline.ts';
import type { CountBatch } from '@byliv/protocol';
import { buildReport, type AccuracyReport } from '../mot/accuracy-report.ts';
import { applyDistractors } from '../mot/distractors.ts';
import { evaluateMot } from '../mot/evaluate.ts';
import type { MotBox } from '../mot/gt.ts';
import type { DetectionCache } from './cache.ts';

export interface ReplayResult {
  report: AccuracyReport;
  summary: CountSummary;
  hyp: MotBox[];
  /** Tracker + counting time per frame, microseconds. */
  usPerFrame: number;
}

export interface ReplayOptions {
  /** Detections below this score are dropped before the tracker (re-thresholding the cache). */
  minScore?: number;
  /** Settings of the stages after the tracker (defaults: the agent's). */
  continuation?: ContinuationOptions;
  lineCounter?: LineCounterOptions;
  zoneCounter?: ZoneCounterOptions;
}

export function replay(cache: DetectionCache, scene: Scene, gt: readonly MotBox[], truth: CountSummary, tracker: ByteTrackerOptions, opts: ReplayOptions = {}): ReplayResult {
  const minScore = opts.minScore ?? cache.scoreThreshold;
  // The agent's own wiring; the source frame reaches the stages only when the tracker
  // setting asks for it (`frame=source`), so a sweep can measure what knowing it is worth.
  const pipeline = new CountingPipeline(scene, {
    binSeconds: 60,
    origin: new Date(Date.UTC(2009, 0, 1)),
    framesPerSecond: cache.fps,
    frame: tracker.frame,
    tracker,
    continuation: opts.continuation,
    lineCounter: opts.lineCounter,
    zoneCounter: opts.zoneCounter,
  });
  const batches: CountBatch[] = [];
  const hyp: MotBox[] = [];
  const nominal = 1 / cache.fps;
  let previous: number | undefined;
  let spent = 0;
  for (const f of cache.frames) {
    const dets = minScore > cache.scoreThreshold ? f.detections.filter((d) => d.score >= minScore) : f.detections;
    const t0 = performance.now();
    // Same duration rule as edge-run.ts: the gap to the previous frame, capped at 4 frames.
    const duration = previous === undefined ? nominal : Math.min(f.time - previous, 4 * nominal);
    previous = f.time;
    const step = pipeline.step(f.time, duration, dets);
    batches.push(...step.batches);
    spent += performance.now() - t0;
    for (const t of step.tracks) {
      const [x1, y1, x2, y2] = t.box;
      hyp.push({ frame: f.index + 1, id: t.id, left: x1, top: y1, width: x2 - x1, height: y2 - y1, score: t.score });
    }
  }
  batches.push(...pipeline.finish());
  const summary = summarizeBatches(batches);
  // Boxes on regions to ignore (flag 0, KITTI-17) are neither hits nor misses (distractors.ts).
  const scored = gt.some((b) => b.score === 0) ? applyDistractors(gt, hyp) : { gt, hyp };
  const report = buildReport(evaluateMot(scored.gt, scored.hyp), summary, truth);
  return { report, summary, hyp, usPerFrame: (spent * 1000) / cache.frames.length };
}

/** The figures a sweep ranks by, as one flat row. */
export function row(r: AccuracyReport): Record<string, number> {
  const zone = (id: string) => r.zones.find((z) => z.id === id)?.personSecondsError ?? NaN;
  const lineErr = r.checks.find((c) => c.what.startsWith('line crossings'))!.value;
  return {
    mota: r.mot.mota,
    idf1: r.mot.idf1,
    idsw: r.mot.idsw,
    fp: r.mot.fp,
    fn: r.mot.fn,
    hypIds: r.mot.hypIds,
    lineErr,
    zLeft: zone('left-third'),
    zCentre: zone('centre-diamond'),
    zRight: zone('right-third'),
  };
}
