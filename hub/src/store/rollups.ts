/**
 * Counts summed over time buckets (15 min, hour, day, ISO week), in SQL. Buckets are UTC;
 * a bin counts wholly in the bucket its start falls in (bins are much shorter than buckets).
 * Weeks start on Monday 00:00 UTC.
 */
import type { MovementClass } from '@byliv/protocol';
import type { SqlClient } from './sql.ts';
import { rangeWhere, type BinRange } from './batches.ts';

export const ROLLUPS = ['15m', 'hour', 'day', 'week'] as const;
export type Rollup = (typeof ROLLUPS)[number];

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** Bucket size and origin in ms: 1970-01-05 was a Monday. */
const SIZES: Record<Rollup, { size: number; offset: number }> = {
  '15m': { size: 15 * MINUTE, offset: 0 },
  hour: { size: 60 * MINUTE, offset: 0 },
  day: { size: DAY, offset: 0 },
  week: { size: 7 * DAY, offset: 4 * DAY },
};

/** The length of each bucket in ms. */
export const ROLLUP_MS: Readonly<Record<Rollup, number>> = Object.fromEntries(ROLLUPS.map((r) => [r, SIZES[r].size])) as Record<Rollup, number>;

/** The start (epoch ms, UTC) of the bucket holding `ms`: the rule the SQL below follows. */
export function bucketStart(ms: number, rollup: Rollup): number {
  const { size, offset } = SIZES[rollup];
  return ms - ((((ms - offset) % size) + size) % size);
}

const BUCKET_SQL = '(b.bin_start_ms - (((b.bin_start_ms - @offset) % @size) + @size) % @size)';

/** `all` sums both classes. */
export type ClassFilter = MovementClass | 'all';

export interface LineRollupRow {
  bucketMs: number;
  site: string;
  camera: string;
  line: string;
  forward: number;
  backward: number;
}

export interface ZoneRollupRow {
  bucketMs: number;
  site: string;
  camera: string;
  zone: string;
  entries: number;
  exits: number;
  personSeconds: number;
  occupancyMax: number;
}

export interface CoverageRow {
  bucketMs: number;
  site: string;
  camera: string;
  bins: number;
  observedSeconds: number;
  framesProcessed: number;
  framesExpected: number;
}

/**
 * One measure of one feature in one bucket, the export's unit: line forward/backward and
 * zone entries/exits by class; zone person-seconds over both classes, with the zone's
 * entries beside it (the export shows person-seconds only where enough people came in).
 */
export interface MeasureRow {
  bucketMs: number;
  site: string;
  camera: string;
  feature: 'line' | 'zone';
  featureId: string;
  measure: 'forward' | 'backward' | 'entries' | 'exits' | 'person_seconds';
  class: MovementClass | 'all';
  value: number;
  /** person_seconds rows: the zone's entries (both classes) in the bucket. */
  entries?: number;
}

function params(range: BinRange, rollup: Rollup) {
  const where = rangeWhere(range);
  return { where: where.sql, params: { ...where.params, ...SIZES[rollup] } };
}

export class CountRollups {
  constructor(private readonly sql: SqlClient) {}

  lines(range: BinRange, rollup: Rollup, cls: ClassFilter): Promise<LineRollupRow[]> {
    const { where, params: p } = params(range, rollup);
    const classSql = cls === 'all' ? '' : 'AND l.class = @cls';
    return this.sql.read<LineRollupRow>(
      `SELECT ${BUCKET_SQL} AS "bucketMs", b.site, b.camera, l.line_id AS line, SUM(l.forward) AS forward, SUM(l.backward) AS backward
       FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id
       WHERE ${where} ${classSql}
       GROUP BY "bucketMs", b.site, b.camera, l.line_id ORDER BY "bucketMs", b.site, b.camera, l.line_id`,
      cls === 'all' ? p : { ...p, cls },
    );
  }

