/**
 * The pure heart of the agent: detections in, tracks and closed count bins out.
 * track → continue → count → aggregate, with no clock, file or socket, so a whole run can be replayed
 * from arrays in a test and gives the same batches every time.
 */
import type { CountBatch, Scene } from '@byliv/protocol';
import type { Detection, TrackedObject } from '../types.ts';
import { ByteTracker, TrackContinuation, type ByteTrackerOptions, type ContinuationOptions } from '../track/index.ts';
import { LineCounter, ZoneCounter, type LineCounterOptions, type ZoneCounterOptions } from '../count/index.ts';
import { BinAggregator } from '../aggregate/index.ts';

export interface PipelineOptions {
  binSeconds: number;
  /** Wall time of stream time 0. */
  origin: Date;
  framesPerSecond: number;
  firstSeq?: number;
  /** Live streams only: see batchIdFor. */
  session?: string;
  /** Source frame size: the tracker lets people who walk out of the picture go. */
  frame?: { width: number; height: number };
  /** Stage settings other than the defaults (benchmarks and tuning; the agent uses the defaults). */
  tracker?: ByteTrackerOptions;
  continuation?: ContinuationOptions;
  lineCounter?: LineCounterOptions;
  zoneCounter?: ZoneCounterOptions;
}

export interface PipelineStep {
  tracks: TrackedObject[];
  /** Bins that this frame closed, oldest first. */
  batches: CountBatch[];
}

export class CountingPipeline {
  private readonly tracker: ByteTracker;
  private readonly continuation: TrackContinuation;
  private readonly lines: LineCounter;
  private readonly zones: ZoneCounter;
  private readonly bins: BinAggregator;

  constructor(scene: Scene, opts: PipelineOptions) {
    this.tracker = new ByteTracker({ frame: opts.frame, ...opts.tracker });
    this.continuation = new TrackContinuation({ frame: opts.frame, ...opts.continuation });
    this.lines = new LineCounter(scene.lines, opts.lineCounter);
    this.zones = new ZoneCounter(scene.zones, opts.zoneCounter);
    this.bins = new BinAggregator({
      site: scene.site,
      camera: scene.camera,
      binSeconds: opts.binSeconds,
      origin: opts.origin,
      lineIds: scene.lines.map((l) => l.id),
      zoneIds: scene.zones.map((z) => z.id),
      framesPerSecond: opts.framesPerSecond,
      firstSeq: opts.firstSeq,
      session: opts.session,
    });
  }

  /** One frame: `duration` is how many seconds of the scene this frame stands for. */
  step(time: number, duration: number, detections: Detection[]): PipelineStep {
    // Person ids, not tracker ids: a person lost for a moment and found under a new tracker
    // id is still the same visitor to the counters (track/continuation.ts).
    const tracks = this.continuation.update(this.tracker.update(detections, time), time, (id) => this.tracker.holds(id));
    const crossings = this.lines.update(tracks, time);
    const { events, occupancy } = this.zones.update(tracks, time, duration);
    const batches = this.bins.add({ time, duration, crossings, zoneEvents: events, occupancy });
    return { tracks, batches };
  }

  /** Whether the tracker holds any track (tentative, tracked or lost): motion gating never skips a frame then. */
  get holdsTracks(): boolean {
    return this.tracker.size > 0;
  }

  /** End of the stream: the open bin is closed as it stands; `early` (stopped before the stream ended) marks it partial. */
  finish(options: { early?: boolean } = {}): CountBatch[] {
    return this.bins.flush(options);
  }
}
