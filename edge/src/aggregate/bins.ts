/**
 * Folding per-frame counting events into time bins; a closed bin becomes a CountBatch, the
 * only thing that leaves the edge.
 *
 * Choices (tested in bins.test.ts):
 * - Bins are aligned to the wall clock: bin k covers [k·binSeconds, (k+1)·binSeconds) in
 *   Unix seconds (UTC), so 15-minute bins start at :00, :15, … whatever the stream's origin,
 *   and a replay of the same stream gives the same binStart, hence the same batchId (the
 *   hub's dedup key). A stream starting mid-bin gives a partial first bin.
 * - Events go to the bin of the frame that produced them (a timed-out zone exit is stamped
 *   with the last-seen time, but it is reported, and binned, when it is decided).
 * - A frame arriving with a time before the open bin (clock stepped back) is folded into the
 *   open bin; closed bins are never reopened.
 * - Bins with no frames between two frames are emitted too (framesProcessed 0, all gap), so
 *   missing data is explicit and seq has no holes.
 * - quality.framesExpected is always binSeconds × framesPerSecond (rounded), also for partial
 *   first/last bins; how much of the bin was not seen is in gapSeconds.
 * - quality.gapSeconds: the time not covered by frames. A frame covers 1 / framesPerSecond
 *   after its time; holes between frames count when longer than `gapFrames` frame periods
 *   (default 3), and the start of the first bin before the first frame and the end of the
 *   last bin after the last frame (at flush) always count.
 * - personSeconds, occupancyMean and gapSeconds are rounded to 3 decimals when the batch is
 *   made, so sums over batches are reproducible at the hub.
 */
import {
  DWELL_BIN_EDGES_SECONDS,
  dwellBucket,
  PROTOCOL_VERSION,
  batchIdFor,
  type ClassCounts,
  type CountBatch,
  type LineBin,
  type ZoneBin,
} from '@byliv/protocol';
import type { Crossing, OccupancySample, ZoneEvent } from '../types.ts';

export interface BinAggregatorOptions {
  site: string;
  camera: string;
  /** Whole seconds per bin. */
  binSeconds: number;
  /** Wall time of stream time 0. */
  origin: Date;
  lineIds: readonly string[];
  zoneIds: readonly string[];
  /** Nominal frame rate of the source: frames expected per second. */
  framesPerSecond: number;
  /** seq of the first bin (default 0); later bins count up from it, one per bin. */
  firstSeq?: number;
  /** A hole between two frames longer than this many frame periods is a gap (default 3). */
  gapFrames?: number;
  /** Set for live streams (see batchIdFor): tells apart the partial bins of two agent runs. */
  session?: string;
}

/** What one processed frame contributes. */
export interface CountStep {
  /** Stream time of the frame, seconds. */
  time: number;
  /** Seconds of the scene this frame stands for (weights occupancy). */
  duration: number;
  crossings: readonly Crossing[];
  zoneEvents: readonly ZoneEvent[];
  occupancy: OccupancySample;
}

interface OpenZone {
  entries: ClassCounts;
  exits: ClassCounts;
  personSeconds: number;
  occupancyMax: number;
  dwellHistogram: number[];
}

interface OpenBin {
  k: number;
  frames: number;
  observedSeconds: number;
  gapSeconds: number;
  lines: Map<string, LineBin>;
  zones: Map<string, OpenZone>;
  flows: Map<string, { from: string; to: string; count: number }>;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const zeroClasses = (): ClassCounts => ({ person: 0, cyclist: 0 });

export class BinAggregator {
  private readonly o: Required<Omit<BinAggregatorOptions, 'origin'>>;
  private readonly originSeconds: number;
  private readonly framePeriod: number;
  private open: OpenBin | null = null;
  private firstK = 0;
  /** Wall time (Unix seconds) of the latest frame seen. */
  private lastWall = -Infinity;

  constructor(options: BinAggregatorOptions) {
    const { binSeconds, framesPerSecond, origin } = options;
    if (!(Number.isInteger(binSeconds) && binSeconds > 0 && binSeconds <= 86_400)) {
      throw new Error(`aggregate.binSeconds must be a whole number of seconds in 1..86400, got ${binSeconds}`);
    }
    if (!(framesPerSecond > 0 && Number.isFinite(framesPerSecond))) {
      throw new Error(`aggregate.framesPerSecond must be a positive number, got ${framesPerSecond}`);
    }
    if (!(origin instanceof Date) || Number.isNaN(origin.getTime())) throw new Error('aggregate.origin must be a valid Date');
    const firstSeq = options.firstSeq ?? 0;
    if (!(Number.isInteger(firstSeq) && firstSeq >= 0)) throw new Error(`aggregate.firstSeq must be a non-negative integer, got ${firstSeq}`);
    this.o = {
      site: options.site,
      camera: options.camera,
      binSeconds,
      lineIds: [...options.lineIds],
      zoneIds: [...options.zoneIds],
      framesPerSecond,
      firstSeq,
      gapFrames: options.gapFrames ?? 3,
      session: options.session ?? '',
    };
    this.originSeconds = origin.getTime() / 1000;
    this.framePeriod = 1 / framesPerSecond;
  }

