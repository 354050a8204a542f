/**
 * The only I/O of the indicators: which cameras, lines and zones a subject covers, and their
 * stored bins as plain BinCounts rows (SQL on the hub's tables).
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
import type { HubStore } from '../store/index.ts';
import type { Db } from '../store/database.ts';
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

const sceneName = (db: Db, table: 'scene_lines' | 'scene_zones', site: string, camera: string, id: string) =>
  db
    .prepare(`SELECT f.name FROM ${table} f JOIN scenes s ON s.id = f.scene_id WHERE s.site = ? AND s.camera = ? AND ${table === 'scene_lines' ? 'f.line_id' : 'f.zone_id'} = ? ORDER BY s.valid_from DESC, s.version DESC LIMIT 1`)
    .get(site, camera, id) as { name: string | null } | undefined;

function camerasWithBins(db: Db, site: string, fromMs: number, toMs: number): string[] {
  return db
    .prepare('SELECT DISTINCT camera FROM count_bins WHERE site = ? AND bin_start_ms >= ? AND bin_start_ms < ? ORDER BY camera')
    .pluck()
    .all(site, fromMs - LOOKBACK_MS, toMs) as string[];
}

function siteName(db: Db, site: string): string {
  return ((db.prepare('SELECT name FROM sites WHERE site = ?').pluck().get(site) as string | null | undefined) ?? null) || site;
}

const siteSource = (db: Db, site: string, fromMs: number, toMs: number): SiteSource => ({
  site,
  cameras: camerasWithBins(db, site, fromMs, toMs),
  lines: 'all',
  zones: 'all',
  passers: 'auto',
});

/** Finds what a subject covers in [fromMs, toMs); throws UnknownSubjectError or SubjectSyntaxError. */
export function resolveSubject(store: HubStore, subject: Subject | string, fromMs: number, toMs: number): ResolvedSubject {
  let s: Subject;
  if (typeof subject === 'string') {
    const parsed = parseSubject(subject);
    if (!parsed.ok) throw new SubjectSyntaxError(parsed.reason);
    s = parsed.subject;
  } else s = subject;
  const db = store.db;
  const base = { subject: s, text: formatSubject(s), kind: s.kind, id: subjectId(s) };

  switch (s.kind) {
    case 'site': {
      if (!store.cameras.hasSite(s.site)) throw new UnknownSubjectError(`no site ${s.site} is known`);
      return { ...base, name: siteName(db, s.site), sources: [siteSource(db, s.site, fromMs, toMs)] };
    }
    case 'line':
    case 'zone': {
      if (!store.cameras.get(s.site, s.camera)) throw new UnknownSubjectError(`no camera ${s.camera} is registered at site ${s.site}`);
      const table = s.kind === 'line' ? 'scene_lines' : 'scene_zones';
      const inScene = sceneName(db, table, s.site, s.camera, s.feature);
      const inData =
        inScene ??
        (s.kind === 'line'
          ? db.prepare('SELECT 1 FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE b.site = ? AND b.camera = ? AND l.line_id = ? LIMIT 1')
          : db.prepare('SELECT 1 FROM count_bins b JOIN zone_bins z ON z.batch_id = b.batch_id WHERE b.site = ? AND b.camera = ? AND z.zone_id = ? LIMIT 1')
        ).get(s.site, s.camera, s.feature);
      if (!inData) throw new UnknownSubjectError(`camera ${s.site}/${s.camera} has no ${s.kind} ${s.feature} (in no scene and no data)`);
      const key = new Set([`${s.camera}/${s.feature}`]);
      return {
        ...base,
        name: inScene?.name ?? s.feature,
        sources: [{ site: s.site, cameras: [s.camera], lines: s.kind === 'line' ? key : new Set(), zones: s.kind === 'zone' ? key : new Set(), passers: s.kind === 'line' ? 'lines' : 'zones' }],
      };
    }
    case 'installation': {
      const inst = store.installations.get(s.installation);
      if (!inst) throw new UnknownSubjectError(`no installation ${s.installation} is known`);
      const features = db
        .prepare(
          `SELECT 'line' AS kind, s.site, s.camera, f.line_id AS id FROM scene_lines f JOIN scenes s ON s.id = f.scene_id WHERE f.installation = @id
           UNION SELECT 'zone', s.site, s.camera, f.zone_id FROM scene_zones f JOIN scenes s ON s.id = f.scene_id WHERE f.installation = @id
           ORDER BY 2, 3, 4`,
        )
        .all({ id: s.installation }) as { kind: 'line' | 'zone'; site: string; camera: string; id: string }[];
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
      const row = db.prepare('SELECT name FROM districts WHERE id = ?').get(s.district) as { name: string } | undefined;
      const sites = db.prepare('SELECT site FROM site_districts WHERE district = ? ORDER BY site').pluck().all(s.district) as string[];
      if (!row && sites.length === 0) throw new UnknownSubjectError(`no district ${s.district} is known`);
      return { ...base, name: row?.name ?? s.district, sources: sites.map((site) => siteSource(db, site, fromMs, toMs)) };
    }
  }
}

