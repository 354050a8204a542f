/**
 * The dashboard in a real browser against a real hub: the hub process (embedded broker, SQLite,
 * HTTP) filled by the real edge agent counting the PETS09 video, plus the shipped sample data
 * (districts, social indicators, site map, the example square's count history). Headless
 * Chromium signs in, opens the cards, the map, a chart, runs an evaluation and downloads a CSV
 * whose numbers must equal the API's. Each page is saved as a screenshot in
 * test-results/dashboard/ (the print pages as A4 PDFs too).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, requireChromium, screenshotPath, SCREENSHOTS } from './browser.ts';
import {
  addCamera,
  CAMERA,
  childTails,
  edgeFinished,
  freePort,
  hubCli,
  hubAudit,
  HubProcess,
  PETS_SCENE,
  requireTools,
  SITE,
  startEdge,
  stopAll,
  storeArgs,
  tempDir,
  type HubLocation,
} from './system-harness.ts';
import { testStoreLocation } from '../stores.ts';

requireTools();
requireChromium();

const PASSWORDS = { admin: 'admin-password-1234', planner: 'planner-password-1234', researcher: 'researcher-password-1234' } as const;
type Role = keyof typeof PASSWORDS;

const dir = tempDir('byliv-dashboard-e2e-');
/** The hub's store: its data dir, and its PostgreSQL database with BYLIV_TEST_STORE=postgres. */
let location: Awaited<ReturnType<typeof testStoreLocation>> | undefined;
let hubStore: HubLocation;
let hub: HubProcess;
let base: string;
let browser: Browser;
/** Two hours ago on the hour: the PETS run lands in the current day, week and month. */
const petsStart = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000);

/** byliv-hub on this test's hub store. */
const hubCliHere = (args: string[], env: Record<string, string> = {}) => hubCli([...args, ...storeArgs(hubStore)], env);

/** A signed-in API client, the same way the dashboard talks to the hub. */
async function apiAs(role: Role): Promise<(path: string, init?: RequestInit) => Promise<Response>> {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: role, password: PASSWORDS[role] }) });
  expect(r.status, await r.clone().text()).toBe(200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0];
  return (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie } });
}

async function signIn(context: BrowserContext, role: Role): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', role);
  await page.fill('input[name=password]', PASSWORDS[role]);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => !(globalThis as unknown as { location: { hash: string } }).location.hash.startsWith('#/login'));
  return page;
}

async function openPage(page: Page, route: string, name: string): Promise<void> {
  // A fresh load: a hash change alone would find the previous page's data-ready=true at once.
  await page.goto('about:blank');
  await page.goto(`${base}/#/${route}`);
  await page.waitForSelector(`main[data-testid=page-${name}][data-ready=true]`, { timeout: 30_000 });
}

beforeAll(async () => {
  location = await testStoreLocation();
  hubStore = { dataDir: join(dir.path, 'hub'), database: location.database };
  const credentials = addCamera(hubStore, SITE, CAMERA);
  for (const role of Object.keys(PASSWORDS) as Role[]) hubCliHere(['user', 'add', '--username', role, '--role', role], { BYLIV_PASSWORD: PASSWORDS[role] });
  hubCliHere(['sample', 'load']);
  hub = await HubProcess.start({ ...hubStore, mqttPort: await freePort(), httpPort: await freePort() }, 'dashboard-hub');
  base = `http://127.0.0.1:${hub.options.httpPort}`;

  // The PETS camera's scene, so its lines and zones have names on the charts page.
  const admin = await apiAs('admin');
  const scene = await admin(`/api/v1/sites/${SITE}/cameras/${CAMERA}/scene?validFrom=${encodeURIComponent(new Date(petsStart.getTime() - 3_600_000).toISOString())}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', origin: base },
    body: readFileSync(PETS_SCENE, 'utf8'),
  });
  expect(scene.status, await scene.clone().text()).toBe(201);

  // The real agent counts the whole PETS09 clip into the hub, in 15 s bins.
  const summary = join(dir.path, 'edge-summary.json');
  const edge = startEdge(
    { dataDir: join(dir.path, 'edge'), summary, brokerUrl: `mqtt://127.0.0.1:${hub.options.mqttPort}`, ...credentials, binSeconds: 15, startTime: petsStart },
    'dashboard-edge',
  );
  const result = await edgeFinished(edge, summary);
  expect(result.code, edge.tail()).toBe(0);

  browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await stopAll();
  dir.remove();
  await location?.dispose();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`processes of "${ctx.task.name}":\n${childTails()}`);
});

