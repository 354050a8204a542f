/**
 * The researcher export: counts by period, camera, line/zone, measure and class, streamed as
 * CSV or JSON, with small counts suppressed and marked. Every download is written to the
 * audit log when it starts (who, what) and amended with its row count when it ends.
 */
import { createRoute } from '@hono/zod-openapi';
import type { HubStore } from '../../store/index.ts';
import { ROLLUP_MS, type MeasureRow } from '../../store/index.ts';
import { suppress } from '../../report/index.ts';
import { auditActor, requireRole } from '../auth.ts';
import { UTC_TIME, apiRouter, errors, json, orderedRange, roles, z } from '../contract.ts';
import { ExportQuery } from '../params.ts';
import { requireSite } from './resolve.ts';
import { DATA_DICTIONARY, DataDictionary, EXPORT_COLUMNS, ExportRow } from './export-dictionary.ts';

const READERS = ['admin', 'planner', 'researcher'] as const;

/** The JSON export's header (the CSV has only the column line). */
const ExportHeader = z
  .object({
    title: z.string(),
    query: z.object({
      site: z.string(),
      camera: z.string().nullable(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      rollup: ExportQuery.shape.rollup.unwrap(),
      format: ExportQuery.shape.format.unwrap(),
    }),
    generatedAt: z.string().openapi({ format: 'date-time' }),
    timeZone: z.literal('UTC'),
    suppressBelow: z.number().int(),
    citation: z.string(),
    columns: DataDictionary,
  })
  .openapi('ExportHeader');

export interface ExportOptions {
  /** Counts from 1 to suppressBelow − 1 are blanked (default 5). */
  suppressBelow: number;
  citation: string;
  /**
   * A download whose client reads nothing for this long is cut off (default 30 s): its read
   * transaction would otherwise stay open and keep the WAL from being checkpointed.
   */
  idleTimeoutMs?: number;
}

export const EXPORT_IDLE_TIMEOUT_MS = 30_000;

export function exportRoutes(store: HubStore, clock: () => Date, options: ExportOptions) {
  const app = apiRouter();
  const anyRole = requireRole(store, ...READERS);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/export/dictionary',
      summary: 'What each export column means, and the suppression threshold',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: { 200: json(z.object({ suppressBelow: z.number().int(), columns: DataDictionary })), ...errors(401, 403) },
    }),
    async (c) => c.json({ suppressBelow: options.suppressBelow, columns: DATA_DICTIONARY }, 200),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/export/citation',
      summary: 'How to cite the data',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: { 200: { description: 'The citation', content: { 'text/plain': { schema: z.string() } } }, ...errors(401, 403) },
    }),
    async (c) => c.text(options.citation, 200),
  );

  const exportRoute = createRoute({
    method: 'get',
    path: '/export',
    summary: 'Researcher export (streamed CSV or JSON), small counts suppressed; every download is audited',
    description:
      `${roles(...READERS)} ${UTC_TIME} One row per UTC period, camera, line/zone, measure and class; a bin belongs to the period its start falls in. ` +
      'Counts from 1 to suppressBelow − 1 are blanked (value empty/null, suppressed true); 0 is shown; zone person-seconds are shown only where at least suppressBelow people entered. ' +
      'Every download is written to the audit log when it starts and amended with its row count when it ends.',
    middleware: [anyRole] as const,
    request: { query: ExportQuery },
    responses: {
      200: {
        description: 'The rows, as an attachment',
        content: {
          'text/csv': { schema: z.string().openapi({ description: `A header line (${EXPORT_COLUMNS.join(',')}), then one line per row; a suppressed value is empty`, example: `${EXPORT_COLUMNS.join(',')}\n2025-05-07T10:00:00.000Z,2025-05-07T11:00:00.000Z,park,cam1,line,l1,forward,person,7,false\n` }) },
          'application/json': { schema: z.object({ header: ExportHeader, rows: z.array(ExportRow) }).openapi('Export') },
        },
      },
      ...errors(400, 401, 403, 404),
    },
  });

  app.openapi(exportRoute, async (c) => {
    const q = c.req.valid('query');
    orderedRange(q);
    await requireSite(store, q.site);
    const query = { site: q.site, camera: q.camera ?? null, from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, rollup: q.rollup, format: q.format };
    const auditId = await store.audit.add({ ...auditActor(c.get('principal')), action: 'export', detail: { query, suppressBelow: options.suppressBelow } }, clock());

    // The store streams it (a second connection or a cursor), so ingest keeps writing meanwhile.
    const iterator = store.rollups.measures({ site: q.site, camera: q.camera, from: q.from, to: q.to }, q.rollup);
    let rows = 0;
    let suppressed = 0;
    let finished = false;
    const finish = async (complete: boolean) => {
      if (finished) return;
      finished = true;
      await iterator.return(undefined);
      await store.audit.amend(auditId, { rows, suppressed, complete });
    };

    const header = {
      title: `Byliv counts, site ${q.site}`,
      query,
      generatedAt: clock().toISOString(),
      timeZone: 'UTC',
      suppressBelow: options.suppressBelow,
      citation: options.citation,
      columns: DATA_DICTIONARY,
    };
    const encoder = new TextEncoder();
    const size = ROLLUP_MS[q.rollup];
    const idleMs = options.idleTimeoutMs ?? EXPORT_IDLE_TIMEOUT_MS;
    // Served by @hono/node-server: its response. A client that stops reading leaves the server
    // waiting for 'drain' without ever pulling again, so erroring the stream alone ends nothing:
    // the connection itself is cut.
    const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
    // Armed whenever a chunk waits for the client; a pull (the client read) disarms it.
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (controller: ReadableStreamDefaultController<Uint8Array>) => {
      idle = setTimeout(() => {
        // The server then cancels the stream (below); elsewhere the error ends it.
        if (outgoing) outgoing.destroy();
        else controller.error(new Error(`export idle for ${idleMs / 1000} s: closed`));
        void finish(false).catch(() => undefined);
      }, idleMs);
      idle.unref();
    };
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(q.format === 'csv' ? `${EXPORT_COLUMNS.join(',')}\n` : `{"header":${JSON.stringify(header)},"rows":[`));
        armIdle(controller);
      },
      async pull(controller) {
        clearTimeout(idle);
        try {
          let chunk = '';
          // ~500 rows per chunk: big enough to be quick, small enough to stream
          for (let i = 0; i < 500; i++) {
            const next = await iterator.next();
            if (next.done) {
              if (q.format === 'json') chunk += ']}\n';
              controller.enqueue(encoder.encode(chunk));
              controller.close();
              await finish(true);
              return;
            }
            const row = toExportRow(next.value, size, options.suppressBelow);
            if (row.suppressed) suppressed++;
            chunk += q.format === 'csv' ? csvLine(row) : `${rows === 0 ? '' : ','}${JSON.stringify(row)}`;
            rows++;
          }
          controller.enqueue(encoder.encode(chunk));
          armIdle(controller);
        } catch (error) {
          controller.error(error);
          await finish(false).catch(() => undefined);
        }
      },
      async cancel() {
        clearTimeout(idle);
        await finish(false);
      },
    });
    const name = `byliv-${q.site}${q.camera ? `-${q.camera}` : ''}-${q.rollup}.${q.format}`;
    return new Response(stream, {
      headers: {
        'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${name}"`,
      },
    });
  });

  return app;
}

function toExportRow(m: MeasureRow, size: number, threshold: number): ExportRow {
  const published = suppress(m, threshold);
  return {
    period_start: new Date(m.bucketMs).toISOString(),
    period_end: new Date(m.bucketMs + size).toISOString(),
    site: m.site,
    camera: m.camera,
    feature_type: m.feature,
    feature_id: m.featureId,
    measure: m.measure,
    class: m.class,
    value: published.value === null ? null : Math.round(published.value * 1000) / 1000,
    suppressed: published.suppressed,
  };
}

function csvLine(row: ExportRow): string {
  // Ids are from a safe alphabet and values are numbers: nothing here needs quoting.
  return `${EXPORT_COLUMNS.map((c) => (row[c] === null ? '' : String(row[c]))).join(',')}\n`;
}
