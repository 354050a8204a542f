/**
 * The shipped SAMPLE DATA (hub/sample/): "Eksempel Kommune", a fictional municipality with
 * fictional districts, numbers and site map. Loaded by `byliv-hub sample load` and by tests.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { HubStore } from '../store/index.ts';
import { importDistricts, importSiteMap, importSocialValues, type ImportOutcome } from './import.ts';
import { validateCatalogue } from './validate.ts';

/** hub/sample/, found from this file so it works from any working directory. */
export const SAMPLE_DIR = fileURLToPath(new URL('../../sample/', import.meta.url));

export const SAMPLE_SOURCE = 'EKSEMPELDATA / SAMPLE DATA: fiktive tal / fictional numbers (Eksempel Kommune)';

export const SAMPLE_FILES = {
  catalogue: 'catalogue.json',
  values: 'social-indicators.csv',
  districts: 'districts.geojson',
  siteMap: 'site-map.geojson',
} as const;

export interface SampleDataLoad {
  dir: string;
  districts: string[];
  indicators: string[];
  values: number;
  sites: string[];
  mapFeatures: number;
}

function must<T, E>(what: string, outcome: ImportOutcome<T, E>): T {
  if (outcome.ok) return outcome.result;
  const lines = outcome.errors.map((e) => `  ${JSON.stringify(e)}`);
  throw new Error([`${what}: ${outcome.reason}`, ...lines].join('\n'));
}

/** Districts, then the catalogue with the values, then the site map: each all or nothing. Loading twice changes nothing. */
export async function loadSampleData(store: HubStore, at: Date, dir = SAMPLE_DIR): Promise<SampleDataLoad> {
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const districts = must(SAMPLE_FILES.districts, await importDistricts(store, JSON.parse(read(SAMPLE_FILES.districts)), { source: SAMPLE_SOURCE }, at));
  const catalogue = validateCatalogue(JSON.parse(read(SAMPLE_FILES.catalogue)));
  if (catalogue.errors.length > 0) throw new Error(`${SAMPLE_FILES.catalogue}: ${catalogue.errors.map((e) => `entry ${e.index}: ${e.message}`).join('; ')}`);
  const values = must(SAMPLE_FILES.values, await importSocialValues(store, read(SAMPLE_FILES.values), { source: SAMPLE_SOURCE, sample: true, catalogue: catalogue.entries }, at));
  const map = must(SAMPLE_FILES.siteMap, await importSiteMap(store, JSON.parse(read(SAMPLE_FILES.siteMap)), at));
  return { dir, districts: districts.districts, indicators: catalogue.entries.map((e) => e.id), values: values.imported, sites: map.sites, mapFeatures: map.features };
}
