/**
 * Urban-life indicators and count series in local time (Europe/Copenhagen), for cards and
 * charts. The rules (observed hours, scaling, complete days) live in ../../indicators/;
 * this file reads the query, resolves the subject and shapes the JSON.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { Id, describeIssues } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import {
  MEASURES,
  PERIODS,
  SERIES_ROLLUPS,
  SubjectSyntaxError,
  TIME_ZONE,
  UnknownSubjectError,
  addDays,
  dayStartMs,
  dwellSummary,
  heatmap,
  listSubjects,
  localDate,
  periodIndicators,
  periodsCovering,
  periodsEndingAt,
  seriesPoints,
  subjectHours,
  type Measure,
  type Subject,
  type SubjectHours,
} from '../../indicators/index.ts';
import { requireRole, type ApiEnv } from '../auth.ts';
import { ClassParam, DateOrInstant, LocalDate, StayMinSeconds, SubjectParam } from '../local-params.ts';
import { badRequest, notFound } from '../errors.ts';

const DAY_MS = 86_400_000;
/** The longest range answered at once (hours are built in memory). */
export const MAX_RANGE_DAYS = 3 * 366;
/** Hourly series: at most a year of points. */
export const MAX_HOURLY_POINTS = 366 * 24;
const DEFAULT_PERIODS = 6;
const DEFAULT_SERIES_DAYS = 7;
const DEFAULT_HEATMAP_DAYS = 28;
/** The picker also offers lines/zones seen in the data this recently, even without a scene. */
const SUBJECT_DATA_DAYS = 90;

const ZONE_MEASURES: readonly Measure[] = ['entries', 'exits', 'stayingVisits', 'personMinutes'];

const MeasureParam = z.enum(MEASURES).default('passers');

const UrbanQuery = z
  .object({ subject: SubjectParam, period: z.enum(PERIODS).default('month'), from: LocalDate.optional(), to: LocalDate.optional(), stayMinSeconds: StayMinSeconds, class: ClassParam })
  .strict();
const SeriesQuery = z
  .object({ subject: SubjectParam, measure: MeasureParam, rollup: z.enum(SERIES_ROLLUPS).default('day'), from: DateOrInstant.optional(), to: DateOrInstant.optional(), class: ClassParam, stayMinSeconds: StayMinSeconds })
  .strict();
const HeatmapQuery = z.object({ subject: SubjectParam, measure: MeasureParam, from: DateOrInstant.optional(), to: DateOrInstant.optional(), class: ClassParam, stayMinSeconds: StayMinSeconds }).strict();
const DwellQuery = z.object({ subject: SubjectParam, from: DateOrInstant.optional(), to: DateOrInstant.optional() }).strict();
const SubjectsQuery = z.object({ site: Id.optional() }).strict();

function parse<T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> {
  const result = schema.safeParse(query);
  if (!result.success) throw badRequest(`bad query parameters:\n${describeIssues(result.error)}`);
  return result.data;
}

const round = (v: number | null, places = 3) => (v === null ? null : Math.round(v * 10 ** places) / 10 ** places);
const iso = (ms: number) => new Date(ms).toISOString();

/** Hours of a subject, with the indicators module's errors turned into 404 / 400. */
function hoursOf(store: HubStore, subject: Subject, fromMs: number, toMs: number, options: { class?: 'person' | 'cyclist' | 'all'; stayMinSeconds?: number }): SubjectHours {
  try {
    return subjectHours(store, subject, fromMs, toMs, options);
  } catch (error) {
    if (error instanceof UnknownSubjectError) throw notFound(error.message);
    if (error instanceof SubjectSyntaxError) throw badRequest(`subject: ${error.message}`);
    throw error;
  }
}

const subjectJson = (h: SubjectHours) => ({ kind: h.subject.kind, id: h.subject.id, name: h.subject.name });

/** Checks a measure against what the subject is: forward/backward need a line, zone measures a zone. */
function checkMeasure(subject: Subject, measure: Measure): void {
  if ((measure === 'forward' || measure === 'backward') && subject.kind !== 'line') throw badRequest(`measure: ${measure} is only for line subjects (line:<site>/<camera>/<line>)`);
  if (ZONE_MEASURES.includes(measure) && subject.kind === 'line') throw badRequest(`measure: ${measure} is counted in zones; a line subject has passers, forward and backward`);
}

/** A time range in epoch ms, `to` exclusive: by default up to the end of today (local), from `days` local days before `to`. */
function range(q: { from?: number; to?: number }, now: Date, days: number): { fromMs: number; toMs: number } {
  const tomorrow = addDays(localDate(now.getTime()), 1);
  const toMs = q.to ?? dayStartMs(tomorrow);
  const fromMs = q.from ?? dayStartMs(addDays(localDate(toMs - 1), 1 - days));
  if (!(fromMs < toMs)) throw badRequest(`from (${iso(fromMs)}) must be before to (${iso(toMs)})`);
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) throw badRequest(`from/to: the range is longer than ${MAX_RANGE_DAYS} days; ask in parts`);
  return { fromMs, toMs };
}

