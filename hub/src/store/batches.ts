/**
 * Count bins: each CountBatch stored once, keyed by (site, camera, batchId), in one transaction
 * with its normalised line, zone and flow rows. A batch seen again is a normal event (the edge
 * resends after any doubt), not an error. A batch the agent closed early (`partial`) is
 * replaced by the complete one with the same id, never the other way round.
 */
import { MOVEMENT_CLASSES, type CountBatch } from '@byliv/protocol';
import type { SqlClient } from './sql.ts';

export type InsertOutcome =
  | { kind: 'stored' }
  /** It replaced the stored batch of the same key, which was partial and saw fewer frames. */
  | { kind: 'superseded' }
  /**
   * Already stored. `sameContent` false: the stored copy has other counts (it was kept as it
   * was). The seq is not compared: a restarted agent replaying a file numbers its bins anew.
   * `lessComplete`: this one is partial and the stored copy saw at least as much of the bin, so
   * ignoring it is the expected outcome (a rerun stopped early), not a conflict.
   */
  | { kind: 'duplicate'; sameContent: boolean; lessComplete?: boolean }
  /**
   * Not stored: the bin starts before the camera's retention horizon (retention.ts), where old
   * bins have been rewritten into roll-ups and their batchIds are gone, so a late raw batch
   * there could be counted twice. `horizon`: ISO time before which the camera takes no raw batch.
   */
  | { kind: 'too-old'; horizon: string };

/** What a time-range query over one camera's bins selects; `to` is exclusive. */
export interface BinRange {
  site: string;
  camera?: string;
  from?: Date;
  to?: Date;
}

export interface BinQuality {
  site: string;
  camera: string;
  binStartMs: number;
  binSeconds: number;
  gapSeconds: number;
  framesProcessed: number;
  framesExpected: number;
}

/** SQL condition and parameters for a BinRange on the count_bins alias `b`. */
export function rangeWhere(range: BinRange): { sql: string; params: Record<string, string | number> } {
  const parts = ['b.site = @site'];
  const params: Record<string, string | number> = { site: range.site };
  if (range.camera !== undefined) {
    parts.push('b.camera = @camera');
    params.camera = range.camera;
  }
  if (range.from) {
    parts.push('b.bin_start_ms >= @fromMs');
    params.fromMs = range.from.getTime();
  }
  if (range.to) {
    parts.push('b.bin_start_ms < @toMs');
    params.toMs = range.to.getTime();
  }
  return { sql: parts.join(' AND '), params };
}

/**
 * The stored key of a batch: its batchId scoped by the camera that sent it (the topic's and the
 * authenticated account's, which ingest has checked). Ids cannot contain "/", so two cameras'
 * keys never meet whatever batchId each chooses.
 */
export function binKey(site: string, camera: string, batchId: string): string {
  return `${site}/${camera}/${batchId}`;
}

const INSERT_BIN = `
  INSERT INTO count_bins (batch_id, site, camera, seq, bin_start, bin_start_ms, bin_seconds, frames_processed, frames_expected, gap_seconds, received_at, payload)
  VALUES (@batchId, @site, @camera, @seq, @binStart, @binStartMs, @binSeconds, @framesProcessed, @framesExpected, @gapSeconds, @receivedAt, @payload)
  ON CONFLICT(batch_id) DO NOTHING`;

export class CountBins {
  constructor(private readonly sql: SqlClient) {}

  /** Stores a validated batch and its counts in one transaction, or reports it as a duplicate. */
  insert(batch: CountBatch, receivedAt: Date): Promise<InsertOutcome> {
    return this.sql.transaction((tx) => insertBatch(tx, batch, receivedAt));
  }

  /** Many batches in one transaction (a generated history): how many were new and how many already stored. */
  insertMany(batches: Iterable<CountBatch>, receivedAt: Date): Promise<{ stored: number; duplicates: number }> {
    return this.sql.transaction(async (tx) => {
      let stored = 0;
      let duplicates = 0;
      for (const batch of batches) {
        const { kind } = await insertBatch(tx, batch, receivedAt);
        if (kind === 'stored' || kind === 'superseded') stored++;
        else duplicates++;
      }
      return { stored, duplicates };
    });
  }

