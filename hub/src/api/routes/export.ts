/**
 * The researcher export: counts by period, camera, line/zone, measure and class, streamed as
 * CSV or JSON, with small counts suppressed and marked. Every download is written to the
 * audit log when it starts (who, what) and amended with its row count when it ends.
 */
import { Hono } from 'hono';
import type { HubStore } from '../../store/index.ts';
import { CountRollups, ROLLUP_MS, type MeasureRow } from '../../store/index.ts';
import { suppress } from '../../report/index.ts';
import { auditActor, requireRole, type ApiEnv } from '../auth.ts';
import { ExportQuery, parseQuery } from '../params.ts';
import { requireSite } from './resolve.ts';
import { DATA_DICTIONARY, EXPORT_COLUMNS, type ExportRow } from './export-dictionary.ts';

export interface ExportOptions {
  /** Counts from 1 to suppressBelow − 1 are blanked (default 5). */
  suppressBelow: number;
  citation: string;
}

export function exportRoutes(store: HubStore, clock: () => Date, options: ExportOptions) {
  const app = new Hono<ApiEnv>();
  const anyRole = requireRole(store, 'admin', 'planner', 'researcher');

  app.get('/export/dictionary', anyRole, (c) => c.json({ suppressBelow: options.suppressBelow, columns: DATA_DICTIONARY }));
  app.get('/export/citation', anyRole, (c) => c.text(options.citation));

  app.get('/export', anyRole, (c) => {
    const q = parseQuery(ExportQuery, c.req.query());
    requireSite(store, q.site);
    const query = { site: q.site, camera: q.camera ?? null, from: q.from?.toISOString() ?? null, to: q.to?.toISOString() ?? null, rollup: q.rollup, format: q.format };
    const auditId = store.audit.add({ ...auditActor(c.get('principal')), action: 'export', detail: { query, suppressBelow: options.suppressBelow } }, clock());

    // A second connection, so ingest keeps writing while this one streams.
    const reader = store.openReader();
    const source = new CountRollups(reader ?? store.db);
    const measures = source.measures({ site: q.site, camera: q.camera, from: q.from, to: q.to }, q.rollup);
    // Without a reader (an in-memory store) everything is read at once, freeing the connection.
    const iterator: Iterator<MeasureRow> = reader ? measures : [...measures][Symbol.iterator]();
    let rows = 0;
    let suppressed = 0;
    let finished = false;
    const finish = (complete: boolean) => {
      if (finished) return;
      finished = true;
      iterator.return?.();
      reader?.close();
      store.audit.amend(auditId, { rows, suppressed, complete });
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
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(q.format === 'csv' ? `${EXPORT_COLUMNS.join(',')}\n` : `{"header":${JSON.stringify(header)},"rows":[`));
      },
      pull(controller) {
        try {
          let chunk = '';
          // ~500 rows per chunk: big enough to be quick, small enough to stream
          for (let i = 0; i < 500; i++) {
            const next = iterator.next();
            if (next.done) {
              if (q.format === 'json') chunk += ']}\n';
              controller.enqueue(encoder.encode(chunk));
              controller.close();
              finish(true);
              return;
            }
            const row = toExportRow(next.value, size, options.suppressBelow);
            if (row.suppressed) suppressed++;
            chunk += q.format === 'csv' ? csvLine(row) : `${rows === 0 ? '' : ','}${JSON.stringify(row)}`;
            rows++;
          }
          controller.enqueue(encoder.encode(chunk));
        } catch (error) {
          finish(false);
          controller.error(error);
        }
      },
      cancel() {
        finish(false);
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
