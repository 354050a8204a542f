/**
 * Query parameters of the UTC routes (counts, summary, completeness, export): each parameter
 * checked and described once; the routes' createRoute definitions use these schemas, so the
 * 400s name each bad parameter the same way everywhere.
 */
import { z } from '@hono/zod-openapi';
import { Id } from '@byliv/protocol';
import { ROLLUPS } from '../store/index.ts';
import { badRequest } from './errors.ts';

/** A full ISO 8601 time with an offset, or a date (midnight UTC). */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s))
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
