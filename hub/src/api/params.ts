/**
 * Query parameters of the UTC routes (counts, summary, completeness, export): each parameter
 * checked and described once; the routes' createRoute definitions use these schemas, so the
 * 400s name each bad parameter the same way everywhere.
 */
import { z } from '@hono/zod-openapi';
import { Id } from '@byliv/protocol';
import { ROLLUPS } from '../store/index.ts';
import { badRequest } from './errors.ts';

/**
 * The years a query may name. Counts exist from the 2020s on; a year like 0999 or 9999 is a
 * typo or a probe, and outside this span the stores' time arithmetic is not defined
 * (PostgreSQL answered 0999-01-01 with a 500).
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2100;
const EARLIEST_MS = Date.UTC(FIRST_YEAR, 0, 1);
const LATEST_MS = Date.UTC(LAST_YEAR + 1, 0, 1);
export const YEARS_MESSAGE = `must lie in the years ${FIRST_YEAR} to ${LAST_YEAR}`;

/** Whether epoch ms `ms` lies within FIRST_YEAR…LAST_YEAR (the start of LAST_YEAR + 1 as an exclusive end included). */
export const withinYears = (ms: number): boolean => ms >= EARLIEST_MS && ms <= LATEST_MS;

/** A full ISO 8601 time with an offset, or a date (midnight UTC). */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s))
  .refine((d) => withinYears(d.getTime()), { message: YEARS_MESSAGE })
  .openapi({ description: 'An ISO 8601 time with offset, or a date YYYY-MM-DD (its midnight UTC)', example: '2025-05-01T00:00:00Z' });

// .meta, not .openapi: Id was made by @byliv/protocol, before zod was extended with .openapi.
export const SiteParam = Id.meta({ description: 'Site id', example: 'park' });
export const CameraParam = Id.meta({ description: 'Camera id', example: 'cam1' });

export const RangeQuery = z.object({
  from: Instant.optional().openapi({ description: 'Start of the range, inclusive (bins starting at or after it). An ISO 8601 time with offset, or a date (its midnight UTC).' }),
  to: Instant.optional().openapi({ description: 'End of the range, exclusive; after `from`.' }),
});
export const Rollup = z.enum(ROLLUPS).default('hour').openapi({ description: 'Bucket length; UTC buckets, weeks start on Monday' });
export const ClassQuery = z.enum(['person', 'cyclist', 'all']).default('all').openapi({ description: 'One movement class, or all (summed)' });

export const CountsQuery = RangeQuery.extend({
  site: SiteParam,
  camera: CameraParam.optional().openapi({ description: 'Only this camera' }),
  rollup: Rollup,
  by: z.enum(['line', 'zone']).default('line').openapi({ description: 'Lines (by direction) or zones' }),
  class: ClassQuery,
}).strict();

const cameraAt = {
  camera: CameraParam,
  site: SiteParam.optional().openapi({ description: 'Needed when the camera id is used at several sites' }),
};
export const SummaryQuery = RangeQuery.extend(cameraAt).strict();
export const CompletenessQuery = RangeQuery.extend(cameraAt).strict();
export const ExportQuery = RangeQuery.extend({
  site: SiteParam,
  camera: CameraParam.optional().openapi({ description: 'Only this camera' }),
  rollup: Rollup,
  format: z
    .enum(['csv', 'json'])
    .default('csv')
    .openapi({ description: 'csv: a header line, then rows; json: { header: { title, query, generatedAt, timeZone, suppressBelow, citation, columns }, rows: [ExportRow…] }' }),
}).strict();

/** The request body as JSON, or a 400 saying it is not JSON (for bodies the route checks itself: the imports). */
export async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw badRequest('the request body must be JSON');
  }
}
