/**
 * The researcher export: counts by period, camera, line/zone, measure and class, with the
 * seconds each camera observed, streamed as CSV or JSON; small counts withheld by the rule of
 * report/suppression.ts (one-hour base cells, a longer period withheld with any small part).
 * A researcher's `from`/`to` must lie on the rollup's grid (report/grid.ts), and 15-minute
 * cells, finer than the base cell, are for admins and planners only (who see raw counts on
 * /counts anyway). Every download is written to the audit log when it starts (who, what) and
 * amended with its row count when it ends.
 */
import { createRoute } from '@hono/zod-openapi';
import type { HubStore } from '../../store/index.ts';
import { ROLLUP_MS } from '../../store/index.ts';
import { SUPPRESSION_RULE, offGrid, publishedCells, publishedUntil, type PublishedCell } from '../../report/index.ts';
import { auditActor, requireRole } from '../auth.ts';
import { UTC_TIME, apiRouter, errors, json, orderedRange, roles, z } from '../contract.ts';
import { badRequest } from '../errors.ts';
import { ExportQuery } from '../params.ts';
import { requireSite } from './resolve.ts';
import { DATA_DICTIONARY, DATA_DICTIONARY_DA, DEFAULT_LICENCE, DataDictionary, DataDictionaryDa, EXPORT_COLUMNS, ExportRow, SuppressionRule } from './export-dictionary.ts';
import { csvLine, csvMetadata } from './export-format.ts';

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
    publishedUntil: z.string().nullable().openapi({ format: 'date-time', description: 'A researcher\'s export holds hours that ended at least an hour ago: nothing from here on (null for admins and planners)' }),
    suppressBelow: z.number().int(),
    suppressionRule: SuppressionRule,
    licence: z.string(),
    citation: z.string(),
    columns: DataDictionary,
    columnsDa: DataDictionaryDa,
  })
  .openapi('ExportHeader');

const Dictionary = z
  .object({ suppressBelow: z.number().int(), suppressionRule: SuppressionRule, licence: z.string(), citation: z.string(), columns: DataDictionary, columnsDa: DataDictionaryDa })
  .openapi('ExportDictionary');

