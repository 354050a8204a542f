/**
 * The only I/O of the indicators: which cameras, lines and zones a subject covers, and their
 * stored bins as plain BinCounts rows (read through the store's repositories).
 *
 * - line/zone: that feature of that camera (in a scene of the camera or in its data).
 * - site: every camera of the site that sent bins in the range; all its lines and zones.
 * - installation: the lines and zones whose scene (any version) names the installation.
 * - district: its sites (table site_districts), each as a site subject.
 * Passers: line crossings both ways where the subject (for a district: each site) has lines,
 * else zone entries. A bin that lacks one of a line/zone/installation subject's own features
 * did not count it (the edge sends every feature of its scene in every bin): it observed
 * nothing of the subject.
 */
import type { HubStore, SceneFeatureRow } from '../store/index.ts';
import type { BinCounts } from './hourly.ts';
import { formatSubject, parseSubject, subjectId, type Subject, type SubjectKind } from './subject.ts';

export type ClassFilter = 'person' | 'cyclist' | 'all';

/** A subject that does not exist in the store (the API answers 404). */
export class UnknownSubjectError extends Error {}
/** A subject string that cannot be read (the API answers 400). */
export class SubjectSyntaxError extends Error {}

/** The part of a subject at one site. Feature keys are `camera/id`; 'all' = every feature of the cameras. */
export interface SiteSource {
  site: string;
  cameras: string[];
  lines: Set<string> | 'all';
  zones: Set<string> | 'all';
  /** Where passers come from; 'auto': lines if the site has any (in a scene or in the data), else zones. */
  passers: 'lines' | 'zones' | 'auto';
}

export interface ResolvedSubject {
  subject: Subject;
  /** The canonical string, e.g. 'zone:park/cam1/bench'. */
  text: string;
  kind: SubjectKind;
  id: string;
  name: string;
  sources: SiteSource[];
}

/** What was loaded for a subject: its bins, its cameras ('site/camera'), and whether it has lines and zones. */
export interface LoadedBins {
  bins: BinCounts[];
  cameras: string[];
  hasLines: boolean;
  hasZones: boolean;
}

/** Bins may last up to a day: those starting this long before `from` can reach into it. */
const LOOKBACK_MS = 86_400_000;

async function siteName(store: HubStore, site: string): Promise<string> {
  return (await store.cameras.siteName(site)) || site;
}

const siteSource = async (store: HubStore, site: string, fromMs: number, toMs: number): Promise<SiteSource> => ({
  site,
  cameras: await store.bins.camerasWithBins(site, fromMs - LOOKBACK_MS, toMs),
  lines: 'all',
  zones: 'all',
  passers: 'auto',
});

/** Finds what a subject covers in [fromMs, toMs); throws UnknownSubjectError or SubjectSyntaxError. */
export async function resolveSubject(store: HubStore, subject: Subject | string, fromMs: number, toMs: number): Promise<ResolvedSubject> {
  let s: Subject;
  if (typeof subject === 'string') {
    const parsed = parseSubject(subject);
    if (!parsed.ok) throw new SubjectSyntaxError(parsed.reason);
    s = parsed.subject;
  } else s = subject;
  const base = { subject: s, text: formatSubject(s), kind: s.kind, id: subjectId(s) };

  switch (s.kind) {
    case 'site': {
      if (!(await store.cameras.hasSite(s.site))) throw new UnknownSubjectError(`no site ${s.site} is known`);
      return { ...base, name: await siteName(store, s.site), sources: [await siteSource(store, s.site, fromMs, toMs)] };
    }
    case 'line':
    case 'zone': {
      if (!(await store.cameras.get(s.site, s.camera))) throw new UnknownSubjectError(`no camera ${s.camera} is registered at site ${s.site}`);
      const inScene = await store.scenes.featureName(s.site, s.camera, s.kind, s.feature);
      const inData = inScene !== undefined || (await store.bins.hasFeature(s.site, s.camera, s.kind, s.feature));
      if (!inData) throw new UnknownSubjectError(`camera ${s.site}/${s.camera} has no ${s.kind} ${s.feature} (in no scene and no data)`);
      const key = new Set([`${s.camera}/${s.feature}`]);
      return {
        ...base,
        name: inScene?.name ?? s.feature,
        sources: [{ site: s.site, cameras: [s.camera], lines: s.kind === 'line' ? key : new Set(), zones: s.kind === 'zone' ? key : new Set(), passers: s.kind === 'line' ? 'lines' : 'zones' }],
      };
    }
    case 'installation': {
      const inst = await store.installations.get(s.installation);
      if (!inst) throw new UnknownSubjectError(`no installation ${s.installation} is known`);
      const features = installationFeatures(await store.scenes.features({ installation: s.installation }));
      const hasLines = features.some((f) => f.kind === 'line');
      const bySite = new Map<string, SiteSource>();
      for (const f of features) {
        let src = bySite.get(f.site);
        if (!src) bySite.set(f.site, (src = { site: f.site, cameras: [], lines: new Set(), zones: new Set(), passers: hasLines ? 'lines' : 'zones' }));
        if (!src.cameras.includes(f.camera)) src.cameras.push(f.camera);
        ((f.kind === 'line' ? src.lines : src.zones) as Set<string>).add(`${f.camera}/${f.id}`);
      }
      return { ...base, name: inst.name, sources: [...bySite.values()] };
    }
    case 'district': {
      const district = await store.districts.get(s.district);
      const sites = district?.sites ?? (await store.districts.sitesOf(s.district));
      if (!district && sites.length === 0) throw new UnknownSubjectError(`no district ${s.district} is known`);
      const sources: SiteSource[] = [];
      for (const site of sites) sources.push(await siteSource(store, site, fromMs, toMs));
      return { ...base, name: district?.name ?? s.district, sources };
    }
  }
}

