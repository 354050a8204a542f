/**
 * Urban-life indicators and count series in local time (Europe/Copenhagen), for cards and
 * charts. The rules (observed hours, scaling, complete days) live in ../../indicators/;
 * this file declares the routes, resolves the subject and shapes the JSON.
 */
import { createRoute } from '@hono/zod-openapi';
import { DWELL_BIN_EDGES_SECONDS, Id } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import {
  MEASURES,
  PERIODS,
  SERIES_ROLLUPS,
  SUBJECT_KINDS,
  SubjectSyntaxError,
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
import { DEFAULT_SUPPRESS_BELOW } from '../../report/index.ts';
import { requireRole, type ApiEnv } from '../auth.ts';
import { requireWholeHours, researcherView } from './researcher-hours.ts';
import { LOCAL_TIME, apiRouter, errors, json, roles, z } from '../contract.ts';
import { ClassParam, DateOrInstant, LocalDate, StayMinSeconds, SubjectParam } from '../local-params.ts';
import { badRequest, notFound } from '../errors.ts';
import { LOCAL_ZONE, LocalZone, MovementClass, SubjectRef, Time } from '../schemas.ts';

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

const MeasureParam = z.enum(MEASURES).default('passers').openapi({ description: 'forward/backward: line subjects only; entries, exits, stayingVisits, personMinutes: not for line subjects' });
const fromParam = DateOrInstant.optional().openapi({ description: 'Start, inclusive: a local date (its midnight, Europe/Copenhagen) or an ISO 8601 time with offset' });
const toParam = DateOrInstant.optional().openapi({ description: 'End, exclusive (default: the end of today, local)' });

const UrbanQuery = z
  .object({
    subject: SubjectParam,
    period: z.enum(PERIODS).default('month').openapi({ description: 'Period kind; keys 2026-W47 (ISO week, Monday), 2026-11, 2026-Q4' }),
    from: LocalDate.optional().openapi({ description: 'Local date; every whole period overlapping [from, to) is given. Default: the 6 periods up to and including the current one (or the one before `to`).' }),
    to: LocalDate.optional().openapi({ description: 'Local date, exclusive' }),
    stayMinSeconds: StayMinSeconds,
    class: ClassParam,
  })
  .strict();
const SeriesQuery = z
  .object({ subject: SubjectParam, measure: MeasureParam, rollup: z.enum(SERIES_ROLLUPS).default('day').openapi({ description: 'Local bucket: hour, day, ISO week (Monday), month' }), from: fromParam, to: toParam, class: ClassParam, stayMinSeconds: StayMinSeconds })
  .strict();
const HeatmapQuery = z.object({ subject: SubjectParam, measure: MeasureParam, from: fromParam, to: toParam, class: ClassParam, stayMinSeconds: StayMinSeconds }).strict();
const DwellQuery = z.object({ subject: SubjectParam, from: fromParam, to: toParam }).strict();
const SubjectsQuery = z.object({ site: Id.optional().openapi({ description: 'Only this site (and the districts holding it)' }) }).strict();

const Nullable = z.number().nullable();

export const IndicatorValues = z
  .object({
    passersPerDay: Nullable,
    stayingVisitsPerDay: Nullable.openapi({ description: 'null for a subject without zones' }),
    personMinutesPerDay: Nullable.openapi({ description: 'null for a subject without zones' }),
    medianDwellSeconds: Nullable.openapi({ description: 'Interpolated within its histogram bucket; null for a subject without zones' }),
    eveningShare: Nullable.openapi({ description: 'Passers 18–24 local / all, over complete days' }),
    installationUse: Nullable.openapi({ description: 'Observed hours with someone in a zone / observed hours; null for a subject without zones' }),
  })
  .openapi('IndicatorValues', { description: 'Per-day values are means over complete local days (every hour observed); null without data' });

export const UrbanPeriod = z
  .object({
    key: z.string().openapi({ example: '2026-11' }),
    start: z.string().openapi({ format: 'date', description: 'Local date, inclusive' }),
    end: z.string().openapi({ format: 'date', description: 'Local date, exclusive' }),
    hours: z.object({ observed: z.number().int(), total: z.number().int() }),
    days: z.object({ complete: z.number().int(), total: z.number().int() }),
    values: IndicatorValues,
    seen: z
      .object({ seconds: z.number(), passers: z.number(), stayingVisits: z.number().nullable(), personMinutes: z.number().nullable() })
      .nullable()
      .openapi({ description: 'What was counted in the period as seen, unscaled, over `seconds` of observation (every hour, observed or not): for showing a period too short for values with its coverage, never as a value. null for a researcher (it would show small counts)' }),
  })
  .openapi('UrbanPeriod');

export const UrbanIndicators = z
  .object({ subject: SubjectRef, period: z.enum(PERIODS), timeZone: LocalZone, stayMinSeconds: z.number().int(), class: MovementClass, periods: z.array(UrbanPeriod) })
  .openapi('UrbanIndicators');

export const SeriesPoint = z
  .object({
    start: Time,
    end: Time,
    value: Nullable.openapi({ description: 'Sum over the observed hours of the bucket; null when none was observed' }),
    observedHours: z.number().int(),
    totalHours: z.number().int(),
    observedSeconds: z.number().openapi({ description: 'Seconds of the bucket observed (the least-seeing camera), every hour included: its coverage' }),
    seen: Nullable.openapi({ description: 'The measure as counted in observedSeconds, unscaled, observed hours or not; null for a researcher' }),
  })
  .openapi('SeriesPoint');

export const Series = z
  .object({ subject: SubjectRef, measure: z.enum(MEASURES), rollup: z.enum(SERIES_ROLLUPS), class: MovementClass, timeZone: LocalZone, from: Time, to: Time, points: z.array(SeriesPoint) })
  .openapi('Series');

export const HeatmapCell = z
  .object({
    weekday: z.number().int().min(1).max(7).openapi({ description: 'Local ISO weekday, Monday 1' }),
    hour: z.number().int().min(0).max(23).openapi({ description: 'Local hour' }),
    mean: Nullable.openapi({ description: 'Mean over the observed hours of the cell; null when none' }),
    hours: z.number().int().openapi({ description: 'Observed hours the mean rests on' }),
  })
  .openapi('HeatmapCell');

export const Heatmap = z
  .object({ subject: SubjectRef, measure: z.enum(MEASURES), class: MovementClass, timeZone: LocalZone, from: Time, to: Time, cells: z.array(HeatmapCell) })
  .openapi('Heatmap');

export const Dwell = z
  .object({
    subject: SubjectRef,
    timeZone: LocalZone,
    from: Time,
    to: Time,
    edges: z.array(z.number().int()).openapi({ description: `Bucket edges in seconds: ${DWELL_BIN_EDGES_SECONDS.join(', ')}` }),
    counts: z.array(z.number()).openapi({ description: 'Visits per bucket [0, 5), [5, 15), … [1800, ∞)' }),
    visits: z.number(),
    medianSeconds: Nullable,
  })
  .openapi('Dwell');

export const SubjectOption = z
  .object({
    subject: z.string().openapi({ example: 'zone:park/cam1/bench' }),
    kind: z.enum(SUBJECT_KINDS),
    name: z.string(),
    site: z.string().nullable().openapi({ description: 'null for a district' }),
    camera: z.string().optional(),
    installation: z.string().optional(),
  })
  .openapi('SubjectOption');

const round = (v: number | null, places = 3) => (v === null ? null : Math.round(v * 10 ** places) / 10 ** places);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Hours of a subject, with the indicators module's errors turned into 404 / 400. For a
 * researcher (`researcherThreshold` set), hours holding a small count are not observed.
 */
async function hoursOf(
  store: HubStore,
  subject: Subject,
  fromMs: number,
  toMs: number,
  options: { class?: 'person' | 'cyclist' | 'all'; stayMinSeconds?: number },
  researcherThreshold: number | undefined,
  nowMs: number,
): Promise<SubjectHours> {
  let h: SubjectHours;
  try {
    h = await subjectHours(store, subject, fromMs, toMs, options);
  } catch (error) {
    if (error instanceof UnknownSubjectError) throw notFound(error.message);
    if (error instanceof SubjectSyntaxError) throw badRequest(`subject: ${error.message}`);
    throw error;
  }
  return researcherThreshold === undefined ? h : researcherView(store, h, fromMs, toMs, researcherThreshold, nowMs);
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

const READERS = ['admin', 'planner', 'researcher'] as const;
const RULE =
  'A UTC hour is observed when every camera of the subject saw ≥ 50 % of it; its counts are scaled to the full hour (per camera, 3600 / seen seconds). Unobserved hours are null, never 0. ' +
  'For a researcher, an hour holding a small count (1 to k − 1 in any line, zone, measure or class of the subject: the export\'s base cells) counts as not observed, and from/to must be whole hours.';
const about = (text: string) => `${roles(...READERS)} ${LOCAL_TIME} ${text}`;

export function indicatorRoutes(store: HubStore, clock: () => Date, options: { suppressBelow: number } = { suppressBelow: DEFAULT_SUPPRESS_BELOW }) {
  const app = apiRouter();
  const readers = requireRole(store, ...READERS);
  // Researchers see what the export publishes (report/suppression.ts): whole hours, small ones withheld.
  const researcherK = (c: { get(key: 'principal'): ApiEnv['Variables']['principal'] }) => (c.get('principal').role === 'researcher' ? options.suppressBelow : undefined);
  const checkResearcherRange = (c: Parameters<typeof researcherK>[0], fromMs: number, toMs: number) => {
    if (researcherK(c) !== undefined) requireWholeHours(fromMs, toMs);
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/indicators/urban',
      summary: 'Urban-life indicators per local week, month or quarter',
      description: about(
        `${RULE} Per-day values are means over complete local days (every hour observed); eveningShare = passers 18–24 local / all, over complete days; medianDwellSeconds interpolates within its histogram bucket; installationUse = observed hours with someone in a zone / observed hours. Values without data are null. Zone figures are null for a subject without zones.`,
      ),
      middleware: [readers] as const,
      request: { query: UrbanQuery },
      responses: { 200: json(UrbanIndicators), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
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
      const h = await hoursOf(store, q.subject, fromMs, toMs, { class: q.class, stayMinSeconds: q.stayMinSeconds }, researcherK(c), clock().getTime());
      return c.json(
        {
          subject: subjectJson(h),
          period: q.period,
          timeZone: LOCAL_ZONE,
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
              seen: researcherK(c) !== undefined ? null : { seconds: round(ind.seen.seconds, 1)!, passers: round(ind.seen.passers, 1)!, stayingVisits: round(zone(ind.seen.stayingVisits), 1), personMinutes: round(zone(ind.seen.personMinutes), 1) },
            };
          }),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/series',
      summary: 'A count series in local buckets (hour, day, ISO week, month)',
      description: about(`${RULE} A bucket's value is the sum of its observed hours, null when none was; observedHours / totalHours say how much it rests on. Default range: the last ${DEFAULT_SERIES_DAYS} local days; an hourly series has at most ${MAX_HOURLY_POINTS} points.`),
      middleware: [readers] as const,
      request: { query: SeriesQuery },
      responses: { 200: json(Series), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      checkMeasure(q.subject, q.measure);
      const { fromMs, toMs } = range(q, clock(), DEFAULT_SERIES_DAYS);
      checkResearcherRange(c, fromMs, toMs);
      if (q.rollup === 'hour' && toMs - fromMs > MAX_HOURLY_POINTS * 3_600_000) throw badRequest(`rollup: an hourly series has at most ${MAX_HOURLY_POINTS} points; use rollup=day or a shorter range`);
      const h = await hoursOf(store, q.subject, fromMs, toMs, { class: q.class, stayMinSeconds: q.stayMinSeconds }, researcherK(c), clock().getTime());
      const unknown = ZONE_MEASURES.includes(q.measure) && !h.hasZones;
      return c.json(
        {
          subject: subjectJson(h),
          measure: q.measure,
          rollup: q.rollup,
          class: q.class,
          timeZone: LOCAL_ZONE,
          from: iso(fromMs),
          to: iso(toMs),
          points: seriesPoints(h.hours, fromMs, toMs, q.measure, q.rollup).map((p) => ({
            start: iso(p.startMs),
            end: iso(p.endMs),
            value: unknown ? null : round(p.value),
            observedHours: p.observedHours,
            totalHours: p.totalHours,
            observedSeconds: round(p.observedSeconds, 1)!,
            seen: unknown || researcherK(c) !== undefined ? null : round(p.seen),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/series/heatmap',
      summary: 'Mean per observed hour by local weekday (Monday 1) and local hour',
      description: about(`${RULE} Default range: the last ${DEFAULT_HEATMAP_DAYS} local days.`),
      middleware: [readers] as const,
      request: { query: HeatmapQuery },
      responses: { 200: json(Heatmap), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      checkMeasure(q.subject, q.measure);
      const { fromMs, toMs } = range(q, clock(), DEFAULT_HEATMAP_DAYS);
      checkResearcherRange(c, fromMs, toMs);
      const h = await hoursOf(store, q.subject, fromMs, toMs, { class: q.class, stayMinSeconds: q.stayMinSeconds }, researcherK(c), clock().getTime());
      const unknown = ZONE_MEASURES.includes(q.measure) && !h.hasZones;
      return c.json(
        {
          subject: subjectJson(h),
          measure: q.measure,
          class: q.class,
          timeZone: LOCAL_ZONE,
          from: iso(fromMs),
          to: iso(toMs),
          cells: heatmap(h.hours, q.measure).map((cell) => ({ ...cell, mean: unknown ? null : round(cell.mean) })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/series/dwell',
      summary: 'Zone visits by dwell time (visits seen in observed hours, unscaled) and their median',
      description: about(`Buckets [0, 5), [5, 15), … [1800, ∞) seconds. Not for line subjects. Default range: the last ${DEFAULT_HEATMAP_DAYS} local days.`),
      middleware: [readers] as const,
      request: { query: DwellQuery },
      responses: { 200: json(Dwell), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.subject.kind === 'line') throw badRequest('subject: dwell times are measured in zones; a line has none');
      const { fromMs, toMs } = range(q, clock(), DEFAULT_HEATMAP_DAYS);
      checkResearcherRange(c, fromMs, toMs);
      const h = await hoursOf(store, q.subject, fromMs, toMs, {}, researcherK(c), clock().getTime());
      const d = dwellSummary(h.hours);
      return c.json({ subject: subjectJson(h), timeZone: LOCAL_ZONE, from: iso(fromMs), to: iso(toMs), ...d, medianSeconds: round(d.medianSeconds, 1) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/subjects',
      summary: 'Subjects for pickers: sites, zones, lines, installations, districts',
      description: `${roles(...READERS)} Zones and lines come from every scene version (named by the newest) and from the data of the last ${SUBJECT_DATA_DAYS} days.`,
      middleware: [readers] as const,
      request: { query: SubjectsQuery },
      responses: { 200: json(z.object({ subjects: z.array(SubjectOption) })), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      if (q.site !== undefined && !(await store.cameras.hasSite(q.site))) throw notFound(`no site ${q.site} is known`);
      return c.json({ subjects: await listSubjects(store, q.site, clock().getTime() - SUBJECT_DATA_DAYS * DAY_MS) }, 200);
    },
  );

  return app;
}
