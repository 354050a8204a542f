/**
 * Installation evaluations: before/after like with like, optionally against a control subject.
 * The hours come from ../../indicators/ (one rule for observed hours and scaling); the maths is
 * ../../evaluations/ (pure); this file reads the query, loads the hours and shapes the JSON.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { Id } from '@byliv/protocol';
import type { HubStore } from '../../store/index.ts';
import {
  SubjectSyntaxError,
  TIME_ZONE,
  UnknownSubjectError,
  formatSubject,
  localParts,
  subjectHours,
  type HourRecord,
  type Subject,
} from '../../indicators/index.ts';
import { NoMatchedCellsError, PeriodError, evaluate, evaluationPeriods, type Caveat, type EvaluationHour, type Period } from '../../evaluations/index.ts';
import { requireRole, type ApiEnv } from '../auth.ts';
import { ClassParam, DateOrInstant, StayMinSeconds, SubjectParam } from '../local-params.ts';
import { badRequest, notFound } from '../errors.ts';
import { parseQuery } from '../params.ts';


export const EvaluationQuery = z
  .object({
    installation: Id,
    baselineFrom: DateOrInstant.optional(),
    baselineTo: DateOrInstant.optional(),
    interventionFrom: DateOrInstant.optional(),
    interventionTo: DateOrInstant.optional(),
    control: SubjectParam.optional(),
    stayMinSeconds: StayMinSeconds,
    class: ClassParam,
  })
  .strict();

/** Extra caveats the route adds (the store knows them, the maths does not). */
export type RouteCaveat = Caveat | 'feature_missing_in_baseline' | 'feature_missing_in_intervention';

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
function featuresMissing(store: HubStore, installation: string, period: Period): boolean {
  const features = store.db
    .prepare(
      `SELECT DISTINCT 'line' AS kind, s.site, s.camera, f.line_id AS id FROM scene_lines f JOIN scenes s ON s.id = f.scene_id WHERE f.installation = @id
       UNION SELECT DISTINCT 'zone', s.site, s.camera, f.zone_id FROM scene_zones f JOIN scenes s ON s.id = f.scene_id WHERE f.installation = @id`,
    )
    .all({ id: installation }) as { kind: 'line' | 'zone'; site: string; camera: string; id: string }[];
  const count = (kind: 'line' | 'zone') =>
    store.db.prepare(
      `SELECT COUNT(*) AS bins, COALESCE(SUM(EXISTS (SELECT 1 FROM ${kind === 'line' ? 'line_counts f WHERE f.line_id' : 'zone_bins f WHERE f.zone_id'} = @id AND f.batch_id = b.batch_id)), 0) AS counted
       FROM count_bins b WHERE b.site = @site AND b.camera = @camera AND b.bin_start_ms >= @from AND b.bin_start_ms < @to`,
    );
  const queries = { line: count('line'), zone: count('zone') };
  return features.some((f) => {
    const r = queries[f.kind].get({ id: f.id, site: f.site, camera: f.camera, from: period.fromMs, to: period.toMs }) as { bins: number; counted: number };
    return r.counted < r.bins;
  });
}

export function evaluationRoutes(store: HubStore, clock: () => Date) {
  const app = new Hono<ApiEnv>();
  const planners = requireRole(store, 'admin', 'planner');

  app.get('/evaluations', planners, (c) => {
    const q = parseQuery(EvaluationQuery, c.req.query());
    const installation = store.installations.get(q.installation);
    if (!installation) throw notFound(`no installation ${q.installation} is known (GET /api/v1/installations lists them)`);

    let periods: { baseline: Period; intervention: Period };
    try {
      periods = evaluationPeriods({ installedAtMs: Date.parse(installation.installedAt), removedAtMs: installation.removedAt === null ? null : Date.parse(installation.removedAt) }, clock().getTime(), q);
    } catch (error) {
      if (error instanceof PeriodError) throw badRequest(`${error.parameter}: ${error.message}`);
      throw error;
    }

    const subject: Subject = { kind: 'installation', installation: installation.id };
    const subjectText = formatSubject(subject);
    const control = q.control ?? null;
    const controlText = control && formatSubject(control);
    if (controlText === subjectText) throw badRequest('control: the control must be another place than the installation itself');

    const options = { stayMinSeconds: q.stayMinSeconds, class: q.class };
    const load = (s: Subject, p: Period, role: 'installation' | 'control') => {
      try {
        const h = subjectHours(store, s, p.fromMs, p.toMs, options);
        return { cameras: h.cameras, hours: toEvaluationHours(h.hours, { lines: h.hasLines, zones: h.hasZones }) };
      } catch (error) {
        if (error instanceof UnknownSubjectError) throw notFound(role === 'control' ? `control: ${error.message}` : error.message);
        if (error instanceof SubjectSyntaxError) throw badRequest(`${role}: ${error.message}`);
        throw error;
      }
    };
    const sb = load(subject, periods.baseline, 'installation');
    const si = load(subject, periods.intervention, 'installation');
    if (sb.cameras.length === 0 && si.cameras.length === 0) {
      throw badRequest(`installation ${installation.id} has no line or zone in any camera scene: link one to it (a scene line or zone with "installation": "${installation.id}") first`);
    }
    const controlHours = control && { baseline: load(control, periods.baseline, 'control').hours, intervention: load(control, periods.intervention, 'control').hours };

    let result;
    try {
      result = evaluate({ baseline: sb.hours, intervention: si.hours }, controlHours);
    } catch (error) {
      if (error instanceof NoMatchedCellsError) {
        // Hours in which the installation's lines or zones were not in the camera's scene are missing, not zero.
        const notCounted = (['baseline', 'intervention'] as const).filter((p) => featuresMissing(store, installation.id, periods[p]));
        const why = notCounted.length ? `; the installation's lines or zones were not counted during the ${notCounted.join(' and ')} (drawn into the scene later?)` : '';
        throw badRequest(`no hours to compare: ${error.message}${why}`);
      }
      throw error;
    }

    const caveats: RouteCaveat[] = [...result.caveats];
    if (featuresMissing(store, installation.id, periods.baseline)) caveats.push('feature_missing_in_baseline');
    if (featuresMissing(store, installation.id, periods.intervention)) caveats.push('feature_missing_in_intervention');

    return c.json({
      installation: { id: installation.id, name: installation.name, kind: installation.kind, site: installation.site, installedAt: installation.installedAt, removedAt: installation.removedAt },
      subject: subjectText,
      control: controlText,
      timeZone: TIME_ZONE,
      baseline: { from: iso(periods.baseline.fromMs), to: iso(periods.baseline.toMs), ...result.baseline },
      intervention: { from: iso(periods.intervention.fromMs), to: iso(periods.intervention.toMs), ...result.intervention },
      matchedCells: result.matchedCells,
      stayMinSeconds: q.stayMinSeconds,
      class: q.class,
      measures: result.measures,
      caveats,
    });
  });

  return app;
}