/** The distinct lines and zones an installation's scenes name, by site, camera and id. */
export function installationFeatures(rows: readonly SceneFeatureRow[]): { kind: 'line' | 'zone'; site: string; camera: string; id: string }[] {
  const byKey = new Map<string, { kind: 'line' | 'zone'; site: string; camera: string; id: string }>();
  for (const r of rows) byKey.set(`${r.kind}|${r.site}|${r.camera}|${r.id}`, { kind: r.kind, site: r.site, camera: r.camera, id: r.id });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byKey.values()].sort((a, b) => cmp(a.site, b.site) || cmp(a.camera, b.camera) || cmp(a.id, b.id) || cmp(a.kind, b.kind));
}

/**
 * A bin of a camera that lacks one of the subject's own lines or zones: 'unobserved' (the
 * default: that camera did not count the feature then) or 'zero' (take the bin as it is).
 */
export type FeatureMissing = 'unobserved' | 'zero';

const wants = (set: Set<string> | 'all', key: string) => set === 'all' || set.has(key);

/** The bins of a resolved subject that may reach into [fromMs, toMs), one BinCounts per stored bin. */
export async function loadBins(
  store: HubStore,
  resolved: ResolvedSubject,
  fromMs: number,
  toMs: number,
  cls: ClassFilter = 'all',
  featureMissing: FeatureMissing = 'unobserved',
): Promise<LoadedBins> {
  const bins: BinCounts[] = [];
  const cameras: string[] = [];
  let hasLines = false;
  let hasZones = false;
  for (const src of resolved.sources) {
    const perSite: { bin: BinCounts; lineSum: number; entrySum: number }[] = [];
    // `camera/id` keys: an explicit feature set (line, zone, installation) must be in a bin for the bin to count
    const explicit = (set: Set<string> | 'all', camera: string) => (set === 'all' ? 0 : [...set].filter((k) => k.startsWith(`${camera}/`)).length);
    let siteLines = src.lines === 'all' ? await store.scenes.siteHas(src.site, 'line') : src.lines.size > 0;
    hasZones ||= src.zones === 'all' ? await store.scenes.siteHas(src.site, 'zone') : src.zones.size > 0;
    for (const camera of src.cameras) {
      cameras.push(`${src.site}/${camera}`);
      const rows = await store.bins.cameraRows(src.site, camera, fromMs - LOOKBACK_MS, toMs, cls);
      const byBatch = new Map<string, { bin: BinCounts; lineSum: number; entrySum: number; present: number }>();
      const expected = explicit(src.lines, camera) + explicit(src.zones, camera);
      for (const r of rows.bins) {
        const bin: BinCounts = {
          camera: `${src.site}/${camera}`,
          binStartMs: r.binStartMs,
          binSeconds: r.binSeconds,
          gapSeconds: r.gapSeconds,
          passers: 0,
          forward: 0,
          backward: 0,
          entries: 0,
          exits: 0,
          personSeconds: 0,
          occupied: false,
          dwellHistogram: [],
        };
        const entry = { bin, lineSum: 0, entrySum: 0, present: 0 };
        byBatch.set(r.batchId, entry);
        perSite.push(entry);
      }
      for (const r of rows.lines) {
        const e = byBatch.get(r.batchId);
        if (!e || !wants(src.lines, `${camera}/${r.id}`)) continue;
        siteLines = true;
        e.present++; // one row per bin and line (grouped over the classes)
        e.bin.forward += r.forward;
        e.bin.backward += r.backward;
        e.lineSum += r.forward + r.backward;
      }
      for (const r of rows.zoneCounts) {
        const e = byBatch.get(r.batchId);
        if (!e || !wants(src.zones, `${camera}/${r.id}`)) continue;
        e.bin.entries += r.entries;
        e.bin.exits += r.exits;
        e.entrySum += r.entries;
      }
      for (const r of rows.zoneBins) {
        const e = byBatch.get(r.batchId);
        if (!e || !wants(src.zones, `${camera}/${r.id}`)) continue;
        hasZones = true;
        e.present++;
        e.bin.personSeconds += r.personSeconds;
        e.bin.occupied ||= r.occupancyMax > 0;
        const dwell = JSON.parse(r.dwell) as number[];
        const sum = e.bin.dwellHistogram as number[];
        dwell.forEach((n, i) => (sum[i] = (sum[i] ?? 0) + n));
      }
      // The edge sends every line and zone of its scene in every bin (zeros included): a bin
      // without one of the subject's features was not counting it (drawn later, or removed),
      // so it observed nothing of the subject rather than an empty one.
      if (expected > 0 && featureMissing === 'unobserved') {
        for (const e of byBatch.values()) {
          if (e.present >= expected) continue;
          Object.assign(e.bin, { gapSeconds: e.bin.binSeconds, forward: 0, backward: 0, entries: 0, exits: 0, personSeconds: 0, occupied: false, dwellHistogram: [] });
          e.lineSum = 0;
          e.entrySum = 0;
        }
      }
    }
    const fromLines = src.passers === 'lines' || (src.passers === 'auto' && siteLines);
    for (const e of perSite) {
      e.bin.passers = fromLines ? e.lineSum : e.entrySum;
      bins.push(e.bin);
    }
    hasLines ||= siteLines;
  }
  return { bins, cameras, hasLines, hasZones };
}

