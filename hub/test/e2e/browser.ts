/**
 * A real browser for the dashboard tests and benchmark: Debian's Chromium, headless, driven by
 * playwright-core (which brings no browser of its own). Screenshots go to test-results/dashboard/
 * so a person can look at what the test saw.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.BYLIV_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(import.meta.dirname, '../../../test-results/dashboard');

/** Fails with what to do, rather than skipping: CI installs chromium, so its absence is a setup error. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`the dashboard tests need Chromium at ${CHROMIUM}: apt-get install chromium, or set BYLIV_CHROMIUM`);
}

export async function launchChromium(): Promise<Browser> {
  requireChromium();
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}
