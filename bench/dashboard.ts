/**
 * The dashboard's weight and speed, as figures:
 *  1. the production bundle (dashboard/dist): bytes per file, raw, gzip and brotli;
 *  2. the cards page's time to first meaningful paint — from navigation to the cards drawn
 *     with their data (the page's own `byliv:cards-ready` mark) — next to first contentful
 *     paint, in headless Chromium against a hub holding the sample data, with a cold cache each
 *     run. Run on a fast machine and with 4× CPU slowdown and a throttled network (a council
 *     laptop on a weak connection); the ratio ready / FCP says how much of the wait is data.
 *
 *   npx tsx bench/dashboard.ts [--runs 7]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { createHub } from '../hub/src/app.ts';
import { launchChromium } from '../hub/test/e2e/browser.ts';
import { hubCli } from '../hub/test/e2e/system-harness.ts';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dashboard/dist');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

function bundleSizes(): void {
  if (!statSync(join(dist, 'index.html'), { throwIfNoEntry: false })) throw new Error('dashboard/dist is missing: run npm run build first');
  console.log('Production bundle (dashboard/dist)');
  console.log('file'.padEnd(44), 'raw'.padStart(11), 'gzip'.padStart(11), 'brotli'.padStart(11));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const path of files(dist).sort()) {
    const data = readFileSync(path);
    const sizes = { raw: data.length, gzip: gzipSync(data, { level: 9 }).length, brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
    console.log(relative(dist, path).padEnd(44), kb(sizes.raw).padStart(11), kb(sizes.gzip).padStart(11), kb(sizes.brotli).padStart(11));
    total.raw += sizes.raw;
    total.gzip += sizes.gzip;
    total.brotli += sizes.brotli;
  }
  console.log('total'.padEnd(44), kb(total.raw).padStart(11), kb(total.gzip).padStart(11), kb(total.brotli).padStart(11));
}

interface PaintRun {
  fcp: number;
  ready: number;
  requests: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function paintRuns(browser: Browser, base: string, cookie: { name: string; value: string }, throttled: boolean): Promise<PaintRun[]> {
  const out: PaintRun[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'da-DK' });
    await context.addCookies([{ ...cookie, url: base }]);
    const page = await context.newPage();
    let requests = 0;
    page.on('request', () => requests++);
    if (throttled) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      // about a good 4G link: 40 ms latency, 9 Mbit/s down, 1.5 up
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: (9e6 / 8) | 0, uploadThroughput: (1.5e6 / 8) | 0 });
    }
    await page.goto(`${base}/#/cards`);
    await page.waitForSelector('main[data-testid=page-cards][data-ready=true]', { timeout: 120_000 });
    const timing = await page.evaluate(() => {
      const perf = globalThis.performance;
      const fcp = perf.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
      const ready = perf.getEntriesByName('byliv:cards-ready')[0]?.startTime ?? NaN;
      return { fcp, ready };
    });
    out.push({ ...timing, requests });
    await context.close();
  }
  return out;
}

async function main(): Promise<void> {
  bundleSizes();

  const dataDir = mkdtempSync(join(tmpdir(), 'byliv-bench-dashboard-'));
  const cli = (args: string[], env: Record<string, string> = {}) => hubCli([...args, '--data-dir', dataDir], env);
  cli(['sample', 'load']);
  cli(['user', 'add', '--username', 'bench', '--role', 'planner'], { BYLIV_PASSWORD: 'bench-password-1234' });
  const hub = createHub({ dataDir, httpPort: 0, mqttPort: 0, httpHost: '127.0.0.1', mqttHost: '127.0.0.1' });
  const { httpPort } = await hub.start();
  const base = `http://127.0.0.1:${httpPort}`;
  let browser: Browser | undefined;
  try {
    const signIn = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password-1234' }) });
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const [name, value] = signIn.headers.get('set-cookie')!.split(';')[0].split('=');
    browser = await launchChromium();
    await paintRuns(browser, base, { name, value }, false); // warm the hub's page cache and the JIT, not measured
    console.log(`\nCards page, ${runs} cold-cache loads each (median; ms from navigation start)`);
    console.log('condition'.padEnd(34), 'FCP'.padStart(8), 'cards ready'.padStart(12), 'ready/FCP'.padStart(10), 'requests'.padStart(9));
    for (const throttled of [false, true]) {
      const r = await paintRuns(browser, base, { name, value }, throttled);
      const fcp = median(r.map((x) => x.fcp));
      const ready = median(r.map((x) => x.ready));
      console.log(
        (throttled ? '4× CPU slowdown, 9 Mbit/s, 40 ms' : 'this machine, loopback').padEnd(34),
        fcp.toFixed(0).padStart(8),
        ready.toFixed(0).padStart(12),
        (ready / fcp).toFixed(2).padStart(10),
        String(median(r.map((x) => x.requests))).padStart(9),
      );
    }
  } finally {
    await browser?.close();
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench/dashboard: ${error.stack ?? error.message}`);
  process.exit(1);
});
