/**
 * Installation evaluations: before/after like with like, optionally against a control subject.
 * The hours come from ../../indicators/ (one rule for observed hours and scaling); the maths is
 * ../../evaluations/ (pure); this file declares the route, loads the hours and shapes the JSON.
 */
import { createRoute } from '@hono/zod-openapi';
import { Id } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import {
  SubjectSyntaxError,
  UnknownSubjectError,
  formatSubject,
  installationFeatures,
  listSubjects,
  localParts,
  subjectHours,
  type HourRecord,
  type Subject,
} from '../../indicators/index.ts';
import { EVALUATION_CAVEATS, NoMatchedCellsError, PeriodError, controlCandidates, evaluate, evaluationPeriods, type EvaluationCaveat, type EvaluationHour, type Period } from '../../evaluations/index.ts';
import { requireRole } from '../auth.ts';
import { LOCAL_TIME, apiRouter, errors, json, roles, z } from '../contract.ts';
import { ClassParam, DateOrInstant, StayMinSeconds, SUBJECT_SYNTAX, SubjectParam } from '../local-params.ts';
import { badRequest, notFound } from '../errors.ts';
import { Installation, LOCAL_ZONE, LocalZone, MovementClass, Time, orNull } from '../schemas.ts';

const dateOrTime = (description: string) => DateOrInstant.optional().openapi({ description: `${description}: a local date YYYY-MM-DD (its midnight in Europe/Copenhagen) or an ISO 8601 time with offset` });

const periodFields = {
    baselineFrom: dateOrTime('Start of the baseline, inclusive'),
    baselineTo: dateOrTime('End of the baseline, exclusive'),
    interventionFrom: dateOrTime('Start of the intervention period, inclusive'),
    interventionTo: dateOrTime('End of the intervention period, exclusive'),
};
const PeriodQuery = z.object(periodFields);

export const EvaluationQuery = z
  .object({
    installation: Id.meta({ description: 'Installation id' }),
    ...periodFields,
    control: SubjectParam.optional().openapi({ description: `A control subject: ${SUBJECT_SYNTAX}` }),
    stayMinSeconds: StayMinSeconds,
    class: ClassParam,
  })
  .strict();

// One list for the maths, the route and the dashboard's translations (../../evaluations/caveats.ts).
const CAVEATS = EVALUATION_CAVEATS;

const Interval = z.tuple([z.number(), z.number()]).nullable().openapi({ description: '[low, high], 95 %; null when undefined (no within-cell variance, or a zero total)' });
const comparison = {
  change: z.number(),
  changeCi95: Interval,
  relativeChange: z.number().nullable().openapi({ description: 'ratio − 1; null when a total in the denominator is 0' }),
  relativeCi95: Interval,
};
export const EffectDid = z
  .object(comparison)
  .openapi('EffectDid', { description: 'Difference in differences against the control: (T_i − T_b) − (C_i − C_b); relative (T_i/T_b)/(C_i/C_b) − 1' });
export const Effect = z
  .object({
    baselinePerWeek: z.number().openapi({ description: 'T_b = Σ over matched cells of the mean of the cell’s observed baseline hours (a typical week over the matched cells)' }),
    interventionPerWeek: z.number().openapi({ description: 'T_i, the same over the intervention hours' }),
    ...comparison,
    did: orNull(EffectDid),
    cells: z.number().int().openapi({ description: 'Cells this measure was compared on' }),
  })
  .openapi('Effect');
const EvaluationPeriod = z
  .object({
    from: Time,
    to: Time.openapi({ description: 'exclusive' }),
    hours: z.number().int().openapi({ description: 'Observed hours of the installation in the period' }),
    totalHours: z.number().int(),
  })
  .openapi('EvaluationPeriod');
const measure = orNull(Effect);

export const Evaluation = z
  .object({
    installation: Installation,
    subject: z.string().openapi({ example: 'installation:bench1' }),
    control: z.string().nullable(),
    timeZone: LocalZone,
    baseline: EvaluationPeriod,
    intervention: EvaluationPeriod,
    matchedCells: z.number().int().openapi({ description: 'Local weekday × hour cells observed in every period (at most 168)' }),
    stayMinSeconds: z.number().int(),
    class: MovementClass,
    measures: z
      .object({ passers: measure, stayingVisits: measure, personMinutes: measure })
      .openapi({ description: 'A measure is null when the subject has no data for it (e.g. no zones → no staying visits or person-minutes); an Effect’s did is null without a control (or when the control lacks the measure)' }),
    caveats: z.array(z.enum(CAVEATS)),
  })
  .openapi('Evaluation');

/** Caveats of the maths plus those the route adds (the store knows them, the maths does not). */
export type RouteCaveat = EvaluationCaveat;

const iso = (ms: number) => new Date(ms).toISOString();

