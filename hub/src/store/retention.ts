/**
 * Retention: old raw bins are rewritten into roll-up bins in the same tables, so every reader
 * (summaries, rollups, indicators, exports) reads them unchanged.
 *
 * - Hourly: all bins of one camera whose bin starts in one UTC hour before the raw horizon
 *   (now − rawDays, on the hour) become one bin of that hour, binSeconds 3600; the same again
 *   from hours to UTC days (binSeconds 86400) before now − hourlyDays (on the day).
 * - A roll-up is a CountBatch (same JSON shape; batchId `rollup/hour/{site}/{camera}/{start}`
 *   or `rollup/day/…`, seq 0, binStart the hour or day, received_at the newest of its bins):
 *   counts summed per line/class and zone/class, flows per (from, to), dwell histograms per
 *   bucket, personSeconds summed, occupancyMax the max, occupancyMean = Σ personSeconds /
 *   Σ observed seconds (the observed-time-weighted mean of the bins' means, as the edge
 *   defines it; 0 when nothing was seen), frames summed, and gapSeconds = period −
 *   Σ (binSeconds − gapSeconds): unobserved time stays unobserved.
 * - Only bins that can be merged without changing what any reader computes are: the same
 *   lines and zones in every bin of the period (a bin without a feature did not count it; see
 *   indicators/query.ts), every bin inside the period (none running past its end), and no more
 *   observed time than the period holds. Otherwise the period is left as it is and counted
 *   (hoursLeftRaw, daysLeftHourly); nothing is ever lost.
 * - The horizon (table retention_horizons): per camera, the end of the last hour (raw_before_ms)
 *   and day (hourly_before_ms) compaction has examined, moved in the same transaction as the
 *   rewrite. insertBatch refuses a raw batch whose bin starts before raw_before_ms ('too-old'):
 *   its batchId may be gone into a roll-up, and exactly-once must survive compaction. A camera
 *   whose newest bins are older than the raw horizon (an edge offline for months) keeps its
 *   horizon at the end of its last bin, so its outbox can still be taken when it comes back.
 * - One transaction per camera and UTC day, so a first compaction of years never holds the
 *   writer for long. Idempotent: a second run with the same `now` finds nothing to do. Safe
 *   beside ingest and beside a second compactor (another hub on the same PostgreSQL): on
 *   PostgreSQL each transaction locks the camera's row FOR UPDATE first (insertBatch takes it
 *   FOR KEY SHARE before it reads the horizon); SQLite has one writer at a time.
 */
import { CountBatch, MOVEMENT_CLASSES, type MovementClass } from '@byliv/protocol';
import type { SqlClient } from './sql.ts';
import { insertBatch } from './batches.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Float noise allowed when checking that bins do not hold more observed time than the period. */
const EPSILON_SECONDS = 1e-6;
/** Batch ids per DELETE statement. */
const DELETE_CHUNK = 500;

export interface RetentionPolicy {
  /** Raw bins (usually 15 min) are kept this many days, then rolled up into hours. At least 1; Infinity keeps them. */
  rawDays: number;
  /** Hourly bins are kept this many days (counted from now, ≥ rawDays), then rolled up into days. Infinity keeps them. */
  hourlyDays: number;
}

/** What `byliv-hub start` and `byliv-hub compact` use unless told otherwise. */
export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = { rawDays: 90, hourlyDays: 730 };

export interface CompactionResult {
  /** Hour roll-ups written. */
  hoursCompacted: number;
  /** Day roll-ups written. */
  daysCompacted: number;
  /** Bins removed into hour roll-ups. */
  rawBinsRemoved: number;
  /** Bins removed into day roll-ups (hour roll-ups, and raw bins of hours that were left raw). */
  hourlyBinsRemoved: number;
  /** Hours before the raw horizon left as they were (a scene change mid-hour, a bin past the hour's end). */
  hoursLeftRaw: number;
  /** Days before the hourly horizon left as they were, for the same reasons. */
  daysLeftHourly: number;
}

/** A camera's compaction horizons (epoch ms). */
export interface RetentionHorizon {
  site: string;
  camera: string;
  /** Raw batches whose bin starts before this are refused. */
  rawBeforeMs: number;
  /** Days before this have been rolled up into days. */
  hourlyBeforeMs: number;
}

interface Level {
  name: 'hour' | 'day';
  ms: number;
}
const HOUR: Level = { name: 'hour', ms: HOUR_MS };
const DAY: Level = { name: 'day', ms: DAY_MS };

interface BinRow {
  batchId: string;
  binStartMs: number;
  binSeconds: number;
  gapSeconds: number;
  receivedAt: string;
  payload: string;
}

interface Tally {
  compacted: number;
  removed: number;
  left: number;
}