  /** Fold in one frame; returns the bins this frame closed, oldest first. */
  add(step: CountStep): CountBatch[] {
    if (!Number.isFinite(step.time)) throw new Error(`aggregate: step.time must be a finite number, got ${step.time}`);
    if (!(step.duration >= 0)) throw new Error(`aggregate: step.duration must be >= 0, got ${step.duration} at time ${step.time}`);
    const wall = this.originSeconds + step.time;
    const k = Math.floor(wall / this.o.binSeconds);
    const closed: CountBatch[] = [];
    if (this.open === null) {
      this.firstK = k;
      this.open = this.newBin(k);
      this.open.gapSeconds += wall - this.binStart(k); // before the stream's first frame
    } else if (wall >= this.lastWall) {
      const holeStart = this.lastWall + this.framePeriod;
      const isGap = wall - this.lastWall > this.o.gapFrames * this.framePeriod;
      while (this.open.k < k) {
        if (isGap) this.open.gapSeconds += overlap(holeStart, wall, this.binStart(this.open.k), this.binStart(this.open.k + 1));
        closed.push(this.close(this.open));
        this.open = this.newBin(this.open.k + 1);
      }
      if (isGap) this.open.gapSeconds += overlap(holeStart, wall, this.binStart(k), this.binStart(k + 1));
    }
    this.lastWall = Math.max(this.lastWall, wall);
    this.fold(this.open, step);
    return closed;
  }

  /**
   * End of the stream: closes the open bin as it stands (the rest of it is a gap). `early`: the
   * agent was stopped before the stream ended (Ctrl-C, --max-frames), so the bin is marked
   * `partial` and a later run of the same file may send it complete under the same batchId.
   */
  flush(options: { early?: boolean } = {}): CountBatch[] {
    if (this.open === null) return [];
    const bin = this.open;
    bin.gapSeconds += overlap(this.lastWall + this.framePeriod, Infinity, this.binStart(bin.k), this.binStart(bin.k + 1));
    this.open = null;
    this.lastWall = -Infinity;
    const batch = this.close(bin);
    return [options.early ? { ...batch, partial: true } : batch];
  }

  private binStart(k: number): number {
    return k * this.o.binSeconds;
  }

  private newBin(k: number): OpenBin {
    const lines = new Map<string, LineBin>();
    for (const id of this.o.lineIds) lines.set(id, { forward: zeroClasses(), backward: zeroClasses() });
    const zones = new Map<string, OpenZone>();
    for (const id of this.o.zoneIds) {
      zones.set(id, {
        entries: zeroClasses(),
        exits: zeroClasses(),
        personSeconds: 0,
        occupancyMax: 0,
        dwellHistogram: new Array<number>(DWELL_BIN_EDGES_SECONDS.length + 1).fill(0),
      });
    }
    return { k, frames: 0, observedSeconds: 0, gapSeconds: 0, lines, zones, flows: new Map() };
  }

  private fold(bin: OpenBin, step: CountStep): void {
    bin.frames++;
    bin.observedSeconds += step.duration;
    for (const c of step.crossings) {
      const line = bin.lines.get(c.lineId);
      if (!line) throw new Error(`aggregate: crossing on unknown line "${c.lineId}" (lines: ${this.o.lineIds.join(', ') || 'none'})`);
      line[c.direction][c.cls]++;
    }
    for (const e of step.zoneEvents) {
      if (e.kind === 'flow') {
        this.zoneOf(bin, e.from);
        this.zoneOf(bin, e.to);
        const key = `${e.from}\u0000${e.to}`;
        const f = bin.flows.get(key);
        if (f) f.count++;
        else bin.flows.set(key, { from: e.from, to: e.to, count: 1 });
      } else if (e.kind === 'entry') {
        this.zoneOf(bin, e.zoneId).entries[e.cls]++;
      } else {
        const zone = this.zoneOf(bin, e.zoneId);
        zone.exits[e.cls]++;
        zone.dwellHistogram[dwellBucket(e.dwellSeconds)]++;
      }
    }
    for (const [id, n] of Object.entries(step.occupancy.byZone)) {
      const zone = this.zoneOf(bin, id);
      zone.personSeconds += n * step.duration;
      if (n > zone.occupancyMax) zone.occupancyMax = n;
    }
  }

  private zoneOf(bin: OpenBin, id: string): OpenZone {
    const zone = bin.zones.get(id);
    if (!zone) throw new Error(`aggregate: event for unknown zone "${id}" (zones: ${this.o.zoneIds.join(', ') || 'none'})`);
    return zone;
  }

  private close(bin: OpenBin): CountBatch {
    const binStart = new Date(this.binStart(bin.k) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const lines: Record<string, LineBin> = {};
    for (const [id, l] of bin.lines) lines[id] = l;
    const zones: Record<string, ZoneBin> = {};
    for (const [id, z] of bin.zones) {
      zones[id] = {
        entries: z.entries,
        exits: z.exits,
        personSeconds: round3(z.personSeconds),
        occupancyMax: z.occupancyMax,
        occupancyMean: bin.observedSeconds > 0 ? round3(z.personSeconds / bin.observedSeconds) : 0,
        dwellHistogram: z.dwellHistogram,
      };
    }
    const flows = [...bin.flows.values()].sort((a, b) => (a.from === b.from ? cmp(a.to, b.to) : cmp(a.from, b.from)));
    return {
      v: PROTOCOL_VERSION,
      batchId: batchIdFor(this.o.site, this.o.camera, binStart, this.o.session),
      site: this.o.site,
      camera: this.o.camera,
      seq: this.o.firstSeq + (bin.k - this.firstK),
      binStart,
      binSeconds: this.o.binSeconds,
      lines,
      zones,
      flows,
      quality: {
        framesProcessed: bin.frames,
        framesExpected: Math.round(this.o.binSeconds * this.o.framesPerSecond),
        gapSeconds: round3(Math.min(this.o.binSeconds, Math.max(0, bin.gapSeconds))),
      },
    };
  }
}


function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
