/**
 * Urban-life indicators in local time (Europe/Copenhagen), computed from the stored bins.
 * `hourlyRecords` is the shared source of hours (indicators, series, evaluations); the
 * rest is pure maths over its records.
 */
import type { HubStore } from '../store/index.ts';
import { hourlyFromBins, type HourRecord, type HourlyOptions } from './hourly.ts';
import { loadBins, resolveSubject, type ClassFilter, type FeatureMissing, type ResolvedSubject } from './query.ts';
import type { Subject } from './subject.ts';

export * from './local-time.ts';
export * from './hourly.ts';
export * from './subject.ts';
export * from './indicators.ts';
export * from './series.ts';
export { resolveSubject, loadBins, listSubjects, installationFeatures, type SubjectEntry, UnknownSubjectError, SubjectSyntaxError, type ClassFilter, type ResolvedSubject, type SiteSource, type LoadedBins, type FeatureMissing } from './query.ts';

export interface HourlyRecordOptions extends HourlyOptions {
  /** Which movement class passers/forward/backward/entries/exits count (default all). */
  class?: ClassFilter;
  /** A bin without one of a line/zone/installation subject's features: unobserved (default) or zeros. */
  featureMissing?: FeatureMissing;
}

export interface SubjectHours {
  subject: ResolvedSubject;
  /** 'site/camera' of every camera whose coverage decides the hours. */
  cameras: string[];
  hasLines: boolean;
  hasZones: boolean;
  hours: HourRecord[];
}

/**
 * The subject, what it covers, and one record per UTC hour from the hour holding `fromMs` to
 * `toMs` (exclusive). Throws UnknownSubjectError (no such site/zone/…), SubjectSyntaxError
 * (an unreadable subject string) or RangeError (stayMinSeconds not a histogram edge).
 */
export async function subjectHours(store: HubStore, subject: Subject | string, fromMs: number, toMs: number, options: HourlyRecordOptions = {}): Promise<SubjectHours> {
  const resolved = await resolveSubject(store, subject, fromMs, toMs);
  const loaded = await loadBins(store, resolved, fromMs, toMs, options.class ?? 'all', options.featureMissing ?? 'unobserved');
  return {
    subject: resolved,
    cameras: loaded.cameras,
    hasLines: loaded.hasLines,
    hasZones: loaded.hasZones,
    hours: hourlyFromBins(loaded.bins, loaded.cameras, fromMs, toMs, options),
  };
}

/** Hour records of a subject (values scaled to the full hour; null where the hour was not observed). */
export async function hourlyRecords(store: HubStore, subject: Subject | string, fromMs: number, toMs: number, options: HourlyRecordOptions = {}): Promise<HourRecord[]> {
  return (await subjectHours(store, subject, fromMs, toMs, options)).hours;
}
