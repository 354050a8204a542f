/**
 * From stored bins to one record per UTC hour of a subject: the one place that decides what
 * an hour is worth.
 *
 * - A bin's observed time (binSeconds − gapSeconds, as in report/completeness.ts) and its
 *   counts are spread over the hours it overlaps in proportion to the overlap (bins are
 *   wall-clock aligned and usually lie inside one hour; a longer one is split evenly,
 *   since where in the bin things happened is not known).
 * - An hour is *observed* when every camera of the subject saw at least half of it
 *   (observedSeconds = the minimum over the cameras). A camera with no bin in the hour saw
 *   nothing of it.
 * - The counts of an observed hour are scaled up to the full hour, per camera, by
 *   3600 / that camera's observed seconds (at most ×2): an hour seen half is counted as
 *   twice what was seen, so a gap does not read as a quiet hour.
 * - An unobserved hour has every value null, never 0: missing data is not an empty square.
 * - Every hour also carries `seen`: what its cameras counted, unscaled, however little of it
 *   they saw. It is never a value of the hour; it lets a page say "48 passers in 1 min 20 s
 *   observed" for a period too short to count, instead of nothing.
 * Pure: plain rows in, plain records out.
 */
import { DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';
import { HOUR_MS } from './local-time.ts';
import { forEachHourOverlap } from '../report/hour-overlap.ts';

/** The share of an hour every camera must have seen for the hour to count. */
export const OBSERVED_SHARE = 0.5;
export const DEFAULT_STAY_MIN_SECONDS = 30;
const BUCKETS = DWELL_BIN_EDGES_SECONDS.length + 1;

/** One bin of one camera, its counts already summed over the subject's lines and zones. */
export interface BinCounts {
  /** 'site/camera' */
  camera: string;
  binStartMs: number;
  binSeconds: number;
  gapSeconds: number;
  /** The subject's passers: line crossings both ways, or zone entries where it has no lines. */
  passers: number;
  forward: number;
  backward: number;
  entries: number;
  exits: number;
  personSeconds: number;
  /** Some zone of the subject had someone in it during the bin (occupancy_max > 0). */
  occupied: boolean;
  /** Zone visits that ended in the bin, by dwell (DWELL_BIN_EDGES_SECONDS; 9 buckets). */
  dwellHistogram: readonly number[];
}

/** What the cameras of a subject counted in an hour, as seen: not scaled, observed or not. */
export interface SeenCounts {
  passers: number;
  forward: number;
  backward: number;
  entries: number;
  exits: number;
  stayingVisits: number;
  personMinutes: number;
}

/**
 * One UTC hour of a subject. Values are scaled to the full hour, and null when the hour is
 * not observed. `rawDwellHistogram` is what was seen, unscaled (for showing visit counts).
 */
export interface HourRecord {
  hourStartMs: number;
  /** Seconds of the hour seen by the subject's least-seeing camera, 0–3600. */
  observedSeconds: number;
  observed: boolean;
  passers: number | null;
  forward: number | null;
  backward: number | null;
  entries: number | null;
  exits: number | null;
  /** Zone visits of at least stayMinSeconds that ended in the hour. */
  stayingVisits: number | null;
  personMinutes: number | null;
  occupied: boolean | null;
  dwellHistogram: number[] | null;
  rawDwellHistogram: number[] | null;
  /** Counted in the hour's observed part, unscaled (zeros when nothing was seen). */
  seen: SeenCounts;
}

export interface HourlyOptions {
  /** A DWELL_BIN_EDGES_SECONDS edge; visits at or above it are staying visits (default 30). */
  stayMinSeconds?: number;
}

/** The histogram bucket from which visits last at least `stayMinSeconds`; throws for a non-edge. */
export function stayBucket(stayMinSeconds: number): number {
  const i = (DWELL_BIN_EDGES_SECONDS as readonly number[]).indexOf(stayMinSeconds);
  if (i < 0) throw new RangeError(`stayMinSeconds must be one of ${DWELL_BIN_EDGES_SECONDS.join(', ')}, got ${stayMinSeconds}`);
  return i + 1;
}

interface CameraHour {
  observed: number;
  passers: number;
  forward: number;
  backward: number;
  entries: number;
  exits: number;
  personSeconds: number;
  occupied: boolean;
  dwell: number[];
}

const emptyHour = (): CameraHour => ({ observed: 0, passers: 0, forward: 0, backward: 0, entries: 0, exits: 0, personSeconds: 0, occupied: false, dwell: new Array(BUCKETS).fill(0) });

/**
 * One record per UTC hour from the hour holding `fromMs` up to `toMs` (exclusive), for a
 * subject seen by `cameras`. Bins of other cameras are ignored; a subject without cameras
 * is never observed.
 */
export function hourlyFromBins(bins: readonly BinCounts[], cameras: readonly string[], fromMs: number, toMs: number, options: HourlyOptions = {}): HourRecord[] {
  const stayFrom = stayBucket(options.stayMinSeconds ?? DEFAULT_STAY_MIN_SECONDS);
  const first = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const count = Math.max(0, Math.ceil((toMs - first) / HOUR_MS));
  const perCamera = new Map(cameras.map((c) => [c, Array.from({ length: count }, emptyHour)]));

  for (const bin of bins) {
    const hours = perCamera.get(bin.camera);
    if (!hours || bin.binSeconds <= 0) continue;
    const observed = Math.max(0, bin.binSeconds - bin.gapSeconds);
    forEachHourOverlap(bin, first, count, (h, part) => {
      const t = hours[h];
      t.observed += observed * part;
      t.passers += bin.passers * part;
      t.forward += bin.forward * part;
      t.backward += bin.backward * part;
      t.entries += bin.entries * part;
      t.exits += bin.exits * part;
      t.personSeconds += bin.personSeconds * part;
      t.occupied ||= bin.occupied;
      for (let i = 0; i < BUCKETS; i++) t.dwell[i] += (bin.dwellHistogram[i] ?? 0) * part;
    });
  }

  const records: HourRecord[] = [];
  for (let h = 0; h < count; h++) {
    const hourStartMs = first + h * HOUR_MS;
    const seen = [...perCamera.values()].map((hours) => hours[h]);
    // 1 ms of float noise must not turn a full hour into a 3599.999 s one
    const observedSeconds = seen.length ? Math.min(3600, Math.round(Math.min(...seen.map((s) => s.observed)) * 1000) / 1000) : 0;
    const asSeen = seenCounts(seen, stayFrom);
    if (observedSeconds < OBSERVED_SHARE * 3600) {
      records.push({ hourStartMs, observedSeconds, observed: false, passers: null, forward: null, backward: null, entries: null, exits: null, stayingVisits: null, personMinutes: null, occupied: null, dwellHistogram: null, rawDwellHistogram: null, seen: asSeen });
      continue;
    }
    const r = { passers: 0, forward: 0, backward: 0, entries: 0, exits: 0, personSeconds: 0, occupied: false, dwell: new Array<number>(BUCKETS).fill(0), raw: new Array<number>(BUCKETS).fill(0) };
    for (const s of seen) {
      const scale = 3600 / Math.min(3600, s.observed);
      r.passers += s.passers * scale;
      r.forward += s.forward * scale;
      r.backward += s.backward * scale;
      r.entries += s.entries * scale;
      r.exits += s.exits * scale;
      r.personSeconds += s.personSeconds * scale;
      r.occupied ||= s.occupied;
      for (let i = 0; i < BUCKETS; i++) {
        r.dwell[i] += s.dwell[i] * scale;
        r.raw[i] += s.dwell[i];
      }
    }
    records.push({
      hourStartMs,
      observedSeconds,
      observed: true,
      passers: r.passers,
      forward: r.forward,
      backward: r.backward,
      entries: r.entries,
      exits: r.exits,
      stayingVisits: r.dwell.slice(stayFrom).reduce((a, b) => a + b, 0),
      personMinutes: r.personSeconds / 60,
      occupied: r.occupied,
      dwellHistogram: r.dwell,
      rawDwellHistogram: r.raw,
      seen: asSeen,
    });
  }
  return records;
}

/** The cameras' counts of one hour summed as they were seen (no scaling). */
function seenCounts(hours: readonly CameraHour[], stayFrom: number): SeenCounts {
  const c: SeenCounts = { passers: 0, forward: 0, backward: 0, entries: 0, exits: 0, stayingVisits: 0, personMinutes: 0 };
  for (const h of hours) {
    c.passers += h.passers;
    c.forward += h.forward;
    c.backward += h.backward;
    c.entries += h.entries;
    c.exits += h.exits;
    c.personMinutes += h.personSeconds / 60;
    for (let i = stayFrom; i < BUCKETS; i++) c.stayingVisits += h.dwell[i];
  }
  return c;
}
