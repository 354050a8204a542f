/** Camera health (latest status, last seen, outbox depth), hourly completeness (UTC hours), dead letters. */
import { createRoute } from '@hono/zod-openapi';
import { CameraStatus } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import { hourlyCompleteness, MAX_COMPLETENESS_HOURS } from '../../report/index.ts';
import { requireRole } from '../auth.ts';
import { UTC_TIME, apiRouter, errors, json, orderedRange, roles, z } from '../contract.ts';
import { badRequest } from '../errors.ts';
import { CompletenessQuery } from '../params.ts';
import { NullableTime, Time } from '../schemas.ts';
import { resolveCamera } from './resolve.ts';

const DAY_MS = 86_400_000;
const LIMIT = 'limit must be a whole number from 1 to 1000';
const later = (a: string | null | undefined, b: string | null | undefined) => (!a ? (b ?? null) : !b ? a : a > b ? a : b);

export const CameraHealth = z
  .object({
    site: z.string(),
    camera: z.string(),
    lastSeen: NullableTime.openapi({ description: 'When the hub last heard from the camera (a status or a batch), by the hub’s clock' }),
    state: z.enum(['online', 'offline', 'unknown']),
    outboxDepth: z.number().int().nullable(),
    outboxDropped: z.number().int().nullable(),
    lastBinStart: NullableTime,
    batches: z.number().int(),
    status: CameraStatus.extend({ receivedAt: Time })
      .nullable()
      .openapi({ description: 'The latest status message as the camera sent it, with when the hub received it' }),
  })
  .openapi('CameraHealth');

export const CompletenessHour = z
  .object({
    start: Time.openapi({ description: 'Start of the UTC hour' }),
    observedSeconds: z.number().openapi({ description: 'Seconds of the hour with frames, 0–3600' }),
    share: z.number().openapi({ description: 'observedSeconds / 3600, rounded to 4 decimals' }),
    framesProcessed: z.number().int(),
    framesExpected: z.number().int(),
    frameShare: z.number().nullable().openapi({ description: 'framesProcessed / framesExpected; null without expected frames' }),
  })
  .openapi('CompletenessHour');

export const Completeness = z
  .object({
    site: z.string(),
    camera: z.string(),
    from: Time,
    to: Time,
    timeZone: z.literal('UTC'),
    share: z.number().openapi({ description: 'Observed share of the whole range' }),
    hours: z.array(CompletenessHour),
  })
  .openapi('Completeness');

const DeadLetter = z
  .object({
    id: z.number().int(),
    receivedAt: Time,
    topic: z.string(),
    reason: z.string(),
    sender: z.string().nullable(),
    size: z.number().int().openapi({ description: 'Payload size in bytes' }),
    preview: z.string().openapi({ description: 'The first 200 bytes of the payload, as UTF-8' }),
  })
  .openapi('DeadLetter');

export function healthRoutes(store: HubStore, clock: () => Date) {
  const app = apiRouter();
  const readers = requireRole(store, 'admin', 'planner');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/cameras',
      summary: 'Every camera: state, last seen (hub clock), outbox depth, newest bin',
      description: roles('admin', 'planner'),
      middleware: [readers] as const,
      responses: { 200: json(z.object({ cameras: z.array(CameraHealth) })), ...errors(401, 403) },
    }),
    async (c) => {
      const bins = new Map((await store.bins.latestPerCamera()).map((b) => [`${b.site}/${b.camera}`, b]));
      const cameras = [];
      for (const { site, camera } of await store.cameras.list()) {
        const latest = await store.statuses.latest(site, camera);
        const b = bins.get(`${site}/${camera}`);
        cameras.push({
          site,
          camera,
          // the hub's own clock: when it last heard anything from the camera
          lastSeen: later(latest?.receivedAt, b?.lastReceivedAt),
          state: latest?.status.state ?? ('unknown' as const),
          outboxDepth: latest?.status.outboxDepth ?? null,
          outboxDropped: latest?.status.outboxDropped ?? null,
          lastBinStart: b?.lastBinStart ?? null,
          batches: b?.batches ?? 0,
          status: latest ? { ...latest.status, receivedAt: latest.receivedAt } : null,
        });
      }
      return c.json({ cameras }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/completeness',
      summary: 'Share of each UTC hour a camera actually observed',
      description: `${roles('admin', 'planner')} ${UTC_TIME} A bin's observed time (binSeconds − gapSeconds) is spread over the hours it overlaps. Hours without bins have share 0. Default range: the 24 hours before now; at most ${MAX_COMPLETENESS_HOURS} hours.`,
      middleware: [readers] as const,
      request: { query: CompletenessQuery },
      responses: { 200: json(Completeness), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      orderedRange(q);
      const { site, camera } = await resolveCamera(store, q.camera, q.site);
      const to = q.to ?? clock();
      const from = q.from ?? new Date(to.getTime() - DAY_MS);
      if (to.getTime() - from.getTime() > MAX_COMPLETENESS_HOURS * 3_600_000) throw badRequest(`the range is longer than ${MAX_COMPLETENESS_HOURS} hours: ask in parts`);
      // Bins that started up to a day before `from` may still reach into its first hour.
      const bins = await store.bins.quality({ site, camera, from: new Date(from.getTime() - DAY_MS), to });
      const hours = hourlyCompleteness(bins, from.getTime(), to.getTime());
      const observed = hours.reduce((s, h) => s + h.observedSeconds, 0);
      return c.json(
        {
          site,
          camera,
          from: from.toISOString(),
          to: to.toISOString(),
          timeZone: 'UTC' as const,
          share: hours.length ? Math.round((observed / (hours.length * 3600)) * 10_000) / 10_000 : 0,
          hours,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/health/dead-letters',
      summary: 'Messages the hub refused, newest first, with the reason',
      description: roles('admin'),
      middleware: [requireRole(store, 'admin')] as const,
      request: {
        query: z.object({
          limit: z.coerce
            .number({ error: LIMIT })
            .int({ error: LIMIT })
            .min(1, { error: LIMIT })
            .max(1000, { error: LIMIT })
            .default(100)
            .openapi({ type: 'integer', description: 'How many, newest first: 1–1000' }),
        }),
      },
      responses: { 200: json(z.object({ total: z.number().int().openapi({ description: 'All dead letters kept' }), deadLetters: z.array(DeadLetter) })), ...errors(400, 401, 403) },
    }),
    async (c) => {
      const { limit } = c.req.valid('query');
      const deadLetters = (await store.deadLetters.list(limit)).map((d) => ({
        id: d.id,
        receivedAt: d.receivedAt,
        topic: d.topic,
        reason: d.reason,
        sender: d.sender,
        size: d.size,
        preview: d.payload.subarray(0, 200).toString('utf8'),
      }));
      return c.json({ total: await store.deadLetters.count(), deadLetters }, 200);
    },
  );

  return app;
}