/** An entry of the subject picker. */
export interface SubjectEntry {
  subject: string;
  kind: SubjectKind;
  name: string;
  site: string | null;
  camera?: string;
  installation?: string;
}

/**
 * Every subject a picker can offer: sites, their zones and lines (from any scene version,
 * named by the newest, plus features seen in the data since `dataSinceMs`), installations
 * and districts. With `site`: only that site's subjects and the districts holding it.
 */
export async function listSubjects(store: HubStore, site: string | undefined, dataSinceMs: number): Promise<SubjectEntry[]> {
  const sites = site === undefined ? (await store.cameras.sites()).map((s) => s.site) : [site];
  const out: SubjectEntry[] = [];
  for (const s of sites) {
    out.push({ subject: `site:${s}`, kind: 'site', name: await siteName(store, s), site: s });
    const features = new Map<string, SubjectEntry>();
    const scene = await store.scenes.features({ site: s });
    // oldest first: the newest version's name and installation win
    for (const f of scene) {
      const text = `${f.kind}:${s}/${f.camera}/${f.id}`;
      features.set(text, { subject: text, kind: f.kind, name: f.name ?? f.id, site: s, camera: f.camera, ...(f.installation ? { installation: f.installation } : {}) });
    }
    const seen = await store.bins.featuresSeen(s, dataSinceMs);
    for (const f of seen) {
      const text = `${f.kind}:${s}/${f.camera}/${f.id}`;
      if (!features.has(text)) features.set(text, { subject: text, kind: f.kind, name: f.id, site: s, camera: f.camera });
    }
    out.push(...[...features.values()].sort((a, b) => (a.kind === b.kind ? a.subject.localeCompare(b.subject) : a.kind === 'zone' ? -1 : 1)));
    for (const i of await store.installations.list(s)) out.push({ subject: `installation:${i.id}`, kind: 'installation', name: i.name, site: s });
  }
  const districts = await store.districts.named(site);
  for (const d of districts) out.push({ subject: `district:${d.id}`, kind: 'district', name: d.name, site: null });
  return out;
}
