/** Query-string parsing for the API: each parameter checked, each problem named. */
import { z } from 'zod';
import { Id, describeIssues } from '@byliv/protocol';
import { ROLLUPS } from '../store/index.ts';
import { badRequest } from './errors.ts';

/** A full ISO 8601 time with an offset, or a date (midnight UTC). */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

export const RangeQuery = z.object({ from: Instant.optional(), to: Instant.optional() });
export const Rollup = z.enum(ROLLUPS).default('hour');
export const ClassQuery = z.enum(['person', 'cyclist', 'all']).default('all');

export const CountsQuery = RangeQuery.extend({
  site: Id,
  camera: Id.optional(),
  rollup: Rollup,
  by: z.enum(['line', 'zone']).default('line'),
  class: ClassQuery,
}).strict();

export const SummaryQuery = RangeQuery.extend({ camera: Id, site: Id.optional() }).strict();
export const CompletenessQuery = RangeQuery.extend({ camera: Id, site: Id.optional() }).strict();
export const ExportQuery = RangeQuery.extend({ site: Id, camera: Id.optional(), rollup: Rollup, format: z.enum(['csv', 'json']).default('csv') }).strict();

/** Parses `query` or throws a 400 that lists every bad parameter; checks from < to. */
export function parseQuery<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) throw badRequest(`bad query parameters:\n${describeIssues(result.error)}`);
  const value = result.data as { from?: Date; to?: Date };
  if (value.from && value.to && !(value.from < value.to)) throw badRequest(`from (${value.from.toISOString()}) must be before to (${value.to.toISOString()})`);
  return result.data;
}

/** The request body as JSON, or a 400 saying it is not JSON. */
export async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw badRequest('the request body must be JSON');
  }
}