  zones(range: BinRange, rollup: Rollup, cls: ClassFilter): Promise<ZoneRollupRow[]> {
    const { where, params: p } = params(range, rollup);
    const classSql = cls === 'all' ? '' : 'AND zc.class = @cls';
    return this.sql.read<ZoneRollupRow>(
      `SELECT ${BUCKET_SQL} AS "bucketMs", b.site, b.camera, zb.zone_id AS zone,
              SUM((SELECT SUM(zc.entries) FROM zone_counts zc WHERE zc.batch_id = b.batch_id AND zc.zone_id = zb.zone_id ${classSql})) AS entries,
              SUM((SELECT SUM(zc.exits) FROM zone_counts zc WHERE zc.batch_id = b.batch_id AND zc.zone_id = zb.zone_id ${classSql})) AS exits,
              SUM(zb.person_seconds) AS "personSeconds", MAX(zb.occupancy_max) AS "occupancyMax"
       FROM count_bins b JOIN zone_bins zb ON zb.batch_id = b.batch_id
       WHERE ${where}
       GROUP BY "bucketMs", b.site, b.camera, zb.zone_id ORDER BY "bucketMs", b.site, b.camera, zb.zone_id`,
      cls === 'all' ? p : { ...p, cls },
    );
  }

  /** How much of each bucket each camera saw: Σ (binSeconds − gapSeconds) and frame counts. */
  coverage(range: BinRange, rollup: Rollup): Promise<CoverageRow[]> {
    const { where, params: p } = params(range, rollup);
    return this.sql.read<CoverageRow>(
      `SELECT ${BUCKET_SQL} AS "bucketMs", b.site, b.camera, COUNT(*) AS bins, SUM(b.bin_seconds - b.gap_seconds) AS "observedSeconds",
              SUM(b.frames_processed) AS "framesProcessed", SUM(b.frames_expected) AS "framesExpected"
       FROM count_bins b WHERE ${where}
       GROUP BY "bucketMs", b.site, b.camera ORDER BY "bucketMs", b.site, b.camera`,
      p,
    );
  }

  /**
   * Lines, then zones by class, then zone person-seconds; streamed (a second connection or a
   * cursor), so an export of years never sits in memory and ingest keeps writing meanwhile.
   */
  async *measures(range: BinRange, rollup: Rollup): AsyncGenerator<MeasureRow> {
    const { where, params: p } = params(range, rollup);
    const key = '"bucketMs", b.site, b.camera';
    const lines = this.sql.stream<{ bucketMs: number; site: string; camera: string; featureId: string; class: MovementClass; forward: number; backward: number }>(
      `SELECT ${BUCKET_SQL} AS "bucketMs", b.site, b.camera, l.line_id AS "featureId", l.class, SUM(l.forward) AS forward, SUM(l.backward) AS backward
       FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE ${where}
       GROUP BY ${key}, l.line_id, l.class ORDER BY ${key}, l.line_id, l.class`,
      p,
    );
    for await (const r of lines) {
      const base = { bucketMs: r.bucketMs, site: r.site, camera: r.camera, feature: 'line' as const, featureId: r.featureId, class: r.class };
      yield { ...base, measure: 'forward', value: r.forward };
      yield { ...base, measure: 'backward', value: r.backward };
    }
    const zones = this.sql.stream<{ bucketMs: number; site: string; camera: string; featureId: string; class: MovementClass; entries: number; exits: number }>(
      `SELECT ${BUCKET_SQL} AS "bucketMs", b.site, b.camera, zc.zone_id AS "featureId", zc.class, SUM(zc.entries) AS entries, SUM(zc.exits) AS exits
       FROM count_bins b JOIN zone_counts zc ON zc.batch_id = b.batch_id WHERE ${where}
       GROUP BY ${key}, zc.zone_id, zc.class ORDER BY ${key}, zc.zone_id, zc.class`,
      p,
    );
    for await (const r of zones) {
      const base = { bucketMs: r.bucketMs, site: r.site, camera: r.camera, feature: 'zone' as const, featureId: r.featureId, class: r.class };
      yield { ...base, measure: 'entries', value: r.entries };
      yield { ...base, measure: 'exits', value: r.exits };
    }
    const stays = this.sql.stream<{ bucketMs: number; site: string; camera: string; featureId: string; value: number; entries: number }>(
      `SELECT ${BUCKET_SQL} AS "bucketMs", b.site, b.camera, zb.zone_id AS "featureId", SUM(zb.person_seconds) AS value,
              SUM((SELECT SUM(zc.entries) FROM zone_counts zc WHERE zc.batch_id = b.batch_id AND zc.zone_id = zb.zone_id)) AS entries
       FROM count_bins b JOIN zone_bins zb ON zb.batch_id = b.batch_id WHERE ${where}
       GROUP BY ${key}, zb.zone_id ORDER BY ${key}, zb.zone_id`,
      p,
    );
    for await (const r of stays) yield { ...r, feature: 'zone', measure: 'person_seconds', class: 'all' };
  }
}
