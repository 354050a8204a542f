/** Camera health (latest status, last seen, outbox depth), hourly completeness, dead letters. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { HubStore } from '../../store/index.ts';
import { hourlyCompleteness, MAX_COMPLETENESS_HOURS } from '../../report/index.ts';
import { requireRole, type ApiEnv } from '../auth.ts';
import { badRequest } from '../errors.ts';
import { CompletenessQuery, parseQuery } from '../params.ts';
import { resolveCamera } from './resolve.ts';

const DAY_MS = 86_400_000;
const later = (a: string | null | undefined, b: string | null | undefined) => (!a ? (b ?? null) : !b ? a : a > b ? a : b);

export function healthRoutes(store: HubStore, clock: () => Date) {
  const app = new Hono<ApiEnv>();
  const readers = requireRole(store, 'admin', 'planner');

  app.get('/health/cameras', readers, (c) => {
    const bins = new Map(store.bins.latestPerCamera().map((b) => [`${b.site}/${b.camera}`, b]));
    const cameras = store.cameras.list().map(({ site, camera }) => {
      const latest = store.statuses.latest(site, camera);
      const b = bins.get(`${site}/${camera}`);
      return {
        site,
        camera,
        // the hub's own clock: when it last heard anything from the camera
        lastSeen: later(latest?.receivedAt, b?.lastReceivedAt),
        state: latest?.status.state ?? 'unknown',
        outboxDepth: latest?.status.outboxDepth ?? null,
        outboxDropped: latest?.status.outboxDropped ?? null,
        lastBinStart: b?.lastBinStart ?? null,
        batches: b?.batches ?? 0,
        status: latest ? { ...latest.status, receivedAt: latest.receivedAt } : null,
      };
    });
    return c.json({ cameras });
  });

  app.get('/health/completeness', readers, (c) => {
    const q = parseQuery(CompletenessQuery, c.req.query());
    const { site, camera } = resolveCamera(store, q.camera, q.site);
    const to = q.to ?? clock();
    const from = q.from ?? new Date(to.getTime() - DAY_MS);
    if (to.getTime() - from.getTime() > MAX_COMPLETENESS_HOURS * 3_600_000) throw badRequest(`the range is longer than ${MAX_COMPLETENESS_HOURS} hours: ask in parts`);
    // Bins that started up to a day before `from` may still reach into its first hour.
    const bins = store.bins.quality({ site, camera, from: new Date(from.getTime() - DAY_MS), to });
    const hours = hourlyCompleteness(bins, from.getTime(), to.getTime());
    const observed = hours.reduce((s, h) => s + h.observedSeconds, 0);
    return c.json({
      site,
      camera,
      from: from.toISOString(),
      to: to.toISOString(),
      timeZone: 'UTC',
      share: hours.length ? Math.round((observed / (hours.length * 3600)) * 10_000) / 10_000 : 0,
      hours,
    });
  });

  app.get('/health/dead-letters', requireRole(store, 'admin'), (c) => {
    const limit = z.coerce.number().int().min(1).max(1000).default(100).safeParse(c.req.query('limit'));
    if (!limit.success) throw badRequest('limit must be a whole number from 1 to 1000');
    const deadLetters = store.deadLetters.list(limit.data).map((d) => ({
      id: d.id,
      receivedAt: d.receivedAt,
      topic: d.topic,
      reason: d.reason,
      sender: d.sender,
      size: d.size,
      preview: d.payload.subarray(0, 200).toString('utf8'),
    }));
    return c.json({ total: store.deadLetters.count(), deadLetters });
  });

  return app;
}
