/**
 * Count bins: each CountBatch stored once, keyed by its batchId, in one transaction with its
 * normalised line, zone and flow rows. A batch seen again is a normal event (the edge resends
 * after any doubt), not an error.
 */
import { MOVEMENT_CLASSES, type CountBatch } from '@byliv/protocol';
import type { Db } from './database.ts';

export type InsertOutcome =
  | { kind: 'stored' }
  /**
   * Already stored. `sameContent` false: the stored copy has other counts (it was kept as it
   * was). The seq is not compared: a restarted agent replaying a file numbers its bins anew.
   */
  | { kind: 'duplicate'; sameContent: boolean };

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

export class CountBins {
  private readonly insertBin;
  private readonly insertLine;
  private readonly insertZoneClass;
  private readonly insertZone;
  private readonly insertFlow;
  private readonly storedPayload;

  constructor(private readonly db: Db) {
    this.insertBin = db.prepare(`
      INSERT INTO count_bins (batch_id, site, camera, seq, bin_start, bin_start_ms, bin_seconds, frames_processed, frames_expected, gap_seconds, received_at, payload)
      VALUES (@batchId, @site, @camera, @seq, @binStart, @binStartMs, @binSeconds, @framesProcessed, @framesExpected, @gapSeconds, @receivedAt, @payload)
      ON CONFLICT(batch_id) DO NOTHING`);
    this.insertLine = db.prepare('INSERT INTO line_counts (batch_id, line_id, class, forward, backward) VALUES (?, ?, ?, ?, ?)');
    this.insertZoneClass = db.prepare('INSERT INTO zone_counts (batch_id, zone_id, class, entries, exits) VALUES (?, ?, ?, ?, ?)');
    this.insertZone = db.prepare(
      'INSERT INTO zone_bins (batch_id, zone_id, person_seconds, occupancy_max, occupancy_mean, dwell_histogram) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // The protocol does not forbid two entries for the same pair of zones: they add up.
    this.insertFlow = db.prepare(
      'INSERT INTO flows (batch_id, from_zone, to_zone, count) VALUES (?, ?, ?, ?) ON CONFLICT(batch_id, from_zone, to_zone) DO UPDATE SET count = count + excluded.count',
    );
    this.storedPayload = db.prepare('SELECT payload FROM count_bins WHERE batch_id = ?').pluck();
  }

  /** Stores a validated batch and its counts in one transaction, or reports it as a duplicate. */
  insert(batch: CountBatch, receivedAt: Date): InsertOutcome {
    const payload = JSON.stringify(batch);
    return this.db.transaction((): InsertOutcome => {
      const result = this.insertBin.run({
        batchId: batch.batchId,
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
      if (result.changes === 0) {
        const stored = JSON.parse(this.storedPayload.get(batch.batchId) as string) as CountBatch;
        return { kind: 'duplicate', sameContent: JSON.stringify({ ...stored, seq: 0 }) === JSON.stringify({ ...batch, seq: 0 }) };
      }
      for (const [lineId, line] of Object.entries(batch.lines)) {
        for (const cls of MOVEMENT_CLASSES) this.insertLine.run(batch.batchId, lineId, cls, line.forward[cls], line.backward[cls]);
      }
      for (const [zoneId, zone] of Object.entries(batch.zones)) {
        for (const cls of MOVEMENT_CLASSES) this.insertZoneClass.run(batch.batchId, zoneId, cls, zone.entries[cls], zone.exits[cls]);
        this.insertZone.run(batch.batchId, zoneId, zone.personSeconds, zone.occupancyMax, zone.occupancyMean, JSON.stringify(zone.dwellHistogram));
      }
      for (const flow of batch.flows) this.insertFlow.run(batch.batchId, flow.from, flow.to, flow.count);
      return { kind: 'stored' };
    })();
  }

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM count_bins').pluck().get() as number;
  }

  /** The stored batches of a range, oldest bin first (then by seq): the order the edge made them. */
  batches(range: BinRange): CountBatch[] {
    const where = rangeWhere(range);
    const rows = this.db.prepare(`SELECT payload FROM count_bins b WHERE ${where.sql} ORDER BY b.bin_start_ms, b.seq`).pluck().all(where.params) as string[];
    return rows.map((p) => JSON.parse(p) as CountBatch);
  }

  /** Per-bin coverage figures of a range, oldest first. */
  quality(range: BinRange): BinQuality[] {
    const where = rangeWhere(range);
    return this.db
      .prepare(
        `SELECT site, camera, bin_start_ms AS binStartMs, bin_seconds AS binSeconds, gap_seconds AS gapSeconds,
                frames_processed AS framesProcessed, frames_expected AS framesExpected
         FROM count_bins b WHERE ${where.sql} ORDER BY b.bin_start_ms`,
      )
      .all(where.params) as BinQuality[];
  }

  /** Per camera: the newest bin and when the newest batch arrived. */
  latestPerCamera(): { site: string; camera: string; lastBinStart: string; lastReceivedAt: string; batches: number }[] {
    return this.db
      .prepare(
        `SELECT site, camera, MAX(bin_start) AS lastBinStart, MAX(received_at) AS lastReceivedAt, COUNT(*) AS batches
         FROM count_bins GROUP BY site, camera`,
      )
      .all() as { site: string; camera: string; lastBinStart: string; lastReceivedAt: string; batches: number }[];
  }
}
