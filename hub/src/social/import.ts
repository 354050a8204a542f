/**
 * The imports, shared by the API and the CLI: check the whole file, then store it in one
 * transaction or not at all. Each returns either what was stored or every problem found.
 */
import type { HubStore } from '../store/index.ts';
import { validateCatalogue, validateSocialCsv, type CatalogueEntry, type RowError } from './validate.ts';
import { anchorOf, containsPoint, validateDistricts, validateSiteMap, type FeatureError, type Polygon, type MultiPolygon } from './geojson.ts';

export type ImportOutcome<T, E> = { ok: true; result: T } | { ok: false; reason: string; errors: E[] };

export interface CatalogueError {
  index: number | null;
  message: string;
}

/** Most problems listed at once; a file with thousands of bad rows is usually one systematic mistake. */
export const MAX_LISTED_ERRORS = 200;

const sampleConflict = (ids: string[]) =>
  `${ids.join(', ')} hold${ids.length === 1 ? 's' : ''} real data; sample data is never mixed into real data (import without --sample / sample=false)`;

/** The indicator catalogue (JSON: [{ id, nameDa, nameEn, unit, higherIsBetter, source? }]). */
export async function importCatalogue(store: HubStore, json: unknown, options: { source: string | null; sample: boolean }, at: Date): Promise<ImportOutcome<{ indicators: number }, CatalogueError>> {
  const { entries, errors } = validateCatalogue(json);
  if (errors.length > 0) return { ok: false, reason: `the catalogue has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was imported`, errors };
  const conflicts = await store.social.sampleConflicts(
    entries.filter((e) => options.sample || e.sample).map((e) => e.id),
    true,
  );
  if (conflicts.length > 0) return { ok: false, reason: sampleConflict(conflicts), errors: [] };
  const { indicators } = await store.social.import({ catalogue: entries, source: options.source, sample: options.sample }, at);
  return { ok: true, result: { indicators } };
}

/**
 * Values (CSV: district, indicator, period, value, individuals), optionally with catalogue entries
 * imported in the same transaction (the CLI's --catalogue).
 */
export async function importSocialValues(
  store: HubStore,
  csv: string,
  options: { source: string | null; sample: boolean; catalogue?: CatalogueEntry[] },
  at: Date,
): Promise<ImportOutcome<{ imported: number; indicators: string[]; districts: string[]; periods: string[] }, RowError>> {
  const indicators = new Map((await store.social.indicators()).map((i) => [i.id, { unit: i.unit }]));
  for (const e of options.catalogue ?? []) indicators.set(e.id, { unit: e.unit });
  const districts = new Set((await store.districts.list()).map((d) => d.id));
  const { rows, errors } = validateSocialCsv(csv, { districts, indicators });
  if (errors.length > 0) {
    const lines = new Set(errors.map((e) => e.line)).size;
    return { ok: false, reason: `${errors.length} problem${errors.length === 1 ? '' : 's'} on ${lines} line${lines === 1 ? '' : 's'}; nothing was imported`, errors: errors.slice(0, MAX_LISTED_ERRORS) };
  }
  const ids = [...new Set(rows.map((r) => r.indicator))].sort();
  const conflicts = await store.social.sampleConflicts([...ids, ...(options.catalogue ?? []).map((e) => e.id)], options.sample);
  if (conflicts.length > 0) return { ok: false, reason: sampleConflict(conflicts), errors: [] };
  await store.social.import({ catalogue: options.catalogue, values: rows, source: options.source, sample: options.sample }, at);
  return {
    ok: true,
    result: {
      imported: rows.length,
      indicators: ids,
      districts: [...new Set(rows.map((r) => r.district))].sort(),
      periods: [...new Set(rows.map((r) => r.period))].sort(),
    },
  };
}

/** District boundaries (GeoJSON FeatureCollection of Polygon/MultiPolygon with properties id, name). */
export async function importDistricts(store: HubStore, json: unknown, options: { source: string | null }, at: Date): Promise<ImportOutcome<{ created: number; updated: number; districts: string[] }, FeatureError>> {
  const { districts, errors } = validateDistricts(json);
  if (errors.length > 0) return { ok: false, reason: `${errors.length} feature problem${errors.length === 1 ? '' : 's'}; nothing was imported`, errors: errors.slice(0, MAX_LISTED_ERRORS) };
  const counts = await store.districts.upsert(
    districts.map((d) => ({ id: d.id, name: d.name, geometry: d.geometry, source: options.source })),
    at,
  );
  return { ok: true, result: { ...counts, districts: districts.map((d) => d.id) } };
}

/**
 * The site map. Sites it names that the hub does not know yet are created (a site can be
 * planned on the map before its camera is registered); cameras are not (they need MQTT
 * credentials: byliv-hub camera add). A site feature's `district` places the site; without one,
 * a site feature finds its district by the boundary that contains it (if any).
 */
export async function importSiteMap(
  store: HubStore,
  json: unknown,
  at: Date,
): Promise<ImportOutcome<{ features: number; sites: string[]; createdSites: string[]; placements: { site: string; district: string | null }[] }, FeatureError>> {
  const { features, errors } = validateSiteMap(json);
  if (errors.length > 0) return { ok: false, reason: `${errors.length} feature problem${errors.length === 1 ? '' : 's'}; nothing was imported`, errors: errors.slice(0, MAX_LISTED_ERRORS) };
  const districts = await store.districts.list();
  const boundaries = districts.filter((d) => d.geometry !== null);
  const known = new Set(districts.map((d) => d.id));
  const placementErrors: FeatureError[] = [];
  const placements: { site: string; district: string | null }[] = [];
  features.forEach((f, index) => {
    if (f.kind !== 'site') return;
    if (f.district !== null) {
      if (!known.has(f.district)) placementErrors.push({ index, message: `site ${f.site}: unknown district "${f.district}"; import the districts first` });
      else placements.push({ site: f.site, district: f.district });
      return;
    }
    const anchor = anchorOf(f.geometry);
    const found = boundaries.find((d) => containsPoint(d.geometry as Polygon | MultiPolygon, anchor));
    placements.push({ site: f.site, district: found?.id ?? null });
  });
  if (placementErrors.length > 0) return { ok: false, reason: `${placementErrors.length} feature problem${placementErrors.length === 1 ? '' : 's'}; nothing was imported`, errors: placementErrors };

  const sites = [...new Set(features.map((f) => f.site))].sort();
  const createdSites: string[] = [];
  for (const s of sites) if (!(await store.cameras.hasSite(s))) createdSites.push(s);
  await store.mapFeatures.importSiteMap(
    {
      features: features.map((f) => ({ kind: f.kind, site: f.site, camera: f.camera, zone: f.zone, name: f.name, geometry: f.geometry })),
      siteNames: features.filter((f) => f.kind === 'site').map((f) => ({ site: f.site, name: f.name })),
      placements,
    },
    at,
  );
  return { ok: true, result: { features: features.length, sites, createdSites, placements } };
}
