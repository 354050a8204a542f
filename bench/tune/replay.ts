/**
 * Replays cached detections through the edge agent's pure stages (ByteTracker → LineCounter
 * → ZoneCounter → BinAggregator → summary), exactly as `edge run` wires them in
 * CountingPipeline but with tracker options of our choosing, and scores the result with the
 * benchmark's own evaluator and report (bench/mot). Pure apart from the clock used for timing.
 */
import type { CountSummary, Scene } from '@byliv/protocol';
import { BinAggregator, summarizeBatches } from '../../edge/src/aggregate/index.ts';
import { LineCounter, ZoneCounter } from '../../edge/src/count/index.ts';
import { ByteTracker, type ByteTrackerOptions } from '../../edge/src/track/index.ts';
import type { CountBatch } from '@byliv/protocol';
import { buildReport, type AccuracyReport } from '../mot/accuracy-report.ts';
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
}

export function replay(cache: DetectionCache, scene: Scene, gt: readonly MotBox[], truth: CountSummary, tracker: ByteTrackerOptions, opts: ReplayOptions = {}): ReplayResult {
  const minScore = opts.minScore ?? cache.scoreThreshold;
  const bt = new ByteTracker(tracker);
  const lines = new LineCounter(scene.lines);
  const zones = new ZoneCounter(scene.zones);
  const bins = new BinAggregator({
    site: scene.site,
    camera: scene.camera,
    binSeconds: 60,
    origin: new Date(Date.UTC(2009, 0, 1)),
    lineIds: scene.lines.map((l) => l.id),
    zoneIds: scene.zones.map((z) => z.id),
    framesPerSecond: cache.fps,
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
    const tracks = bt.update(dets, f.time);
    const crossings = lines.update(tracks, f.time);
    const { events, occupancy } = zones.update(tracks, f.time, duration);
    batches.push(...bins.add({ time: f.time, duration, crossings, zoneEvents: events, occupancy }));
    spent += performance.now() - t0;
    for (const t of tracks) {
      const [x1, y1, x2, y2] = t.box;
      hyp.push({ frame: f.index + 1, id: t.id, left: x1, top: y1, width: x2 - x1, height: y2 - y1, score: t.score });
    }
  }
  batches.push(...bins.flush());
  const summary = summarizeBatches(batches);
  const report = buildReport(evaluateMot(gt, hyp), summary, truth);
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
