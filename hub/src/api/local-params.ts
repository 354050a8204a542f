/**
 * Query parameters of the local-time routes (indicators, series, evaluations): local dates in
 * Europe/Copenhagen, subjects, the staying-visit threshold and the movement class. One
 * definition, so every route words its 400s (and its document) the same way.
 */
import { z } from '@hono/zod-openapi';
import { DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';
import { YEARS_MESSAGE, withinYears } from './params.ts';
import { DEFAULT_STAY_MIN_SECONDS, dayStartMs, parseLocalDate, parseSubject, type Subject } from '../indicators/index.ts';

export const LocalDate = z
  .string()
  .refine((s) => parseLocalDate(s) !== null, { message: 'expected a local date YYYY-MM-DD (Europe/Copenhagen)' })
  // Not `abort` on the format check: in a union, an aborted member hides the union's own message.
  .refine((s) => parseLocalDate(s) === null || withinYears(Date.UTC(Number(s.slice(0, 4)), 0, 1)), { message: YEARS_MESSAGE })
  .openapi({ description: 'A local date YYYY-MM-DD (Europe/Copenhagen)', format: 'date', example: '2026-11-16' });

/** A local date (its local midnight, Europe/Copenhagen) or an ISO time with offset, as epoch ms. */
export const DateOrInstant = z
  .union([z.iso.datetime({ offset: true }), LocalDate], { error: 'expected a local date YYYY-MM-DD or an ISO 8601 time with offset' })
  .transform((s) => (s.length === 10 ? dayStartMs(s) : Date.parse(s)))
  .refine(withinYears, { message: YEARS_MESSAGE })
  .openapi({ description: 'A local date YYYY-MM-DD (its midnight in Europe/Copenhagen) or an ISO 8601 time with offset', example: '2026-05-04' });

export const SUBJECT_SYNTAX = 'site:<site> | zone:<site>/<camera>/<zone> | line:<site>/<camera>/<line> | installation:<id> | district:<id>';

export const SubjectParam = z
  .string()
  .transform((s, ctx): Subject => {
    const parsed = parseSubject(s);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.reason });
      return z.NEVER;
    }
    return parsed.subject;
  })
  .openapi({
    description: `${SUBJECT_SYNTAX}. Passers: line crossings both ways where the subject (a district: each site) has lines, else zone entries.`,
    example: 'zone:park/cam1/bench',
  });

/** Staying visits are read off the dwell histogram, so the threshold must be one of its edges. */
export const StayMinSeconds = z.coerce
  .number()
  .refine((n) => (DWELL_BIN_EDGES_SECONDS as readonly number[]).includes(n), { message: `must be one of the dwell histogram edges ${DWELL_BIN_EDGES_SECONDS.join(', ')}` })
  .default(DEFAULT_STAY_MIN_SECONDS)
  .openapi({ type: 'integer', enum: [...DWELL_BIN_EDGES_SECONDS], description: 'A visit of at least this long (seconds) is a staying visit; one of the dwell histogram edges' });

export const ClassParam = z.enum(['person', 'cyclist', 'all']).default('all').openapi({ description: 'Which movement class passers, crossings and entries count' });
