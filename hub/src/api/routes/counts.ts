/** Counts rolled up over time (UTC buckets), and the CountSummary of a camera over a range. */
import { createRoute } from '@hono/zod-openapi';
import { CountSummary } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import { ROLLUPS, ROLLUP_MS } from '../../store/index.ts';
import { summarizeBatches } from '../../report/index.ts';
import { requireRole } from '../auth.ts';
import { UTC_TIME, apiRouter, errors, json, orderedRange, roles, z } from '../contract.ts';
import { CountsQuery, SummaryQuery } from '../params.ts';
import { MovementClass, Time } from '../schemas.ts';
import { requireSite, resolveCamera } from './resolve.ts';

const iso = (ms: number) => new Date(ms).toISOString();

const bucket = {
  start: Time.openapi({ description: 'Start of the UTC bucket, inclusive' }),
  end: Time.openapi({ description: 'End of the UTC bucket, exclusive' }),
  site: z.string(),
  camera: z.string(),
};
const observedSeconds = z.number().openapi({ description: 'Seconds of the bucket the camera observed (binSeconds − gapSeconds of its bins)' });

const LineCountRow = z
  .object({ ...bucket, line: z.string(), class: MovementClass, forward: z.number().int(), backward: z.number().int(), observedSeconds })
  .openapi('LineCountRow', { description: 'by=line: crossings of a line in its forward direction (left to right as drawn) and back' });
const ZoneCountRow = z
  .object({
    ...bucket,
    zone: z.string(),
    class: MovementClass,
    entries: z.number().int(),
    exits: z.number().int(),
    personSeconds: z.number().openapi({ description: 'Over both classes' }),
    occupancyMax: z.number().int().openapi({ description: 'Over both classes' }),
    observedSeconds,
  })
  .openapi('ZoneCountRow', { description: 'by=zone: entries and exits of the class; person-seconds and the largest occupancy over both classes' });

export const Counts = z
  .object({
    site: z.string(),
    camera: z.string().nullable(),
    from: Time.nullable(),
    to: Time.nullable(),
    rollup: z.enum(ROLLUPS),
    by: z.enum(['line', 'zone']),
    class: MovementClass,
    timeZone: z.literal('UTC'),
    rows: z.array(z.union([LineCountRow, ZoneCountRow])),
  })
  .openapi('Counts');

export function countsRoutes(store: HubStore) {
  const app = apiRouter();
  const readers = requireRole(store, 'admin', 'planner');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/counts',
      summary: 'Counts summed over UTC time buckets',
      description: `${roles('admin', 'planner')} ${UTC_TIME} Weeks start on Monday 00:00 UTC; a bin counts in the bucket its start falls in. observedSeconds says how much of the bucket the camera saw.`,
      middleware: [readers] as const,
      request: { query: CountsQuery },
      responses: { 200: json(Counts), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      orderedRange(q);
      await requireSite(store, q.site);
      const range = { site: q.site, camera: q.camera, from: q.from, to: q.to };
      const coverage = new Map((await store.rollups.coverage(range, q.rollup)).map((r) => [`${r.bucketMs}|${r.site}|${r.camera}`, r]));
      const observed = (r: { bucketMs: number; site: string; camera: string }) =>
        Math.round((coverage.get(`${r.bucketMs}|${r.site}|${r.camera}`)?.observedSeconds ?? 0) * 1000) / 1000;
      // Fixed bucket lengths: the buckets are UTC, which has no daylight-saving jumps.
      const end = (ms: number) => iso(ms + ROLLUP_MS[q.rollup]);
      const rows =
        q.by === 'line'
          ? (await store.rollups.lines(range, q.rollup, q.class)).map((r) => ({
              start: iso(r.bucketMs),
              end: end(r.bucketMs),
              site: r.site,
              camera: r.camera,
              line: r.line,
              class: q.class,
              forward: r.forward,
              backward: r.backward,
              observedSeconds: observed(r),
            }))
          : (await store.rollups.zones(range, q.rollup, q.class)).map((r) => ({
              start: iso(r.bucketMs),
              end: end(r.bucketMs),
              site: r.site,
              camera: r.camera,
              zone: r.zone,
              class: q.class,
              entries: r.entries,
              exits: r.exits,
              personSeconds: Math.round(r.personSeconds * 1000) / 1000,
              occupancyMax: r.occupancyMax,
              observedSeconds: observed(r),
            }));
      return c.json(
        {
          site: q.site,
          camera: q.camera ?? null,
          from: q.from?.toISOString() ?? null,
          to: q.to?.toISOString() ?? null,
          rollup: q.rollup,
          by: q.by,
          class: q.class,
          timeZone: 'UTC' as const,
          rows,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/summary',
      summary: 'Totals of one camera over a range (the CountSummary the edge prints for a run)',
      description:
        `${roles('admin', 'planner')} ${UTC_TIME} seconds = Σ (binSeconds − gapSeconds) and frames = Σ framesProcessed over the bins; lines and zones summed over classes; maxOccupancy the largest occupancyMax; ` +
        'visits = the ended visits of the dwell histogram, stayingVisits those of at least 30 s, medianDwellSeconds interpolated in its bucket (null without visits).',
      middleware: [readers] as const,
      request: { query: SummaryQuery },
      responses: { 200: json(CountSummary.meta({ id: 'CountSummary' })), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      orderedRange(q);
      const { site, camera } = await resolveCamera(store, q.camera, q.site);
      return c.json(summarizeBatches(await store.bins.batches({ site, camera, from: q.from, to: q.to })), 200);
    },
  );

  return app;
}