  async count(): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM count_bins'))!.n;
  }

  /** The stored batches of a range, oldest bin first (then by seq): the order the edge made them. */
  async batches(range: BinRange): Promise<CountBatch[]> {
    const where = rangeWhere(range);
    const rows = await this.sql.all<{ payload: string }>(`SELECT payload FROM count_bins b WHERE ${where.sql} ORDER BY b.bin_start_ms, b.seq`, where.params);
    return rows.map((r) => JSON.parse(r.payload) as CountBatch);
  }

  /** Per-bin coverage figures of a range, oldest first. */
  quality(range: BinRange): Promise<BinQuality[]> {
    const where = rangeWhere(range);
    return this.sql.all<BinQuality>(
      `SELECT site, camera, bin_start_ms AS "binStartMs", bin_seconds AS "binSeconds", gap_seconds AS "gapSeconds",
              frames_processed AS "framesProcessed", frames_expected AS "framesExpected"
       FROM count_bins b WHERE ${where.sql} ORDER BY b.bin_start_ms`,
      where.params,
    );
  }

  /** The cameras of a site with a bin starting in [fromMs, toMs). */
  async camerasWithBins(site: string, fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.sql.read<{ camera: string }>('SELECT DISTINCT camera FROM count_bins WHERE site = ? AND bin_start_ms >= ? AND bin_start_ms < ? ORDER BY camera', [
      site,
      fromMs,
      toMs,
    ]);
    return rows.map((r) => r.camera);
  }

  /** Whether any stored bin of the camera has this line (or zone). */
  async hasFeature(site: string, camera: string, kind: 'line' | 'zone', id: string): Promise<boolean> {
    const sql =
      kind === 'line'
        ? 'SELECT 1 FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE b.site = ? AND b.camera = ? AND l.line_id = ? LIMIT 1'
        : 'SELECT 1 FROM count_bins b JOIN zone_bins z ON z.batch_id = b.batch_id WHERE b.site = ? AND b.camera = ? AND z.zone_id = ? LIMIT 1';
    return (await this.sql.get(sql, [site, camera, id])) !== undefined;
  }

  /** The lines and zones that bins of a site starting at or after `sinceMs` carry. */
  featuresSeen(site: string, sinceMs: number): Promise<{ kind: 'zone' | 'line'; camera: string; id: string }[]> {
    return this.sql.read(
      `SELECT DISTINCT 'zone' AS kind, b.camera, z.zone_id AS id FROM count_bins b JOIN zone_bins z ON z.batch_id = b.batch_id WHERE b.site = @site AND b.bin_start_ms >= @since
       UNION SELECT DISTINCT 'line', b.camera, l.line_id FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE b.site = @site AND b.bin_start_ms >= @since`,
      { site, since: sinceMs },
    );
  }

  /** Of a camera's bins starting in [fromMs, toMs): how many there are, and how many carry the line (or zone). */
  async featureCoverage(site: string, camera: string, kind: 'line' | 'zone', id: string, fromMs: number, toMs: number): Promise<{ bins: number; counted: number }> {
    const feature = kind === 'line' ? 'line_counts f WHERE f.line_id' : 'zone_bins f WHERE f.zone_id';
    const [row] = await this.sql.read<{ bins: number; counted: number }>(
      `SELECT COUNT(*) AS bins, COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM ${feature} = @id AND f.batch_id = b.batch_id) THEN 1 ELSE 0 END), 0) AS counted
       FROM count_bins b WHERE b.site = @site AND b.camera = @camera AND b.bin_start_ms >= @from AND b.bin_start_ms < @to`,
      { id, site, camera, from: fromMs, to: toMs },
    );
    return row!;
  }

  /** A camera's bins starting in [fromMs, toMs) with their line and zone figures; `cls` narrows the class-split ones. */
  async cameraRows(site: string, camera: string, fromMs: number, toMs: number, cls: 'person' | 'cyclist' | 'all'): Promise<CameraBinRows> {
    const classSql = (alias: string) => (cls === 'all' ? '' : `AND ${alias}.class = @cls`);
    const where = 'b.site = @site AND b.camera = @camera AND b.bin_start_ms >= @from AND b.bin_start_ms < @to';
    const p = { site, camera, from: fromMs, to: toMs, cls: cls === 'all' ? undefined : cls };
    const range = { site, camera, from: fromMs, to: toMs };
    return {
      bins: await this.sql.read(
        `SELECT b.batch_id AS "batchId", b.bin_start_ms AS "binStartMs", b.bin_seconds AS "binSeconds", b.gap_seconds AS "gapSeconds" FROM count_bins b WHERE ${where} ORDER BY b.bin_start_ms, b.seq`,
        range,
      ),
      lines: await this.sql.read(
        `SELECT l.batch_id AS "batchId", l.line_id AS id, SUM(l.forward) AS forward, SUM(l.backward) AS backward
         FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE ${where} ${classSql('l')} GROUP BY l.batch_id, l.line_id ORDER BY l.batch_id, l.line_id`,
        p,
      ),
      zoneCounts: await this.sql.read(
        `SELECT zc.batch_id AS "batchId", zc.zone_id AS id, SUM(zc.entries) AS entries, SUM(zc.exits) AS exits
         FROM count_bins b JOIN zone_counts zc ON zc.batch_id = b.batch_id WHERE ${where} ${classSql('zc')} GROUP BY zc.batch_id, zc.zone_id ORDER BY zc.batch_id, zc.zone_id`,
        p,
      ),
      zoneBins: await this.sql.read(
        `SELECT zb.batch_id AS "batchId", zb.zone_id AS id, zb.person_seconds AS "personSeconds", zb.occupancy_max AS "occupancyMax", zb.dwell_histogram AS dwell
         FROM count_bins b JOIN zone_bins zb ON zb.batch_id = b.batch_id WHERE ${where} ORDER BY zb.batch_id, zb.zone_id`,
        range,
      ),
    };
  }

  /** Per camera: the newest bin and when the newest batch arrived. */
  latestPerCamera(): Promise<{ site: string; camera: string; lastBinStart: string; lastReceivedAt: string; batches: number }[]> {
    return this.sql.all(
      `SELECT site, camera, MAX(bin_start) AS "lastBinStart", MAX(received_at) AS "lastReceivedAt", COUNT(*) AS batches
       FROM count_bins GROUP BY site, camera ORDER BY site, camera`,
    );
  }
}

