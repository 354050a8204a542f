/// <reference lib="dom" />
/**
 * Screenshots of every dashboard page, for a person to look at: each page at 1366 px and at
 * 390 px wide (full height), and the two print layouts (cards, evaluation report) as A4 PDFs
 * with their page counts, plus a PNG of each printed page. Runs against a hub in this process
 * holding the sample data, with the dashboard built from the current source.
 *
 *   npx tsx scripts/screenshots.ts [--out /tmp/shots]
 *
 * The PNG of a printed page: this machine has no PDF rasteriser (no pdftoppm), so each PDF
 * is opened in Chromium's own PDF viewer at #page=N and that is screenshotted; the page count
 * is read from the PDF itself (its /Type /Page objects).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../hub/test/e2e/browser.ts';
import { openSamplePage, SAMPLE_PAGES, signInAdmin, startSampleHub } from '../hub/test/e2e/sample-hub.ts';
import { pdfPageCount } from '../hub/test/e2e/print.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: '/tmp/shots' } } });
const out = resolve(values.out!);

/** The evaluation page with its result drawn: the screenshot shows what a planner sees after pressing the button. */
async function runEvaluation(page: Page): Promise<void> {
  await page.selectOption('select[name=installation]', 'eksempel-baenke');
  await page.click('button[data-testid=run-evaluation]');
  await page.waitForSelector('[data-testid=evaluation-result]', { timeout: 30_000 });
}

/** One PNG per page of a PDF, as Chromium's PDF viewer draws it (fitted to the window, toolbar hidden). */
async function pdfPages(browser: Browser, pdfPath: string, pages: number): Promise<string[]> {
  const context = await browser.newContext({ viewport: { width: 840, height: 1188 } });
  const viewer = await context.newPage();
  const files: string[] = [];
  for (let n = 1; n <= pages; n++) {
    await viewer.goto('about:blank');
    await viewer.goto(`file://${pdfPath}#page=${n}&toolbar=0&view=Fit`);
    await viewer.waitForTimeout(1500); // the viewer draws after the load event; it has no ready signal
    const path = pdfPath.replace(/\.pdf$/, `-p${n}.png`);
    await viewer.screenshot({ path });
    files.push(path);
  }
  await context.close();
  return files;
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const hub = await startSampleHub();
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    for (const width of [1366, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'da-DK' });
      const page = await signInAdmin(context, hub.base);
      for (const { route, name } of SAMPLE_PAGES) {
        await openSamplePage(page, hub.base, route, name);
        if (name === 'evaluation') await runEvaluation(page);
        const path = join(out, `${name}-${width}.png`);
        await page.screenshot({ path, fullPage: true });
        // the root tsconfig has no DOM library: the page's globals are typed here, not imported
        const fit = await page.evaluate(() => {
          const w = globalThis as unknown as { innerWidth: number; document: { title: string; documentElement: { scrollWidth: number } } };
          return { scroll: w.document.documentElement.scrollWidth, inner: w.innerWidth, title: w.document.title };
        });
        console.log(`${path}  scrollWidth ${fit.scroll} / ${fit.inner}${fit.scroll > fit.inner ? '  SIDEWAYS SCROLL' : ''}  title "${fit.title}"`);
      }
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'da-DK' });
    const page = await signInAdmin(context, hub.base);
    for (const name of ['cards-print', 'evaluation-print'] as const) {
      const { route } = SAMPLE_PAGES.find((p) => p.name === name)!;
      await openSamplePage(page, hub.base, route, name);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      await page.emulateMedia({ media: 'screen' });
      const pdfPath = join(out, `${name}.pdf`);
      writeFileSync(pdfPath, pdf);
      const pages = pdfPageCount(pdf);
      const pngs = await pdfPages(browser, pdfPath, pages);
      console.log(`${pdfPath}  ${pages} A4 pages: ${pngs.join(', ')}`);
    }
    await context.close();
  } finally {
    await browser?.close();
    await hub.stop();
  }
}

main().catch((error: Error) => {
  console.error(`scripts/screenshots: ${error.stack ?? error.message}`);
  process.exit(1);
});