describe.sequential('dashboard in headless Chromium, against a hub filled by the edge agent on PETS09', () => {
  let context: BrowserContext;
  let page: Page;

  it('signs a planner in (a wrong password is refused with a message) and shows the monitoring cards', async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'da-DK', acceptDownloads: true });
    const refused = await context.newPage();
    await refused.goto(`${base}/#/login`);
    await refused.fill('input[name=username]', 'planner');
    await refused.fill('input[name=password]', 'not the password');
    await refused.click('button[type=submit]');
    await expect.poll(async () => (await refused.textContent('[role=alert]')) ?? '').not.toBe('');
    await refused.close();

    page = await signIn(context, 'planner');
    await openPage(page, 'cards', 'cards');
    const subjects = await page.$$eval('[data-testid=card]', (cards) => cards.map((c) => c.getAttribute('data-subject')));
    // Every sample district and both sites have a card.
    const api = await apiAs('planner');
    const districts = ((await (await api('/api/v1/districts')).json()) as { districts: { id: string }[] }).districts;
    expect(districts.length).toBeGreaterThan(1);
    for (const d of districts) expect(subjects).toContain(`district:${d.id}`);
    expect(subjects).toContain(`site:${SITE}`);
    // Traffic lights are there, in words too (not colour only), and so is the sample-data mark.
    const text = await page.textContent('main');
    expect(text).toMatch(/Eksempeldata/);
    expect(await page.$$('[data-light]')).not.toHaveLength(0);
    await page.screenshot({ path: screenshotPath('01-cards'), fullPage: true });

    await openPage(page, 'cards/print', 'cards-print');
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ path: join(SCREENSHOTS, '02-cards-print.pdf'), format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });
  }, 120_000);

  it('draws the map offline: a shape per district, sites and zones on top', async () => {
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url());
    });
    await openPage(page, 'map', 'map');
    const api = await apiAs('planner');
    const map = (await (await api('/api/v1/map')).json()) as { districts: { features: unknown[] }; features: { features: { properties: { kind: string } }[] } };
    expect(await page.$$('[data-testid=map] [data-district]')).toHaveLength(map.districts.features.length);
    expect((await page.$$('[data-testid=map] [data-feature]')).length).toBe(map.features.features.length);
    expect(external, 'the map fetched something from outside the hub').toEqual([]);
    await page.screenshot({ path: screenshotPath('03-map'), fullPage: true });
  }, 60_000);

  it('draws counts over time, the hour × weekday heat map and the dwell distribution; hours the camera barely saw are gaps, not zeros', async () => {
    // The PETS clip fills 80 s of its hour: under the 50 % rule that hour is missing, and the
    // chart must show a gap there, not a zero and not an 80-second count read as an hour.
    await openPage(page, `charts?subject=${encodeURIComponent(`zone:${SITE}/${CAMERA}/centre-diamond`)}&measure=entries&rollup=hour`, 'charts');
    expect(await page.$$('svg[data-testid=chart-series] .gap')).not.toHaveLength(0);
    expect(await page.$$('svg[data-testid=chart-series] [data-value]')).toHaveLength(0);
    await page.screenshot({ path: screenshotPath('04-charts-pets-hour'), fullPage: true });

    // Weeks of (sample) counts: daily staying visits at the benches, drawn as bars, with the
    // two-day outage as a gap; the heat map and dwell histogram have values.
    await openPage(page, `charts?subject=${encodeURIComponent('zone:eksempelpladsen/cam1/bench-zone')}&measure=stayingVisits&rollup=day`, 'charts');
    const bars = await page.$$eval('svg[data-testid=chart-series] [data-value]', (els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(bars.length).toBeGreaterThan(20);
    expect(bars.some((v) => v > 0)).toBe(true);
    expect(await page.$$('[data-testid=heatmap] [data-value]')).not.toHaveLength(0);
    expect(await page.$$('[data-testid=dwell-histogram] [data-value]')).not.toHaveLength(0);
    await page.screenshot({ path: screenshotPath('04-charts'), fullPage: true });
  }, 60_000);

  it('evaluates the sample benches against the baseline: staying visits went up, with a 95 % interval', async () => {
    await openPage(page, 'evaluation', 'evaluation');
    await page.selectOption('select[name=installation]', 'eksempel-baenke');
    // The control list: each place once, no "null" label, never the benches' own site; one without data says so before running.
    await page.waitForSelector('select[name=control] option:nth-child(2)', { state: 'attached' });
    const options = await page.$$eval('select[name=control] option', (os) => os.map((o) => ({ value: o.getAttribute('value') ?? '', text: o.textContent ?? '' })));
    const benchSite = ((await (await (await apiAs('planner'))('/api/v1/installations')).json()) as { installations: { id: string; site: string }[] }).installations.find((i) => i.id === 'eksempel-baenke')!.site;
    expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
    expect(options.filter((o) => /null/.test(o.text))).toEqual([]);
    expect(options.map((o) => o.value)).not.toContain(`site:${benchSite}`);
    const empty = options.find((o) => o.text.includes('(ingen data)'));
    expect(empty, 'the PETS camera has no data in the benches’ periods').toBeDefined();
    await page.selectOption('select[name=control]', empty!.value);
    expect(await page.textContent('[data-testid=control-no-data]')).toMatch(/har ingen observerede timer i/);
    await page.selectOption('select[name=control]', '');
    await page.click('button[data-testid=run-evaluation]');
    await page.waitForSelector('[data-testid=evaluation-result]');
    const text = (await page.textContent('[data-testid=evaluation-result]'))!;
    expect(text).toMatch(/95/);
    const api = await apiAs('planner');
    const evaluation = (await (await api('/api/v1/evaluations?installation=eksempel-baenke')).json()) as { measures: { stayingVisits: { relativeChange: number; relativeCi95: [number, number] } } };
    // The sample story: more visits stay once the benches are there, clearly so.
    expect(evaluation.measures.stayingVisits.relativeChange).toBeGreaterThan(0.2);
    expect(evaluation.measures.stayingVisits.relativeCi95[0]).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('05-evaluation'), fullPage: true });

    await openPage(page, 'evaluation/print?installation=eksempel-baenke', 'evaluation-print');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: join(SCREENSHOTS, '06-evaluation-report.pdf'), format: 'A4', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
  }, 90_000);

  it('shows camera health with the PETS camera', async () => {
    await openPage(page, 'health', 'health');
    expect(await page.textContent('main')).toContain(CAMERA);
    await page.screenshot({ path: screenshotPath('07-health'), fullPage: true });
  }, 60_000);

  it('downloads a CSV for researchers whose numbers equal the API, and the download is audited', async () => {
    const researcherContext = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'da-DK', acceptDownloads: true });
    const researcher = await signIn(researcherContext, 'researcher');
    // A researcher's navigation offers downloads and charts, not cards, health or admin.
    const nav = (await researcher.textContent('nav')) ?? '';
    expect(nav).toContain('Hent data');
    expect(await researcher.$$('nav a[href="#/downloads"]')).toHaveLength(1);
    expect(await researcher.$$('nav a[href="#/health"], nav a[href="#/admin"]')).toHaveLength(0);

    await openPage(researcher, `downloads?site=${SITE}`, 'downloads');
    await researcher.screenshot({ path: screenshotPath('08-downloads'), fullPage: true });
    const link = (await researcher.getAttribute('a[data-testid=download-csv]', 'href'))!;
    const [download] = await Promise.all([researcher.waitForEvent('download'), researcher.click('a[data-testid=download-csv]')]);
    const csvPath = join(dir.path, 'download.csv');
    await download.saveAs(csvPath);
    const csv = readFileSync(csvPath, 'utf8');
    writeFileSync(join(SCREENSHOTS, '08-download.csv'), csv);

    const api = await apiAs('researcher');
    const asJson = link.replace(/format=csv/, 'format=json');
    const json = (await (await api(asJson.startsWith('http') ? new URL(asJson).pathname + new URL(asJson).search : asJson)).json()) as { rows: Record<string, unknown>[] };
    // The export's self-description comes first as '# ' lines (readers skip them with comment='#').
    const [header, ...lines] = csv.trim().split(/\r?\n/).filter((line) => !line.startsWith('#'));
    const columns = header.split(',');
    expect(lines.length).toBe(json.rows.length);
    expect(lines.length).toBeGreaterThan(0);
    lines.forEach((line, i) => {
      const cells = line.split(',');
      for (const [c, name] of columns.entries()) {
        const value = json.rows[i][name];
        if (value === null) expect(cells[c], `row ${i} ${name}`).toBe('');
        else if (typeof value === 'number') expect(Number(cells[c]), `row ${i} ${name}`).toBe(value);
        else expect(cells[c], `row ${i} ${name}`).toBe(String(value));
      }
    });
    // Both downloads (the browser's and the JSON one) are in the audit log under the researcher's name.
    const audited = await hubAudit(hubStore);
    expect(audited.filter((a) => a.action === 'export' && a.username === 'researcher').length).toBeGreaterThanOrEqual(2);
    const adminApi = await apiAs('admin');
    expect(await (await adminApi('/api/v1/health/cameras')).status).toBe(200);
    expect(await (await api('/api/v1/health/cameras')).status).toBe(403);
    await researcherContext.close();
  }, 90_000);
});
