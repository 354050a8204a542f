import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openStore } from './store/index.ts';
import { SAMPLE_DIR } from './social/sample.ts';
import { testStoreLocation } from '../test/stores.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
/** The commands' store: a data dir (and a PostgreSQL database with BYLIV_TEST_STORE=postgres). */
let location: Awaited<ReturnType<typeof testStoreLocation>>;
beforeEach(async () => {
  location = await testStoreLocation();
});
afterEach(async () => {
  await location.dispose();
});

const dataDir = () => join(location.dataDir, 'data');

const hub = (...args: string[]) => {
  const database = location.database === undefined ? [] : ['--database', location.database];
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args, '--data-dir', dataDir(), ...database], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('byliv-hub import / sample', () => {
  it('imports districts, the catalogue with the values, the site map; a broken CSV lists its rows and exits 1; usage errors exit 2', async () => {
    expect(hub('import', 'districts', join(SAMPLE_DIR, 'districts.geojson')).code).toBe(0);
    const values = hub('import', 'social-indicators', join(SAMPLE_DIR, 'social-indicators.csv'), '--catalogue', join(SAMPLE_DIR, 'catalogue.json'), '--sample');
    expect(values.code, values.stderr).toBe(0);
    expect(JSON.parse(values.stdout).imported).toBe(180);
    expect(hub('import', 'site-map', join(SAMPLE_DIR, 'site-map.geojson')).code).toBe(0);

    const broken = join(location.dataDir, 'broken.csv');
    writeFileSync(broken, 'district;indicator;period;value;individuals\nlaerkevang;unemployment;2026-H2;5,1;x\n');
    const bad = hub('import', 'social-indicators', broken);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2, column individuals');
    expect(bad.stderr).toContain('nothing was imported');

    expect(hub('import', 'social-indicators').code).toBe(2);
    expect(hub('import', 'boundaries', broken).code).toBe(2);
    expect(hub('sample', 'load', '--colour').code).toBe(2);

    const store = await openStore({ dataDir: dataDir(), database: location.database });
    try {
      expect(await store.social.values()).toHaveLength(180);
      expect(await store.districts.districtOf('pets09')).toBe('laerkevang');
    } finally {
      await store.close();
    }
  }, 60_000);

  it('takes district ids with æ, ø and å, from the boundaries to the values and the site map', async () => {
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 55.7], [x + 0.01, 55.7], [x + 0.01, 55.71], [x, 55.71], [x, 55.7]]] });
    const districts = join(location.dataDir, 'districts.geojson');
    writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 'nørrebro', name: 'Nørrebro' }, geometry: square(12.5) },
      { type: 'Feature', properties: { id: 'Åby-Vest', name: 'Åby Vest' }, geometry: square(12.6) },
    ] }));
    const imported = hub('import', 'districts', districts);
    expect(imported.code, imported.stderr).toBe(0);
    const values = join(location.dataDir, 'values.csv');
    writeFileSync(values, 'district,indicator,period,value,individuals\nnørrebro,school-absence,2025,6.5,400\nÅby-Vest,school-absence,2025,7.5,300\nkommune,school-absence,2025,7.0,3000\n');
    const valued = hub('import', 'social-indicators', values, '--catalogue', join(SAMPLE_DIR, 'catalogue.json'), '--sample');
    expect(valued.code, valued.stderr).toBe(0);
    const map = join(location.dataDir, 'map.geojson');
    writeFileSync(map, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'site', site: 'torvet', district: 'nørrebro' }, geometry: square(12.5) }] }));
    const placed = hub('import', 'site-map', map);
    expect(placed.code, placed.stderr).toBe(0);
    // A slash would still make a district id ambiguous in a subject: refused, with the rule.
    writeFileSync(districts, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'nørre/bro', name: 'x' }, geometry: square(12.5) }] }));
    const refused = hub('import', 'districts', districts);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('must be a district id: 1–64 letters (æøå too)');

    const store = await openStore({ dataDir: dataDir(), database: location.database });
    try {
      expect((await store.districts.list()).map((d) => d.id).sort()).toEqual(['nørrebro', 'Åby-Vest']);
      expect(await store.districts.districtOf('torvet')).toBe('nørrebro');
      expect((await store.social.values()).map((v) => v.district).sort()).toEqual(['kommune', 'nørrebro', 'Åby-Vest']);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('sample load loads everything, twice without change', () => {
    const first = hub('sample', 'load', '--skip-history');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ sample: true, values: 180, sites: ['eksempelpladsen', 'pets09'], mapFeatures: 10, history: null });
    expect(first.stderr).toContain('SAMPLE DATA');
    expect(hub('sample', 'load', '--skip-history').code).toBe(0);
  }, 60_000);
});