interface BinRow {
  batchId: string;
  camera: string;
  binStartMs: number;
  binSeconds: number;
  gapSeconds: number;
}

/**
 * A bin of a camera that lacks one of the subject's own lines or zones: 'unobserved' (the
 * default: that camera did not count the feature then) or 'zero' (take the bin as it is).
 */
export type FeatureMissing = 'unobserved' | 'zero';

const wants = (set: Set<string> | 'all', key: string) => set === 'all' || set.has(key);

/** The bins of a resolved subject that may reach into [fromMs, toMs), one BinCounts per stored bin. */
export function loadBins(store: HubStore, resolved: ResolvedSubject, fromMs: number, toMs: number, cls: ClassFilter = 'all', featureMissing: FeatureMissing = 'unobserved'): LoadedBins {
  const db = store.db;
  const range = { from: fromMs - LOOKBACK_MS, to: toMs };
  const classSql = (alias: string) => (cls === 'all' ? '' : `AND ${alias}.class = @cls`);
  const where = 'b.site = @site AND b.camera = @camera AND b.bin_start_ms >= @from AND b.bin_start_ms < @to';
  const binsSql = db.prepare(
    `SELECT b.batch_id AS batchId, b.camera, b.bin_start_ms AS binStartMs, b.bin_seconds AS binSeconds, b.gap_seconds AS gapSeconds FROM count_bins b WHERE ${where}`,
  );
  const linesSql = db.prepare(
    `SELECT l.batch_id AS batchId, l.line_id AS id, SUM(l.forward) AS forward, SUM(l.backward) AS backward
     FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE ${where} ${classSql('l')} GROUP BY l.batch_id, l.line_id`,
  );
  const zoneCountsSql = db.prepare(
    `SELECT zc.batch_id AS batchId, zc.zone_id AS id, SUM(zc.entries) AS entries, SUM(zc.exits) AS exits
     FROM count_bins b JOIN zone_counts zc ON zc.batch_id = b.batch_id WHERE ${where} ${classSql('zc')} GROUP BY zc.batch_id, zc.zone_id`,
  );
  const zoneBinsSql = db.prepare(
    `SELECT zb.batch_id AS batchId, zb.zone_id AS id, zb.person_seconds AS personSeconds, zb.occupancy_max AS occupancyMax, zb.dwell_histogram AS dwell
     FROM count_bins b JOIN zone_bins zb ON zb.batch_id = b.batch_id WHERE ${where}`,
  );
  const siteHasSceneLines = db.prepare('SELECT 1 FROM scene_lines f JOIN scenes s ON s.id = f.scene_id WHERE s.site = ? LIMIT 1');
  const siteHasSceneZones = db.prepare('SELECT 1 FROM scene_zones f JOIN scenes s ON s.id = f.scene_id WHERE s.site = ? LIMIT 1');

  const bins: BinCounts[] = [];
  const cameras: string[] = [];
  let hasLines = false;
  let hasZones = false;
  for (const src of resolved.sources) {
    const perSite: { bin: BinCounts; lineSum: number; entrySum: number }[] = [];
    // `camera/id` keys: an explicit feature set (line, zone, installation) must be in a bin for the bin to count
    const explicit = (set: Set<string> | 'all', camera: string) => (set === 'all' ? 0 : [...set].filter((k) => k.startsWith(`${camera}/`)).length);
    let siteLines = src.lines === 'all' ? siteHasSceneLines.get(src.site) !== undefined : src.lines.size > 0;
    hasZones ||= src.zones === 'all' ? siteHasSceneZones.get(src.site) !== undefined : src.zones.size > 0;
    for (const camera of src.cameras) {
      cameras.push(`${src.site}/${camera}`);
      const p = { site: src.site, camera, ...range, ...(cls === 'all' ? {} : { cls }) };
      const byBatch = new Map<string, { bin: BinCounts; lineSum: number; entrySum: number; present: number }>();
      const expected = explicit(src.lines, camera) + explicit(src.zones, camera);
      for (const r of binsSql.all(p) as BinRow[]) {
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
      for (const r of linesSql.all(p) as { batchId: string; id: string; forward: number; backward: number }[]) {
        const e = byBatch.get(r.batchId);
        if (!e || !wants(src.lines, `${camera}/${r.id}`)) continue;
        siteLines = true;
        e.present++; // one row per bin and line (grouped over the classes)
        e.bin.forward += r.forward;
        e.bin.backward += r.backward;
        e.lineSum += r.forward + r.backward;
      }
      for (const r of zoneCountsSql.all(p) as { batchId: string; id: string; entries: number; exits: number }[]) {
        const e = byBatch.get(r.batchId);
        if (!e || !wants(src.zones, `${camera}/${r.id}`)) continue;
        e.bin.entries += r.entries;
        e.bin.exits += r.exits;
        e.entrySum += r.entries;
      }
      for (const r of zoneBinsSql.all({ site: src.site, camera, ...range }) as { batchId: string; id: string; personSeconds: number; occupancyMax: number; dwell: string }[]) {
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
export function listSubjects(store: HubStore, site: string | undefined, dataSinceMs: number): SubjectEntry[] {
  const db = store.db;
  const sites = site === undefined ? store.cameras.sites().map((s) => s.site) : [site];
  const out: SubjectEntry[] = [];
  for (const s of sites) {
    out.push({ subject: `site:${s}`, kind: 'site', name: siteName(db, s), site: s });
    const features = new Map<string, SubjectEntry>();
    const scene = db
      .prepare(
        `SELECT 'zone' AS kind, s.camera, f.zone_id AS id, f.name, f.installation, s.valid_from AS validFrom, s.version FROM scene_zones f JOIN scenes s ON s.id = f.scene_id WHERE s.site = @site
         UNION ALL SELECT 'line', s.camera, f.line_id, f.name, f.installation, s.valid_from, s.version FROM scene_lines f JOIN scenes s ON s.id = f.scene_id WHERE s.site = @site
         ORDER BY validFrom, version`,
      )
      .all({ site: s }) as { kind: 'zone' | 'line'; camera: string; id: string; name: string | null; installation: string | null }[];
    // oldest first: the newest version's name and installation win
    for (const f of scene) {
      const text = `${f.kind}:${s}/${f.camera}/${f.id}`;
      features.set(text, { subject: text, kind: f.kind, name: f.name ?? f.id, site: s, camera: f.camera, ...(f.installation ? { installation: f.installation } : {}) });
    }
    const seen = db
      .prepare(
        `SELECT DISTINCT 'zone' AS kind, b.camera, z.zone_id AS id FROM count_bins b JOIN zone_bins z ON z.batch_id = b.batch_id WHERE b.site = @site AND b.bin_start_ms >= @since
         UNION SELECT DISTINCT 'line', b.camera, l.line_id FROM count_bins b JOIN line_counts l ON l.batch_id = b.batch_id WHERE b.site = @site AND b.bin_start_ms >= @since`,
      )
      .all({ site: s, since: dataSinceMs }) as { kind: 'zone' | 'line'; camera: string; id: string }[];
    for (const f of seen) {
      const text = `${f.kind}:${s}/${f.camera}/${f.id}`;
      if (!features.has(text)) features.set(text, { subject: text, kind: f.kind, name: f.id, site: s, camera: f.camera });
    }
    out.push(...[...features.values()].sort((a, b) => (a.kind === b.kind ? a.subject.localeCompare(b.subject) : a.kind === 'zone' ? -1 : 1)));
    for (const i of store.installations.list(s)) out.push({ subject: `installation:${i.id}`, kind: 'installation', name: i.name, site: s });
  }
  const districts = (
    site === undefined
      ? db.prepare('SELECT id, name FROM districts ORDER BY name, id').all()
      : db.prepare('SELECT d.id, d.name FROM districts d JOIN site_districts sd ON sd.district = d.id WHERE sd.site = ? ORDER BY d.name, d.id').all(site)
  ) as { id: string; name: string }[];
  for (const d of districts) out.push({ subject: `district:${d.id}`, kind: 'district', name: d.name, site: null });
  return out;
}
