/** Counts rolled up over time, and the CountSummary of a camera over a range. */
import { Hono } from 'hono';
import type { HubStore } from '../../store/index.ts';
import { ROLLUP_MS } from '../../store/index.ts';
import { summarizeBatches } from '../../report/index.ts';
import { requireRole, type ApiEnv } from '../auth.ts';
import { CountsQuery, SummaryQuery, parseQuery } from '../params.ts';
import { requireSite, resolveCamera } from './resolve.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function countsRoutes(store: HubStore) {
  const app = new Hono<ApiEnv>();
  const readers = requireRole(store, 'admin', 'planner');

  app.get('/counts', readers, (c) => {
    const q = parseQuery(CountsQuery, c.req.query());
    requireSite(store, q.site);
    const range = { site: q.site, camera: q.camera, from: q.from, to: q.to };
    const coverage = new Map(store.rollups.coverage(range, q.rollup).map((r) => [`${r.bucketMs}|${r.site}|${r.camera}`, r]));
    const observed = (r: { bucketMs: number; site: string; camera: string }) =>
      Math.round((coverage.get(`${r.bucketMs}|${r.site}|${r.camera}`)?.observedSeconds ?? 0) * 1000) / 1000;
    // Fixed bucket lengths: the buckets are UTC, which has no daylight-saving jumps.
    const end = (ms: number) => iso(ms + ROLLUP_MS[q.rollup]);
    const rows =
      q.by === 'line'
        ? store.rollups.lines(range, q.rollup, q.class).map((r) => ({
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
        : store.rollups.zones(range, q.rollup, q.class).map((r) => ({
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
    return c.json({
      site: q.site,
      camera: q.camera ?? null,
      from: q.from?.toISOString() ?? null,
      to: q.to?.toISOString() ?? null,
      rollup: q.rollup,
      by: q.by,
      class: q.class,
      timeZone: 'UTC',
      rows,
    });
  });

  app.get('/summary', readers, (c) => {
    const q = parseQuery(SummaryQuery, c.req.query());
    const { site, camera } = resolveCamera(store, q.camera, q.site);
    return c.json(summarizeBatches(store.bins.batches({ site, camera, from: q.from, to: q.to })));
  });

  return app;
}