export function indicatorRoutes(store: HubStore, clock: () => Date) {
  const app = new Hono<ApiEnv>();
  const readers = requireRole(store, 'admin', 'planner', 'researcher');

  app.get('/indicators/urban', readers, (c) => {
    const q = parse(UrbanQuery, c.req.query());
    if (q.from && q.to && !(q.from < q.to)) throw badRequest(`from (${q.from}) must be before to (${q.to})`);
    const today = localDate(clock().getTime());
    const periods =
      q.from !== undefined
        ? periodsCovering(q.from, q.to ?? addDays(today, 1), q.period)
        : periodsEndingAt(q.to !== undefined ? addDays(q.to, -1) : today, q.period, DEFAULT_PERIODS);
    if (periods.length === 0) throw badRequest(`from (${q.from}) is after today (${today}): give to= as well`);
    const fromMs = dayStartMs(periods[0].start);
    const toMs = dayStartMs(periods[periods.length - 1].end);
    if (toMs - fromMs > (MAX_RANGE_DAYS + 92) * DAY_MS) throw badRequest(`from/to: the periods span more than ${MAX_RANGE_DAYS} days; ask in parts`);
    const h = hoursOf(store, q.subject, fromMs, toMs, { class: q.class, stayMinSeconds: q.stayMinSeconds });
    return c.json({
      subject: subjectJson(h),
      period: q.period,
      timeZone: TIME_ZONE,
      stayMinSeconds: q.stayMinSeconds,
      class: q.class,
      periods: periods.map((p) => {
        const ind = periodIndicators(h.hours, p.start, p.end);
        const v = ind.values;
        // Without a zone there is nothing to stay in: those figures are unknown, not 0.
        const zone = (x: number | null) => (h.hasZones ? x : null);
        return {
          key: p.key,
          start: p.start,
          end: p.end,
          hours: ind.hours,
          days: ind.days,
          values: {
            passersPerDay: round(v.passersPerDay, 1),
            stayingVisitsPerDay: round(zone(v.stayingVisitsPerDay), 1),
            personMinutesPerDay: round(zone(v.personMinutesPerDay), 1),
            medianDwellSeconds: round(zone(v.medianDwellSeconds), 1),
            eveningShare: round(v.eveningShare, 4),
            installationUse: round(zone(v.installationUse), 4),
          },
        };
      }),
    });
  });

  app.get('/series', readers, (c) => {
    const q = parse(SeriesQuery, c.req.query());
    checkMeasure(q.subject, q.measure);
    const { fromMs, toMs } = range(q, clock(), DEFAULT_SERIES_DAYS);
    if (q.rollup === 'hour' && toMs - fromMs > MAX_HOURLY_POINTS * 3_600_000) throw badRequest(`rollup: an hourly series has at most ${MAX_HOURLY_POINTS} points; use rollup=day or a shorter range`);
    const h = hoursOf(store, q.subject, fromMs, toMs, { class: q.class, stayMinSeconds: q.stayMinSeconds });
    const unknown = ZONE_MEASURES.includes(q.measure) && !h.hasZones;
    return c.json({
      subject: subjectJson(h),
      measure: q.measure,
      rollup: q.rollup,
      class: q.class,
      timeZone: TIME_ZONE,
      from: iso(fromMs),
      to: iso(toMs),
      points: seriesPoints(h.hours, fromMs, toMs, q.measure, q.rollup).map((p) => ({
        start: iso(p.startMs),
        end: iso(p.endMs),
        value: unknown ? null : round(p.value),
        observedHours: p.observedHours,
        totalHours: p.totalHours,
      })),
    });
  });

  app.get('/series/heatmap', readers, (c) => {
    const q = parse(HeatmapQuery, c.req.query());
    checkMeasure(q.subject, q.measure);
    const { fromMs, toMs } = range(q, clock(), DEFAULT_HEATMAP_DAYS);
    const h = hoursOf(store, q.subject, fromMs, toMs, { class: q.class, stayMinSeconds: q.stayMinSeconds });
    const unknown = ZONE_MEASURES.includes(q.measure) && !h.hasZones;
    return c.json({
      subject: subjectJson(h),
      measure: q.measure,
      class: q.class,
      timeZone: TIME_ZONE,
      from: iso(fromMs),
      to: iso(toMs),
      cells: heatmap(h.hours, q.measure).map((cell) => ({ ...cell, mean: unknown ? null : round(cell.mean) })),
    });
  });

  app.get('/series/dwell', readers, (c) => {
    const q = parse(DwellQuery, c.req.query());
    if (q.subject.kind === 'line') throw badRequest('subject: dwell times are measured in zones; a line has none');
    const { fromMs, toMs } = range(q, clock(), DEFAULT_HEATMAP_DAYS);
    const h = hoursOf(store, q.subject, fromMs, toMs, {});
    const d = dwellSummary(h.hours);
    return c.json({ subject: subjectJson(h), timeZone: TIME_ZONE, from: iso(fromMs), to: iso(toMs), ...d, medianSeconds: round(d.medianSeconds, 1) });
  });

  app.get('/subjects', readers, (c) => {
    const q = parse(SubjectsQuery, c.req.query());
    if (q.site !== undefined && !store.cameras.hasSite(q.site)) throw notFound(`no site ${q.site} is known`);
    return c.json({ subjects: listSubjects(store, q.site, clock().getTime() - SUBJECT_DATA_DAYS * DAY_MS) });
  });

  return app;
}