/** One camera's stored figures over a time range, per bin and feature: what the indicators read. */
export interface CameraBinRows {
  bins: { batchId: string; binStartMs: number; binSeconds: number; gapSeconds: number }[];
  /** Per bin and line, summed over the chosen classes. */
  lines: { batchId: string; id: string; forward: number; backward: number }[];
  /** Per bin and zone, summed over the chosen classes. */
  zoneCounts: { batchId: string; id: string; entries: number; exits: number }[];
  /** Per bin and zone (not split by class); `dwell` is the histogram's JSON. */
  zoneBins: { batchId: string; id: string; personSeconds: number; occupancyMax: number; dwell: string }[];
}

/**
 * The insert itself, inside the caller's transaction (one batch, or a group of them: see StoreIngest).
 * `rollup`: a roll-up Retention writes below the horizon it is moving (no horizon check).
 */
export async function insertBatch(tx: SqlClient, batch: CountBatch, receivedAt: Date, options: { rollup?: boolean } = {}): Promise<InsertOutcome> {
  const key = binKey(batch.site, batch.camera, batch.batchId);
  if (!options.rollup) {
    const horizon = await rawHorizon(tx, batch.site, batch.camera);
    if (horizon !== undefined && Date.parse(batch.binStart) < horizon) {
      // A batch still stored (an hour compaction left raw) is a duplicate as usual.
      const stored = await tx.get<{ payload: string }>('SELECT payload FROM count_bins WHERE batch_id = ?', [key]);
      if (stored) return againOrSupersede(tx, key, stored.payload, batch, receivedAt);
      return { kind: 'too-old', horizon: new Date(horizon).toISOString() };
    }
  }
  return (await insertNew(tx, key, batch, receivedAt)) ? { kind: 'stored' } : againOrSupersede(tx, key, undefined, batch, receivedAt);
}