export interface ExportOptions {
  /** Counts from 1 to suppressBelow − 1 are blanked (default 5). */
  suppressBelow: number;
  citation: string;
  /** The data owner's licence for the data (default DEFAULT_LICENCE, CC BY 4.0). */
  licence?: string;
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
  const licence = options.licence ?? DEFAULT_LICENCE;
  const rule = { en: SUPPRESSION_RULE.en(options.suppressBelow), da: SUPPRESSION_RULE.da(options.suppressBelow) };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/export/dictionary',
      summary: 'What each export column means (English and Danish), the suppression rule and threshold, the licence and the citation',
      description: roles(...READERS),
      middleware: [anyRole] as const,
      responses: { 200: json(Dictionary), ...errors(401, 403) },
    }),
    async (c) => c.json({ suppressBelow: options.suppressBelow, suppressionRule: rule, licence, citation: options.citation, columns: DATA_DICTIONARY, columnsDa: DATA_DICTIONARY_DA }, 200),
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
      `${roles(...READERS)} ${UTC_TIME} One row per UTC period, camera, line/zone, measure and class, with the seconds the camera observed; a bin belongs to the period its start falls in. ` +
      'Small counts are withheld (value empty/null, suppressed true) by the rule in the hub README: base cells of one hour, a base cell holding 1 to suppressBelow − 1 is withheld and so is every longer period containing one; 0 is shown; ' +
      'zone person-seconds are withheld where fewer than suppressBelow people entered. A researcher\'s from/to must be boundaries of the rollup\'s cells (400 otherwise, naming the nearest ones), and rollup=15m is for admins and planners. ' +
      'The CSV starts with lines beginning with # (title, licence, citation, rule, data dictionary in English and Danish), then the column line. ' +
      'Every download is written to the audit log when it starts and amended with its row count when it ends.',
    middleware: [anyRole] as const,
    request: { query: ExportQuery },
    responses: {
      200: {
        description: 'The rows, as an attachment',
        content: {
          'text/csv': { schema: z.string().openapi({ description: `Metadata lines starting with #, a header line (${EXPORT_COLUMNS.join(',')}), then one line per row; a suppressed value is empty`, example: `# Byliv counts, site park\n${EXPORT_COLUMNS.join(',')}\n2025-05-07T10:00:00.000Z,2025-05-07T11:00:00.000Z,park,cam1,line,l1,forward,person,3600,7,false\n` }) },
          'application/json': { schema: z.object({ header: ExportHeader, rows: z.array(ExportRow) }).openapi('Export') },
        },
      },
      ...errors(400, 401, 403, 404),
    },
  });

  app.openapi(exportRoute, async (c) => {
    const q = c.req.valid('query');
    orderedRange(q);
    const researcher = c.get('principal').role === 'researcher';
    if (researcher) {
      if (q.rollup === '15m') throw badRequest('rollup: 15m is finer than the one-hour cells researchers get; use hour, day or week');
      const off = (q.from && offGrid('from', q.from.getTime(), q.rollup)) || (q.to && offGrid('to', q.to.getTime(), q.rollup));
      if (off) throw badRequest(off);
    }
    await requireSite(store, q.site);
    const query = { site: q.site, camera: q.camera ?? null, from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, rollup: q.rollup, format: q.format };
    // A researcher gets hours that ended at least an hour ago (report/grid.ts: publishedUntil).
    const until = researcher ? publishedUntil(clock().getTime()) : null;
    const to = until !== null && (q.to === undefined || q.to.getTime() > until) ? new Date(until) : q.to;
    const range = { site: q.site, camera: q.camera, from: q.from, to };
    const coverage = new Map((await store.rollups.coverage(range, q.rollup)).map((r) => [`${r.bucketMs}|${r.site}|${r.camera}`, r.observedSeconds]));
    const auditId = await store.audit.add({ ...auditActor(c.get('principal')), action: 'export', detail: { query, suppressBelow: options.suppressBelow, licence } }, clock());

    // The store streams it (a second connection or a cursor), so ingest keeps writing meanwhile.
    // Hour base cells, folded into the rollup's cells (15-minute cells are their own base).
    const base = store.rollups.measures(range, q.rollup === '15m' ? '15m' : 'hour');
    const iterator = publishedCells(base, q.rollup, options.suppressBelow);
    let rows = 0;
    let suppressed = 0;
    let finished = false;
    const finish = async (complete: boolean) => {
      if (finished) return;
      finished = true;
      await iterator.return(undefined);
      await base.return(undefined);
      await store.audit.amend(auditId, { rows, suppressed, complete });
    };

    const header = {
      title: `Byliv counts, site ${q.site}`,
      query,
      generatedAt: clock().toISOString(),
      timeZone: 'UTC',
      publishedUntil: until === null ? null : new Date(until).toISOString(),
      suppressBelow: options.suppressBelow,
      suppressionRule: rule,
      licence,
      citation: options.citation,
      columns: DATA_DICTIONARY,
      columnsDa: DATA_DICTIONARY_DA,
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
        controller.enqueue(encoder.encode(q.format === 'csv' ? csvMetadata(header) : `{"header":${JSON.stringify(header)},"rows":[`));
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
            const observed = coverage.get(`${next.value.bucketMs}|${next.value.site}|${next.value.camera}`) ?? 0;
            const row = toExportRow(next.value, size, observed);
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

function toExportRow(m: PublishedCell, size: number, observedSeconds: number): ExportRow {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  // A period nobody watched has no count, not a count of 0.
  const value = observedSeconds <= 0 ? null : m.published.value;
  return {
    period_start: new Date(m.bucketMs).toISOString(),
    period_end: new Date(m.bucketMs + size).toISOString(),
    site: m.site,
    camera: m.camera,
    feature_type: m.feature,
    feature_id: m.featureId,
    measure: m.measure,
    class: m.class,
    observed_seconds: round(observedSeconds),
    value: value === null ? null : round(value),
    suppressed: m.published.suppressed,
  };
}
