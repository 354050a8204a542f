/**
 * The hub's API shapes the dashboard reads, by name. Every type comes from schema.gen.ts, which
 * `npm run api:types` generates from the hub's OpenAPI document (so from the route definitions
 * themselves); nothing here restates a field's type. Where the dashboard reads only part of an
 * answer, a Pick / Omit says which part, so a field it relies on cannot vanish unnoticed.
 */
import type { components } from './schema.gen.ts';

type Schemas = components['schemas'];

export type Role = Schemas['Role'];
/** GET/POST /session. The dashboard signs in with a password, so its session has a username. */
export type Session = Schemas['Session'];
/** GET /audit (admins): who downloaded what, when. */
export type AuditEntry = Schemas['AuditEntry'];

export type Site = Schemas['Site'];
export type Installation = Schemas['Installation'];
export type SceneItem = Pick<Schemas['SceneLine'], 'id' | 'name' | 'installation'>;
export type Camera = Schemas['Camera'];

export type SubjectRef = Schemas['SubjectRef'];
export type IndicatorValues = Schemas['IndicatorValues'];
export type UrbanIndicator = keyof IndicatorValues;
export const URBAN_INDICATORS: UrbanIndicator[] = ['passersPerDay', 'stayingVisitsPerDay', 'personMinutesPerDay', 'medianDwellSeconds', 'eveningShare', 'installationUse'];
export type UrbanPeriod = Schemas['UrbanPeriod'];
export type UrbanIndicators = Omit<Schemas['UrbanIndicators'], 'class'>;

export type Measure = Schemas['Series']['measure'];
export type SeriesPoint = Schemas['SeriesPoint'];
export type Series = Schemas['Series'];
export type Heatmap = Pick<Schemas['Heatmap'], 'cells'>;
export type Dwell = Pick<Schemas['Dwell'], 'edges' | 'counts' | 'visits' | 'medianSeconds'>;
export type SubjectOption = Schemas['SubjectOption'];

/** An evaluation's effect on one measure, as the dashboard reads it (it does not show `cells`). */
export type Effect = Omit<Schemas['Effect'], 'cells'>;
export type EvaluationMeasure = keyof Schemas['Evaluation']['measures'];
type EvaluationPeriod = Pick<Schemas['EvaluationPeriod'], 'from' | 'to' | 'hours'>;
export type Evaluation = Omit<Schemas['Evaluation'], 'timeZone' | 'class' | 'baseline' | 'intervention' | 'measures' | 'caveats'> & {
  baseline: EvaluationPeriod;
  intervention: EvaluationPeriod;
  measures: Record<EvaluationMeasure, Effect | null>;
  /** The hub's caveat codes; the dashboard explains the ones it knows and names any other. */
  caveats: string[];
};

export type Light = Schemas['Light'];
export type SocialIndicator = Schemas['SocialIndicator'];
export type SocialValue = Schemas['SocialValue'];
export type District = Schemas['District'];

export type MapData = Schemas['MapData'];

export type CameraHealth = Schemas['CameraHealth'];
export type CompletenessHour = Schemas['CompletenessHour'];
export type Completeness = Schemas['Completeness'];

export type ImportRowError = Schemas['ImportRowError'];
/** Any error answer: `{ error, reason }`, with a rejected import's problems; `error` may also be the dashboard's own code for a non-JSON failure. */
export type ApiErrorBody = Omit<Schemas['ImportRejected'], 'error'> & { error: Schemas['Error']['error'] | (string & {}) };