/** Indicator hour records placed in their local cells; measures a subject cannot have (no zones → no stays) are null. */
function toEvaluationHours(hours: readonly HourRecord[], has: { lines: boolean; zones: boolean }): EvaluationHour[] {
  return hours.map((r) => {
    const { weekday, hour } = localParts(r.hourStartMs);
    return {
      hourStartMs: r.hourStartMs,
      weekday,
      hour,
      observed: r.observed,
      passers: has.lines || has.zones ? r.passers : null,
      stayingVisits: has.zones ? r.stayingVisits : null,
      personMinutes: has.zones ? r.personMinutes : null,
    };
  });
}

/**
 * Does every line/zone of the installation appear in every bin of its camera in the period?
 * An edge sends all lines and zones of its scene in each bin (zeros included), so a missing one
 * was not being counted then (drawn later, or removed): its zeros would read as "nobody".
 */
async function featuresMissing(store: HubStore, installation: string, period: Period): Promise<boolean> {
  for (const f of installationFeatures(await store.scenes.features({ installation }))) {
    const r = await store.bins.featureCoverage(f.site, f.camera, f.kind, f.id, period.fromMs, period.toMs);
    if (r.counted < r.bins) return true;
  }
  return false;
}

type InstallationDates = { installedAt: string; removedAt: string | null };

/** The evaluation's two periods from the query (or the defaults); a bad date is a 400 naming its parameter. */
function periodsOf(installation: InstallationDates, nowMs: number, q: z.infer<typeof PeriodQuery>): { baseline: Period; intervention: Period } {
  try {
    return evaluationPeriods({ installedAtMs: Date.parse(installation.installedAt), removedAtMs: installation.removedAt === null ? null : Date.parse(installation.removedAt) }, nowMs, q);
  } catch (error) {
    if (error instanceof PeriodError) throw badRequest(`${error.parameter}: ${error.message}`, error.problem);
    throw error;
  }
}

const observedHours = (hours: readonly HourRecord[]) => hours.filter((h) => h.observed).length;

export const EvaluationControl = z
  .object({
    subject: z.string().openapi({ example: 'zone:park/cam2/c1' }),
    kind: z.enum(['site', 'zone', 'line', 'district']),
    name: z.string(),
    site: z.string().nullable().openapi({ description: 'null for a district' }),
    siteName: z.string().nullable().openapi({ description: 'The site’s name (its id when unnamed); null for a district' }),
    baselineHours: z.number().int().openapi({ description: 'Observed hours of the control in the baseline' }),
    interventionHours: z.number().int().openapi({ description: 'Observed hours of the control in the intervention period' }),
  })
  .openapi('EvaluationControl');

