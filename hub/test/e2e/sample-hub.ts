/**
 * A hub in this process holding the shipped sample data (districts, social indicators, site
 * map, the example square's weeks of counts) and an admin, serving a dashboard built from the
 * current source into a temp folder (not the shared dashboard/dist). For the layout test and
 * scripts/screenshots.ts: every page has something to draw, no edge agent or video needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createHub } from '../../src/app.ts';
import { hubCli, REPO } from './system-harness.ts';

export const SAMPLE_ADMIN = { username: 'admin', password: 'admin-password-1234' } as const;

/** Every page with the parameters that give it data, in navigation order; `name` is its data-testid suffix. */
export const SAMPLE_PAGES = [
  { route: 'login', name: 'login' },
  { route: 'cards', name: 'cards' },
  { route: 'cards/print', name: 'cards-print' },
  { route: 'map', name: 'map' },
  { route: `charts?subject=${encodeURIComponent('zone:eksempelpladsen/cam1/bench-zone')}&measure=stayingVisits&rollup=day`, name: 'charts' },
  { route: 'evaluation', name: 'evaluation' },
  { route: 'evaluation/print?installation=eksempel-baenke', name: 'evaluation-print' },
  { route: 'downloads?site=eksempelpladsen', name: 'downloads' },
  { route: 'health', name: 'health' },
  { route: 'admin', name: 'admin' },
] as const;

export interface SampleHub {
  base: string;
  stop(): Promise<void>;
}

/** Builds the dashboard (node dashboard/build.mjs --outdir), fills a fresh data folder and starts the hub on a free port. */
export async function startSampleHub(): Promise<SampleHub> {
  const dir = mkdtempSync(join(tmpdir(), 'byliv-sample-hub-'));
  const dashboardDir = join(dir, 'dist');
  const build = spawnSync(process.execPath, [join(REPO, 'dashboard/build.mjs'), '--outdir', dashboardDir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`dashboard build failed (exit ${build.status}): ${build.stderr}`);
  const dataDir = join(dir, 'hub');
  hubCli(['sample', 'load', '--data-dir', dataDir]);
  hubCli(['user', 'add', '--username', SAMPLE_ADMIN.username, '--role', 'admin', '--data-dir', dataDir], { BYLIV_PASSWORD: SAMPLE_ADMIN.password });
  const hub = createHub({ dataDir, httpPort: 0, mqttPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1', dashboard: { dashboardDir } });
  const { httpPort } = await hub.start();
  return {
    base: `http://127.0.0.1:${httpPort}`,
    async stop() {
      await hub.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page in `context` signed in as the sample admin through the login form. */
export async function signInAdmin(context: BrowserContext, base: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', SAMPLE_ADMIN.username);
  await page.fill('input[name=password]', SAMPLE_ADMIN.password);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => !(globalThis as unknown as { location: { hash: string } }).location.hash.startsWith('#/login'));
  return page;
}

/** A fresh load of `route`, waiting until its page says it is drawn (a hash change alone would find the last page's flag). */
export async function openSamplePage(page: Page, base: string, route: string, name: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${base}/#/${route}`);
  if (name === 'login') await page.waitForSelector('input[name=username]');
  else await page.waitForSelector(`main[data-testid=page-${name}][data-ready=true]`, { timeout: 30_000 });
}
