/** The hub's API shapes the dashboard reads (see /api/v1/openapi.json and the team contract). */
export type Role = 'admin' | 'planner' | 'researcher';
export interface Session { username: string; role: Role }

export interface Site { site: string; name: string | null; cameras: number }
export interface Installation { id: string; site: string; name: string; kind: string; installedAt: string; removedAt: string | null }
export interface SceneItem { id: string; name?: string; installation?: string }
export interface Camera { site: string; camera: string; scene: { version: number; lines: SceneItem[]; zones: SceneItem[] } | null }

export interface SubjectRef { kind: string; id: string; name: string }
export interface IndicatorValues {
  passersPerDay: number | null;
  stayingVisitsPerDay: number | null;
  personMinutesPerDay: number | null;
  medianDwellSeconds: number | null;
  eveningShare: number | null;
  installationUse: number | null;
}
export type UrbanIndicator = keyof IndicatorValues;
export const URBAN_INDICATORS: UrbanIndicator[] = ['passersPerDay', 'stayingVisitsPerDay', 'personMinutesPerDay', 'medianDwellSeconds', 'eveningShare', 'installationUse'];
export interface UrbanPeriod { key: string; start: string; end: string; hours: { observed: number; total: number }; days: { complete: number; total: number }; values: IndicatorValues }
export interface UrbanIndicators { subject: SubjectRef; period: 'week' | 'month' | 'quarter'; timeZone: string; stayMinSeconds: number; periods: UrbanPeriod[] }

export type Measure = 'passers' | 'forward' | 'backward' | 'entries' | 'exits' | 'stayingVisits' | 'personMinutes';
export interface SeriesPoint { start: string; end: string; value: number | null; observedHours: number; totalHours: number }
export interface Series { subject: SubjectRef | string; measure: Measure; rollup: string; timeZone: string; points: SeriesPoint[] }
export interface Heatmap { cells: { weekday: number; hour: number; mean: number | null; hours: number }[] }
export interface Dwell { edges: number[]; counts: number[]; visits: number; medianSeconds: number | null }
export interface SubjectOption { subject: string; kind: string; name: string; site: string; camera?: string; installation?: string }

export interface Effect {
  baselinePerWeek: number | null;
  interventionPerWeek: number | null;
  change: number | null;
  changeCi95: [number, number] | null;
  relativeChange: number | null;
  relativeCi95: [number, number] | null;
  did: { change: number | null; changeCi95: [number, number] | null; relativeChange: number | null; relativeCi95: [number, number] | null } | null;
}
export type EvaluationMeasure = 'passers' | 'stayingVisits' | 'personMinutes';
export interface Evaluation {
  installation: Installation;
  subject: string;
  control: string | null;
  baseline: { from: string; to: string; hours: number };
  intervention: { from: string; to: string; hours: number };
  matchedCells: number;
  stayMinSeconds: number;
  measures: Record<EvaluationMeasure, Effect>;
  caveats: string[];
}

export type Light = 'green' | 'yellow' | 'red';
export interface SocialIndicator { id: string; nameDa: string; nameEn: string; unit: string; higherIsBetter: boolean; source: string; sample: boolean }
export interface SocialValue {
  district: string; indicator: string; period: string; value: number | null; individuals: number | null;
  suppressed: boolean; municipalAverage: number | null; deviation: number | null; light: Light | null;
}
export interface District { id: string; name: string; sites: string[] }

export interface MapData {
  tileUrl: string | null;
  districts: import('../map/projection.ts').FeatureCollection<{ id: string; name: string }>;
  features: import('../map/projection.ts').FeatureCollection<{ kind: 'site' | 'camera' | 'zone'; site: string; camera?: string; zone?: string; name?: string }>;
}

export interface CameraHealth {
  site: string; camera: string; lastSeen: string | null; state: string; outboxDepth: number | null; outboxDropped: number | null;
  lastBinStart: string | null; batches: number; status: (Record<string, unknown> & { fps?: number }) | null;
}
export interface CompletenessHour { start: string; observedSeconds: number; share: number }
export interface Completeness { site: string; camera: string; from: string; to: string; share: number; hours: CompletenessHour[] }

export interface ImportRowError { line: number; column?: string; message: string }
export interface ApiErrorBody { error: string; reason: string; rows?: ImportRowError[]; features?: { index: number; message: string }[] }
