/**
 * The audit log for admins: who downloaded what and when, and every other audited change
 * (sign-ins, users, cameras, tokens, scenes), newest first, filtered by user, action and time,
 * as JSON for the dashboard's page or as CSV. Downloading the CSV is itself audited.
 */
import { createRoute } from '@hono/zod-openapi';
import type { HubStore } from '../../store/index.ts';
import { auditActor, requireRole } from '../auth.ts';
import { UTC_TIME, apiRouter, errors, json, orderedRange, roles, z } from '../contract.ts';
import { Instant } from '../params.ts';
import { Time } from '../schemas.ts';
import { AUDIT_CSV_COLUMNS, auditCsv, describeAuditEntry } from './audit-format.ts';

const MAX_ENTRIES = 5000;

export const AuditQuery = z
  .object({
    user: z.string().min(1).max(200).optional().openapi({ description: 'Only entries by this signed-in user (exact username)' }),
    action: z
      .string()
      .regex(/^[a-z][a-z-]*(\.[a-z][a-z-]*)*$/, 'expected an action such as export, session.create or camera.add')
      .optional()
      .openapi({ description: 'Only this action; downloads are `export`', example: 'export' }),
    from: Instant.optional().openapi({ description: 'Entries at or after this time (a date is its midnight UTC)' }),
    to: Instant.optional().openapi({ description: 'Entries before this time; after `from`' }),
    limit: z.coerce.number().int().min(1).max(MAX_ENTRIES).default(500).openapi({ description: `At most this many entries, newest first (1–${MAX_ENTRIES})` }),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

export const AuditEntryBody = z
  .object({
    id: z.number().int(),
    at: Time,
    username: z.string().nullable().openapi({ description: 'The signed-in user; null for an API token or the hub’s command line' }),
    role: z.string().nullable(),
    tokenId: z.number().int().nullable().openapi({ description: 'The API token used, if any' }),
    action: z.string().openapi({ example: 'export' }),
    what: z.string().openapi({ description: 'The entry’s detail in one line', example: 'site=park camera=cam1 rollup=hour format=csv rows=120' }),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

export function auditRoutes(store: HubStore, clock: () => Date) {
  const app = apiRouter();
  const admin = requireRole(store, 'admin');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      summary: 'The audit log: who downloaded what, when (admins only)',
      description: `${roles('admin')} ${UTC_TIME} Newest first. format=csv answers an attachment with the columns ${AUDIT_CSV_COLUMNS.join(', ')}, and that download is audited as audit.export.`,
      middleware: [admin] as const,
      request: { query: AuditQuery },
      responses: {
        200: {
          description: 'The entries',
          content: {
            'application/json': { schema: z.object({ entries: z.array(AuditEntryBody) }).openapi('AuditLog') },
            'text/csv': { schema: z.string().openapi({ description: `A header line (${AUDIT_CSV_COLUMNS.join(',')}), then one line per entry` }) },
          },
        },
        ...errors(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      orderedRange(q);
      const entries = await store.audit.search({ username: q.user, action: q.action, from: q.from, to: q.to, limit: q.limit });
      if (q.format === 'csv') {
        const filter = { user: q.user ?? null, action: q.action ?? null, from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, limit: q.limit };
        const at = clock();
        await store.audit.add({ ...auditActor(c.get('principal')), action: 'audit.export', detail: { ...filter, rows: entries.length } }, at);
        return c.body(auditCsv(entries), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="byliv-audit-${at.toISOString().slice(0, 10)}.csv"` });
      }
      return c.json({ entries: entries.map((e) => ({ ...e, what: describeAuditEntry(e) })) }, 200);
    },
  );
  return app;
}