export function evaluationRoutes(store: HubStore, clock: () => Date) {
  const app = apiRouter();
  const planners = requireRole(store, 'admin', 'planner');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluations',
      summary: 'Evaluate an installation: before vs after, like with like, optionally against a control',
      description:
        `${roles('admin', 'planner')} ${LOCAL_TIME} Cells are (local weekday, local hour) observed in both periods (and by the control). ` +
        'Per period T = Σ cell means; variance from the pooled within-cell variance, Var(T) = s² · Σ 1/n(k); 95 % interval ± 1.96·SE; ' +
        'the relative change has a log-scale interval. An unobserved hour (cameras saw < 50 %) is left out, never read as 0. ' +
        'Hours are treated as independent, so the intervals are likely too narrow; a before/after change is not proof of cause. ' +
        'Defaults: baseline = [installedAt − 28 d, installedAt), intervention = [installedAt, min(installedAt + 28 d, removedAt, now)), cut to whole hours. ' +
        'Caveats: hours_treated_independent (always), no_control, few_matched_cells (< 24), short_baseline / short_intervention (< 14 days of observed hours), ' +
        'no_variance (a period with one sample per cell: no interval), measure_unavailable, control_measure_unavailable (DiD left out for that measure), feature_missing_in_baseline / feature_missing_in_intervention ' +
        '(a line or zone of the installation was not counted in every bin of its camera then: its zeros mean "not counted").',
      middleware: [planners] as const,
      request: { query: EvaluationQuery },
      responses: { 200: json(Evaluation, 'The evaluation'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const installation = await store.installations.get(q.installation);
      if (!installation) throw notFound(`no installation ${q.installation} is known (GET /api/v1/installations lists them)`, 'installation_unknown');

      const periods = periodsOf(installation, clock().getTime(), q);

      const subject: Subject = { kind: 'installation', installation: installation.id };
      const subjectText = formatSubject(subject);
      const control = q.control ?? null;
      const controlText = control && formatSubject(control);
      if (controlText === subjectText) throw badRequest('control: the control must be another place than the installation itself', 'control_is_installation');

      const options = { stayMinSeconds: q.stayMinSeconds, class: q.class };
      const load = async (s: Subject, p: Period, role: 'installation' | 'control') => {
        try {
          const h = await subjectHours(store, s, p.fromMs, p.toMs, options);
          return { cameras: h.cameras, hours: toEvaluationHours(h.hours, { lines: h.hasLines, zones: h.hasZones }) };
        } catch (error) {
          if (error instanceof UnknownSubjectError) throw notFound(role === 'control' ? `control: ${error.message}` : error.message, role === 'control' ? 'control_unknown' : 'installation_unknown');
          if (error instanceof SubjectSyntaxError) throw badRequest(`${role}: ${error.message}`);
          throw error;
        }
      };
      const sb = await load(subject, periods.baseline, 'installation');
      const si = await load(subject, periods.intervention, 'installation');
      if (sb.cameras.length === 0 && si.cameras.length === 0) {
        throw badRequest(`installation ${installation.id} has no line or zone in any camera scene: link one to it (a scene line or zone with "installation": "${installation.id}") first`, 'installation_unlinked');
      }
      const controlHours = control && { baseline: (await load(control, periods.baseline, 'control')).hours, intervention: (await load(control, periods.intervention, 'control')).hours };

      // Hours in which the installation's lines or zones were not in the camera's scene are missing, not zero.
      const missing = { baseline: await featuresMissing(store, installation.id, periods.baseline), intervention: await featuresMissing(store, installation.id, periods.intervention) };
      let result;
      try {
        result = evaluate({ baseline: sb.hours, intervention: si.hours }, controlHours);
      } catch (error) {
        if (error instanceof NoMatchedCellsError) {
          const notCounted = (['baseline', 'intervention'] as const).filter((p) => missing[p]);
          const why = notCounted.length ? `; the installation's lines or zones were not counted during the ${notCounted.join(' and ')} (drawn into the scene later?)` : '';
          throw badRequest(`no hours to compare: ${error.message}${why}`, 'no_matched_hours');
        }
        throw error;
      }

      const caveats: RouteCaveat[] = [...result.caveats];
      if (missing.baseline) caveats.push('feature_missing_in_baseline');
      if (missing.intervention) caveats.push('feature_missing_in_intervention');

      return c.json(
        {
          installation: { id: installation.id, name: installation.name, kind: installation.kind, site: installation.site, installedAt: installation.installedAt, removedAt: installation.removedAt },
          subject: subjectText,
          control: controlText,
          timeZone: LOCAL_ZONE,
          baseline: { from: iso(periods.baseline.fromMs), to: iso(periods.baseline.toMs), ...result.baseline },
          intervention: { from: iso(periods.intervention.fromMs), to: iso(periods.intervention.toMs), ...result.intervention },
          matchedCells: result.matchedCells,
          stayMinSeconds: q.stayMinSeconds,
          class: q.class,
          measures: result.measures,
          caveats,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/evaluations/controls',
      summary: 'The places that may serve as an installation’s control, with their observed hours in the two periods',
      description:
        `${roles('admin', 'planner')} Each place once; never the installation’s own site, its own lines or zones, a district holding its site, or an installation. ` +
        'baselineHours / interventionHours count the control’s observed hours in the periods the evaluation would use (same defaults), so a picker can say which controls have no data.',
      middleware: [planners] as const,
      request: { query: z.object({ installation: Id.meta({ description: 'Installation id' }), ...periodFields }).strict() },
      responses: { 200: json(z.object({ controls: z.array(EvaluationControl) }), 'The control candidates'), ...errors(400, 401, 403, 404) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const installation = await store.installations.get(q.installation);
      if (!installation) throw notFound(`no installation ${q.installation} is known (GET /api/v1/installations lists them)`, 'installation_unknown');
      const periods = periodsOf(installation, clock().getTime(), q);
      const features = new Set(installationFeatures(await store.scenes.features({ installation: installation.id })).map((f) => `${f.kind}:${f.site}/${f.camera}/${f.id}`));
      const holding = new Set((await store.districts.named(installation.site)).map((d) => `district:${d.id}`));
      const subjects = await listSubjects(store, undefined, periods.baseline.fromMs);
      const siteNames = new Map(subjects.filter((s) => s.kind === 'site').map((s) => [s.site, s.name]));
      const candidates = controlCandidates(subjects, { installation: installation.id, site: installation.site, features, districts: holding });
      const controls = [];
      for (const s of candidates) {
        const hours = async (p: Period) => observedHours((await subjectHours(store, s.subject, p.fromMs, p.toMs)).hours);
        controls.push({
          subject: s.subject,
          kind: s.kind as 'site' | 'zone' | 'line' | 'district',
          name: s.name,
          site: s.site,
          siteName: s.site === null ? null : (siteNames.get(s.site) ?? s.site),
          baselineHours: await hours(periods.baseline),
          interventionHours: await hours(periods.intervention),
        });
      }
      return c.json({ controls }, 200);
    },
  );

  return app;
}