const floorTo = (ms: number, size: number) => Math.floor(ms / size) * size;
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

export class Retention {
  constructor(private readonly sql: SqlClient) {}

  /** Every camera's horizons, for cameras that have been compacted. */
  horizons(): Promise<RetentionHorizon[]> {
    return this.sql.all<RetentionHorizon>(
      `SELECT site, camera, raw_before_ms AS "rawBeforeMs", hourly_before_ms AS "hourlyBeforeMs" FROM retention_horizons ORDER BY site, camera`,
    );
  }

  /**
   * Rolls bins older than the policy's horizons up into hours and days, camera by camera and
   * day by day. Throws RangeError for a policy out of range.
   */
  async compact(policy: RetentionPolicy, now: Date): Promise<CompactionResult> {
    checkPolicy(policy);
    const rawBefore = policy.rawDays === Infinity ? -Infinity : floorTo(now.getTime() - policy.rawDays * DAY_MS, HOUR_MS);
    const hourlyBefore = policy.hourlyDays === Infinity ? -Infinity : floorTo(now.getTime() - policy.hourlyDays * DAY_MS, DAY_MS);
    const hours: Tally = { compacted: 0, removed: 0, left: 0 };
    const days: Tally = { compacted: 0, removed: 0, left: 0 };
    const cameras = await this.sql.all<{ site: string; camera: string }>('SELECT site, camera FROM cameras ORDER BY site, camera');
    for (const { site, camera } of cameras) {
      if (Number.isFinite(rawBefore)) await this.compactCamera(site, camera, HOUR, rawBefore, now, hours);
      if (Number.isFinite(hourlyBefore)) await this.compactCamera(site, camera, DAY, hourlyBefore, now, days);
    }
    return {
      hoursCompacted: hours.compacted,
      daysCompacted: days.compacted,
      rawBinsRemoved: hours.removed,
      hourlyBinsRemoved: days.removed,
      hoursLeftRaw: hours.left,
      daysLeftHourly: days.left,
    };
  }

