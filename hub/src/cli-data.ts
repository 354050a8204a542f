/**
 * byliv-hub import … and sample …: districts, social indicators, the site map, the shipped
 * sample data. A bad file is reported row by row (or feature by feature) and nothing is stored:
 * exit 1. A mistake in the command line: exit 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HubStore } from './store/index.ts';
import { UsageError, dataDir, withStore } from './cli-common.ts';
import { LOCAL_ACTOR } from './accounts.ts';
import { importCatalogue, importDistricts, importSiteMap, importSocialValues, validateCatalogue, type CatalogueEntry, type ImportOutcome } from './social/index.ts';
import { loadSampleData, SAMPLE_DIR } from './social/sample.ts';
import { loadSampleHistory } from './sample-history/index.ts';

export const DATA_USAGE = `  byliv-hub import social-indicators FILE.csv [--catalogue FILE.json] [--source TEXT] [--sample] [--data-dir DIR]
      imports values per district and period (CSV columns district, indicator, period, value,
      individuals; separator , or ; and decimal mark . or ,); district "kommune" = the whole
      municipality; --catalogue adds or updates the indicators (JSON [{id, nameDa, nameEn, unit,
      higherIsBetter, source?}]) in the same transaction; all rows or none
  byliv-hub import social-catalogue FILE.json [--source TEXT] [--sample] [--data-dir DIR]
      adds or updates indicators only
  byliv-hub import districts FILE.geojson [--source TEXT] [--data-dir DIR]
      district boundaries: a FeatureCollection of Polygon/MultiPolygon, properties id and name (WGS84)
  byliv-hub import site-map FILE.geojson [--data-dir DIR]
      where sites, cameras and zones are (properties kind site|camera|zone, site, camera, zone, name;
      a site's district); creates sites the hub does not know yet; replaces the map of each site named
  byliv-hub sample load [--skip-history] [--data-dir DIR]
      loads the SAMPLE DATA in hub/sample/ (Eksempel Kommune: fictional districts, numbers and
      map) and 12 weeks of fictional counts for the example square "eksempelpladsen"`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...dataDir, ...options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new UsageError(`expected ${positionals.join(' ') || 'no file'}, got ${parsed.positionals.length === 0 ? 'none' : parsed.positionals.map((p) => `"${p}"`).join(' ')}`);
  }
  return { values: parsed.values, files: parsed.positionals };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
}

/** Each problem on its own line, where it is first: what the user fixes in the file. */
function describe(error: Record<string, unknown>): string {
  if ('line' in error) return `  line ${error.line}${error.column ? `, column ${error.column}` : ''}: ${error.message}`;
  if ('index' in error) return `  ${error.index === null ? 'file' : `feature/entry ${error.index}`}: ${error.message}`;
  return `  ${JSON.stringify(error)}`;
}

function must<T, E extends object>(file: string, outcome: ImportOutcome<T, E>): T {
  if (outcome.ok) return outcome.result;
  throw new Error([`${file}: ${outcome.reason}`, ...outcome.errors.map((e) => describe(e as Record<string, unknown>))].join('\n'));
}


const audit = (store: HubStore, action: string, detail: Record<string, unknown>, at: Date) => store.audit.add({ ...LOCAL_ACTOR, action, detail }, at);

export async function importCommand(sub: string | undefined, args: string[]): Promise<void> {
  const at = new Date();
  if (sub === 'social-indicators' || sub === 'social') {
    const { values: v, files } = parse(args, { catalogue: { type: 'string' }, source: { type: 'string' }, sample: { type: 'boolean', default: false } }, ['FILE.csv']);
    const csv = readText(files[0]);
    let catalogue: CatalogueEntry[] | undefined;
    if (v.catalogue !== undefined) {
      const checked = validateCatalogue(readJson(v.catalogue));
      if (checked.errors.length > 0) throw new Error([`${v.catalogue}: the catalogue has ${checked.errors.length} problem(s); nothing was imported`, ...checked.errors.map((e) => describe({ ...e }))].join('\n'));
      catalogue = checked.entries;
    }
    return withStore(v, async (store) => {
      const result = must(files[0], await importSocialValues(store, csv, { source: v.source ?? null, sample: v.sample!, catalogue }, at));
      await audit(store, 'social.values.import', { ...result, source: v.source ?? null, sample: v.sample, catalogue: catalogue?.map((e) => e.id) ?? [] }, at);
      print(result);
    });
  }
  if (sub === 'social-catalogue') {
    const { values: v, files } = parse(args, { source: { type: 'string' }, sample: { type: 'boolean', default: false } }, ['FILE.json']);
    const json = readJson(files[0]);
    return withStore(v, async (store) => {
      const result = must(files[0], await importCatalogue(store, json, { source: v.source ?? null, sample: v.sample! }, at));
      await audit(store, 'social.catalogue.import', { ...result, source: v.source ?? null, sample: v.sample }, at);
      print({ imported: result.indicators });
    });
  }
  if (sub === 'districts') {
    const { values: v, files } = parse(args, { source: { type: 'string' } }, ['FILE.geojson']);
    const json = readJson(files[0]);
    return withStore(v, async (store) => {
      const result = must(files[0], await importDistricts(store, json, { source: v.source ?? null }, at));
      await audit(store, 'districts.import', { ...result, source: v.source ?? null }, at);
      print(result);
    });
  }
  if (sub === 'site-map') {
    const { values: v, files } = parse(args, {}, ['FILE.geojson']);
    const json = readJson(files[0]);
    return withStore(v, async (store) => {
      const result = must(files[0], await importSiteMap(store, json, at));
      await audit(store, 'site-map.import', result, at);
      print(result);
    });
  }
  throw new UsageError(`unknown command "import${sub === undefined ? '' : ` ${sub}`}" (import social-indicators, social-catalogue, districts or site-map)`);
}

export async function sampleCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub !== 'load') throw new UsageError(`unknown command "sample${sub === undefined ? '' : ` ${sub}`}" (sample load)`);
  const { values: v } = parse(args, { 'skip-history': { type: 'boolean', default: false } }, []);
  const at = new Date();
  await withStore(v, async (store) => {
    // The history first: it names the example square as sample data before the map mentions it.
    const history = v['skip-history'] ? null : await loadSampleHistory(store, { now: at });
    const data = await loadSampleData(store, at, SAMPLE_DIR);
    await audit(store, 'sample.load', { ...data, history }, at);
    print({ sample: true, ...data, history });
    process.stderr.write('byliv-hub: loaded SAMPLE DATA (fictional numbers, Eksempel Kommune); real imports replace sample indicators\n');
  });
}