/** Inserts the batch and its rows under `key`; false when the key is already stored (nothing written). */
async function insertNew(tx: SqlClient, key: string, batch: CountBatch, receivedAt: Date): Promise<boolean> {
  const payload = JSON.stringify(batch);
  const result = await tx.run(INSERT_BIN, {
    batchId: key,
    site: batch.site,
    camera: batch.camera,
    seq: batch.seq,
    binStart: batch.binStart,
    binStartMs: Date.parse(batch.binStart),
    binSeconds: batch.binSeconds,
    framesProcessed: batch.quality.framesProcessed,
    framesExpected: batch.quality.framesExpected,
    gapSeconds: batch.quality.gapSeconds,
    receivedAt: receivedAt.toISOString(),
    payload,
  });
  if (result.changes === 0) return false;
  // One multi-row INSERT per table: on PostgreSQL every statement is a round trip.
  const lines = Object.entries(batch.lines).flatMap(([id, l]) => MOVEMENT_CLASSES.map((cls) => [key, id, cls, l.forward[cls], l.backward[cls]]));
  const zones = Object.entries(batch.zones);
  const zoneClasses = zones.flatMap(([id, z]) => MOVEMENT_CLASSES.map((cls) => [key, id, cls, z.entries[cls], z.exits[cls]]));
  const zoneBins = zones.map(([id, z]) => [key, id, z.personSeconds, z.occupancyMax, z.occupancyMean, JSON.stringify(z.dwellHistogram)]);
  // The protocol does not forbid two entries for the same pair of zones: they add up.
  const flowSums = new Map<string, { from: string; to: string; count: number }>();
  for (const f of batch.flows) {
    const key = JSON.stringify([f.from, f.to]);
    const sum = flowSums.get(key);
    if (sum) sum.count += f.count;
    else flowSums.set(key, { ...f });
  }
  const flows = [...flowSums.values()].map((f) => [key, f.from, f.to, f.count]);
  await insertRows(tx, 'line_counts (batch_id, line_id, class, forward, backward)', lines);
  await insertRows(tx, 'zone_counts (batch_id, zone_id, class, entries, exits)', zoneClasses);
  await insertRows(tx, 'zone_bins (batch_id, zone_id, person_seconds, occupancy_max, occupancy_mean, dwell_histogram)', zoneBins);
  await insertRows(tx, 'flows (batch_id, from_zone, to_zone, count)', flows);
  return true;
}

/**
 * The key is taken. A stored partial batch gives way to one that saw more of the bin (the
 * complete one of a full rerun, or a longer partial); anything else is a duplicate, kept as
 * stored. Replacing deletes the row (its counts go with it: ON DELETE CASCADE) and inserts anew.
 */
async function againOrSupersede(tx: SqlClient, key: string, storedPayload: string | undefined, batch: CountBatch, receivedAt: Date): Promise<InsertOutcome> {
  const payload = storedPayload ?? (await tx.get<{ payload: string }>('SELECT payload FROM count_bins WHERE batch_id = ?', [key]))!.payload;
  const stored = JSON.parse(payload) as CountBatch;
  const duplicate = duplicateOf(stored, batch);
  if (duplicate.sameContent) return duplicate;
  const seesMore = batch.quality.framesProcessed > stored.quality.framesProcessed;
  if (stored.partial && (!batch.partial || seesMore)) {
    await tx.run('DELETE FROM count_bins WHERE batch_id = ?', [key]);
    await insertNew(tx, key, batch, receivedAt);
    return { kind: 'superseded' };
  }
  return batch.partial && !seesMore ? { ...duplicate, lessComplete: true } : duplicate;
}

/** Rows in chunks (SQLite takes at most 32,766 parameters in one statement). */
async function insertRows(tx: SqlClient, into: string, rows: readonly (readonly (string | number)[])[]): Promise<void> {
  if (rows.length === 0) return;
  const width = rows[0].length;
  const per = Math.floor(30_000 / width);
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const placeholders = chunk.map(() => `(${Array(width).fill('?').join(', ')})`).join(', ');
    await tx.run(`INSERT INTO ${into} VALUES ${placeholders}`, chunk.flat());
  }
}

function duplicateOf(stored: CountBatch, batch: CountBatch): { kind: 'duplicate'; sameContent: boolean } {
  return { kind: 'duplicate', sameContent: JSON.stringify({ ...stored, seq: 0 }) === JSON.stringify({ ...batch, seq: 0 }) };
}

/**
 * The camera's raw horizon (epoch ms), or undefined before its first compaction. On PostgreSQL
 * the camera's row is locked FOR KEY SHARE first (what the insert's foreign key takes anyway):
 * compaction holds it FOR UPDATE while it rewrites and moves the horizon, so an insert either
 * commits before a compaction reads the bins, or reads the horizon that compaction committed.
 * (SQLite has one writer at a time: the transaction already holds everyone else out.)
 */
async function rawHorizon(tx: SqlClient, site: string, camera: string): Promise<number | undefined> {
  if (tx.dialect === 'postgres') await tx.get('SELECT 1 FROM cameras WHERE site = ? AND camera = ? FOR KEY SHARE', [site, camera]);
  const row = await tx.get<{ ms: number }>('SELECT raw_before_ms AS ms FROM retention_horizons WHERE site = ? AND camera = ?', [site, camera]);
  return row?.ms;
}
