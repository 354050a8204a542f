/**
 * The audit-log page in headless Chromium against a real hub (SQLite store with the sample
 * data, the dashboard built from source): an admin downloads an export, then finds that
 * download, with their own name, on the page; filters narrow it; the CSV link answers the
 * same entry. A researcher is not offered the page and the hub refuses its data (403).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotPath } from './browser.ts';
import { openSamplePage, signInAdmin, startSampleHub, SAMPLE_ADMIN, type SampleHub } from './sample-hub.ts';

let hub: SampleHub;
let browser: Browser;

beforeAll(async () => {
  hub = await startSampleHub();
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
});

describe('the audit log page', () => {
  it('shows an admin their own earlier download, filtered, and as CSV', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', acceptDownloads: true });
    const page = await signInAdmin(context, hub.base);
    // The download, as the Downloads page's link makes it (same cookie, same route).
    const status = await page.evaluate(async () => (await fetch('/api/v1/export?site=eksempelpladsen&rollup=day&format=csv')).text().then(() => 'read'));
    expect(status).toBe('read');

    await openSamplePage(page, hub.base, 'audit', 'audit');
    expect(await page.textContent('h1')).toBe('Revisionslog');
    expect(await page.locator('nav a[href="#/audit"]').count()).toBe(1);
    const row = page.locator('[data-testid=audit-table] tr[data-action=export]');
    expect(await row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(SAMPLE_ADMIN.username);
    expect(text).toContain('Download');
    expect(text).toMatch(/site=eksempelpladsen rollup=day format=csv .*rows=\d+/);
    await page.screenshot({ path: screenshotPath('audit'), fullPage: true });

    // Filters go to the hub: another user's downloads are none; sign-ins only are not downloads.
    await page.fill('input[name=user]', 'someone-else');
    await page.locator('input[name=user]').dispatchEvent('change');
    await page.waitForSelector('main[data-testid=page-audit][data-ready=true] >> text=Ingen poster matcher filteret.');
    await page.fill('input[name=user]', SAMPLE_ADMIN.username);
    await page.locator('input[name=user]').dispatchEvent('change');
    await page.selectOption('select[name=action]', 'session.create');
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document;
      return doc.querySelectorAll('[data-testid=audit-table] tr[data-action=export]').length === 0 && doc.querySelectorAll('[data-testid=audit-table] tr[data-action="session.create"]').length > 0;
    });

    await page.selectOption('select[name=action]', 'export');
    await page.waitForSelector('[data-testid=audit-table] tr[data-action=export]');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=audit-csv]')]);
    const csv = await new Response((await download.createReadStream()) as unknown as ReadableStream).text();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,username,role,tokenId,action,what,detail');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\d+,[^,]+,${SAMPLE_ADMIN.username},admin,,export,site=eksempelpladsen rollup=day format=csv`));
    await context.close();
  });

  it('is not offered to a researcher, whose requests for it get 403', { timeout: 60_000 }, async () => {
    const adminContext = await browser.newContext();
    const admin = await signInAdmin(adminContext, hub.base);
    const created = await admin.evaluate(async () => (await fetch('/api/v1/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'forsker', role: 'researcher', password: 'forsker-password-1234' }) })).status);
    expect(created).toBe(201);
    await adminContext.close();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.base}/#/login`);
    await page.fill('input[name=username]', 'forsker');
    await page.fill('input[name=password]', 'forsker-password-1234');
    await page.click('button[type=submit]');
    await page.waitForSelector('nav a[href="#/downloads"]');
    expect(await page.locator('nav a[href="#/audit"]').count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/api/v1/audit')).status)).toBe(403);
    await context.close();
  });
});