  /** One level of one camera: bins from its horizon up to `before`, one UTC day per transaction. */
  private async compactCamera(site: string, camera: string, level: Level, before: number, now: Date, tally: Tally): Promise<void> {
    let from = (await this.horizon(this.sql, site, camera, level)) ?? -Infinity;
    for (;;) {
      const next = await this.sql.get<{ ms: number | null }>(
        'SELECT MIN(bin_start_ms) AS ms FROM count_bins WHERE site = @site AND camera = @camera AND bin_start_ms >= @from AND bin_start_ms < @before',
        { site, camera, from: Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER, before },
      );
      if (next?.ms === null || next?.ms === undefined) return;
      const chunkEnd = Math.min(floorTo(next.ms, DAY_MS) + DAY_MS, before);
      await this.sql.transaction((tx) => this.compactChunk(tx, site, camera, level, next.ms!, chunkEnd, now, tally));
      from = chunkEnd;
      // SQLite answers without I/O: let the broker and the API have their turn between days.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The bins of [fromMs, toMs) at one level, in one transaction; moves the horizon past them. */
  private async compactChunk(tx: SqlClient, site: string, camera: string, level: Level, fromMs: number, toMs: number, now: Date, tally: Tally): Promise<void> {
    if (tx.dialect === 'postgres') await tx.get('SELECT 1 FROM cameras WHERE site = ? AND camera = ? FOR UPDATE', [site, camera]);
    // Read again under the lock: another compactor may have been here meanwhile.
    const current = await this.horizon(tx, site, camera, level);
    const lo = Math.max(fromMs, current ?? -Infinity);
    if (lo >= toMs) return;
    const bins = await tx.all<BinRow>(
      `SELECT batch_id AS "batchId", bin_start_ms AS "binStartMs", bin_seconds AS "binSeconds", gap_seconds AS "gapSeconds", received_at AS "receivedAt", payload
       FROM count_bins WHERE site = @site AND camera = @camera AND bin_start_ms >= @lo AND bin_start_ms < @to ORDER BY bin_start_ms, seq`,
      { site, camera, lo, to: toMs },
    );
    if (bins.length === 0) return;
    const periods = new Map<number, BinRow[]>();
    for (const bin of bins) {
      const start = floorTo(bin.binStartMs, level.ms);
      let list = periods.get(start);
      if (!list) periods.set(start, (list = []));
      list.push(bin);
    }
    for (const [start, list] of periods) {
      const merged = mergePeriod(list, level, start, site, camera);
      if (merged === 'as-is') continue;
      if (merged === null) {
        tally.left++;
        continue;
      }
      // Its own savepoint: a roll-up that cannot be written (its batchId taken) leaves the period as it was.
      const written = await tx.transaction(async (sp) => {
        await deleteBins(sp, list.map((b) => b.batchId));
        const receivedAt = new Date(list.reduce((max, b) => (b.receivedAt > max ? b.receivedAt : max), list[0].receivedAt));
        const outcome = await insertBatch(sp, merged, receivedAt, { rollup: true });
        if (outcome.kind !== 'stored') throw new PeriodKept();
        return true;
      }).catch((error: unknown) => {
        if (error instanceof PeriodKept) return false;
        throw error;
      });
      if (written) {
        tally.compacted++;
        tally.removed += list.length;
      } else tally.left++;
    }
    // Past every bin examined (and no further: an edge offline for months can still send what is newer).
    const end = floorTo(bins[bins.length - 1].binStartMs, level.ms) + level.ms;
    await this.moveHorizon(tx, site, camera, level, Math.min(end, toMs), now);
  }

  private async horizon(sql: SqlClient, site: string, camera: string, level: Level): Promise<number | undefined> {
    const row = await sql.get<{ raw: number; hourly: number }>('SELECT raw_before_ms AS raw, hourly_before_ms AS hourly FROM retention_horizons WHERE site = ? AND camera = ?', [
      site,
      camera,
    ]);
    if (!row) return undefined;
    return level === HOUR ? row.raw : row.hourly;
  }

  /** Never backwards. A day roll-up moves the raw horizon too: no raw batch may land in a rolled-up day. */
  private async moveHorizon(tx: SqlClient, site: string, camera: string, level: Level, toMs: number, now: Date): Promise<void> {
    const raw = toMs;
    // 0: no day rolled up yet (there are no bins before 1970).
    const hourly = level === DAY ? toMs : 0;
    await tx.run(
      `INSERT INTO retention_horizons (site, camera, raw_before_ms, hourly_before_ms, updated_at) VALUES (@site, @camera, @raw, @hourly, @at)
       ON CONFLICT (site, camera) DO UPDATE SET
         raw_before_ms = CASE WHEN excluded.raw_before_ms > retention_horizons.raw_before_ms THEN excluded.raw_before_ms ELSE retention_horizons.raw_before_ms END,
         hourly_before_ms = CASE WHEN excluded.hourly_before_ms > retention_horizons.hourly_before_ms THEN excluded.hourly_before_ms ELSE retention_horizons.hourly_before_ms END,
         updated_at = excluded.updated_at`,
      { site, camera, raw, hourly, at: now.toISOString() },
    );
  }
}

class PeriodKept extends Error {}

export interface CompactionSchedule {
  /** Stops the timer; resolves when a compaction in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Compacts on a timer inside the hub: first `firstAfterMs` after the start (default 1 min), then
 * `everyMs` after each run ends (default hourly). A failed run is logged and tried again at the
 * next. Nothing is scheduled when the policy keeps everything.
 */
export function scheduleCompaction(
  retention: Retention,
  policy: RetentionPolicy,
  options: { everyMs?: number; firstAfterMs?: number; clock?: () => Date; log?: (line: string) => void; onResult?: (result: CompactionResult) => void } = {},
): CompactionSchedule {
  checkPolicy(policy);
  const log = options.log ?? (() => undefined);
  const clock = options.clock ?? (() => new Date());
  if (policy.rawDays === Infinity) return { stop: async () => undefined };
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      timer = null;
      running = run().finally(() => {
        running = null;
        if (!stopped) schedule(options.everyMs ?? HOUR_MS);
      });
    }, ms);
    timer.unref();
  };
  const run = async () => {
    try {
      const result = await retention.compact(policy, clock());
      if (result.hoursCompacted + result.daysCompacted + result.hoursLeftRaw + result.daysLeftHourly > 0) {
        log(
          `compaction: ${result.hoursCompacted} hours (from ${result.rawBinsRemoved} bins) and ${result.daysCompacted} days (from ${result.hourlyBinsRemoved} bins) rolled up; ` +
            `${result.hoursLeftRaw} hours left raw and ${result.daysLeftHourly} days left hourly (a scene change, or bins past the period's end)`,
        );
      }
      options.onResult?.(result);
    } catch (error) {
      log(`compaction failed (tried again in ${Math.round((options.everyMs ?? HOUR_MS) / 60_000)} min): ${(error as Error).message}`);
    }
  };
  schedule(options.firstAfterMs ?? 60_000);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

function checkPolicy(policy: RetentionPolicy): void {
  const { rawDays, hourlyDays } = policy;
  if (!(typeof rawDays === 'number' && rawDays >= 1)) throw new RangeError(`rawDays must be at least 1 (or Infinity), got ${rawDays}`);
  if (!(typeof hourlyDays === 'number' && hourlyDays >= rawDays)) throw new RangeError(`hourlyDays must be at least rawDays (${rawDays}), or Infinity; got ${hourlyDays}`);
}

async function deleteBins(tx: SqlClient, batchIds: readonly string[]): Promise<void> {
  for (let i = 0; i < batchIds.length; i += DELETE_CHUNK) {
    const chunk = batchIds.slice(i, i + DELETE_CHUNK);
    // line_counts, zone_counts, zone_bins and flows go with them (ON DELETE CASCADE).
    await tx.run(`DELETE FROM count_bins WHERE batch_id IN (${chunk.map(() => '?').join(', ')})`, chunk);
  }
}

const featureKey = (b: CountBatch) => JSON.stringify([Object.keys(b.lines).sort(), Object.keys(b.zones).sort()]);
const zeroClasses = (): Record<MovementClass, number> => ({ person: 0, cyclist: 0 });

/**
 * The roll-up of one period's bins; 'as-is' when the period already is one bin of the
 * period's shape; null when it must be left as it is (see the file's comment).
 */
function mergePeriod(bins: readonly BinRow[], level: Level, startMs: number, site: string, camera: string): CountBatch | 'as-is' | null {
  const periodSeconds = level.ms / 1000;
  if (bins.length === 1 && bins[0].binStartMs === startMs && bins[0].binSeconds === periodSeconds) return 'as-is';
  if (bins.some((b) => b.binStartMs + b.binSeconds * 1000 > startMs + level.ms)) return null;
  const batches = bins.map((b) => JSON.parse(b.payload) as CountBatch);
  const features = featureKey(batches[0]);
  if (batches.some((b) => featureKey(b) !== features)) return null;

  let observed = 0;
  let framesProcessed = 0;
  let framesExpected = 0;
  const lines = new Map<string, { forward: Record<MovementClass, number>; backward: Record<MovementClass, number> }>();
  const zones = new Map<string, { entries: Record<MovementClass, number>; exits: Record<MovementClass, number>; personSeconds: number; occupancyMax: number; dwellHistogram: number[] }>();
  const flows = new Map<string, { from: string; to: string; count: number }>();
  for (const b of batches) {
    observed += b.binSeconds - b.quality.gapSeconds;
    framesProcessed += b.quality.framesProcessed;
    framesExpected += b.quality.framesExpected;
    for (const [id, l] of Object.entries(b.lines)) {
      let sum = lines.get(id);
      if (!sum) lines.set(id, (sum = { forward: zeroClasses(), backward: zeroClasses() }));
      for (const cls of MOVEMENT_CLASSES) {
        sum.forward[cls] += l.forward[cls] ?? 0;
        sum.backward[cls] += l.backward[cls] ?? 0;
      }
    }
    for (const [id, z] of Object.entries(b.zones)) {
      let sum = zones.get(id);
      if (!sum) zones.set(id, (sum = { entries: zeroClasses(), exits: zeroClasses(), personSeconds: 0, occupancyMax: 0, dwellHistogram: z.dwellHistogram.map(() => 0) }));
      for (const cls of MOVEMENT_CLASSES) {
        sum.entries[cls] += z.entries[cls] ?? 0;
        sum.exits[cls] += z.exits[cls] ?? 0;
      }
      sum.personSeconds += z.personSeconds;
      sum.occupancyMax = Math.max(sum.occupancyMax, z.occupancyMax);
      z.dwellHistogram.forEach((n, i) => (sum.dwellHistogram[i] += n));
    }
    for (const f of b.flows) {
      const key = JSON.stringify([f.from, f.to]);
      const sum = flows.get(key);
      if (sum) sum.count += f.count;
      else flows.set(key, { from: f.from, to: f.to, count: f.count });
    }
  }
  if (observed > periodSeconds + EPSILON_SECONDS) return null;

  const binStart = isoSeconds(startMs);
  const parsed = CountBatch.safeParse({
    v: batches[0].v,
    batchId: `rollup/${level.name}/${site}/${camera}/${binStart}`,
    site,
    camera,
    seq: 0,
    binStart,
    binSeconds: periodSeconds,
    lines: Object.fromEntries(lines),
    zones: Object.fromEntries(
      [...zones].map(([id, z]) => [
        id,
        {
          entries: z.entries,
          exits: z.exits,
          personSeconds: z.personSeconds,
          occupancyMax: z.occupancyMax,
          occupancyMean: observed > 0 ? Math.round((z.personSeconds / observed) * 1000) / 1000 : 0,
          dwellHistogram: z.dwellHistogram,
        },
      ]),
    ),
    flows: [...flows.values()],
    quality: { framesProcessed, framesExpected, gapSeconds: Math.max(0, periodSeconds - observed) },
  });
  // Stored bins are valid batches, so this holds; if one ever is not, the period stays as it is.
  return parsed.success ? parsed.data : null;
}
