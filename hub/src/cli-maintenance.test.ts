/** byliv-hub backup and compact, run as the real CLI against a real store (SQLite, or PostgreSQL with BYLIV_TEST_STORE=postgres). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HubStore } from './store/index.ts';
import { summarizeBatches } from './report/index.ts';
import { makeBatch, tempDir } from '../test/fixtures.ts';
import { openTestStore, TEST_STORE, type TestStore } from '../test/stores.ts';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const DAY = 86_400_000;

let test: TestStore;
let dir: ReturnType<typeof tempDir>;
beforeEach(async () => {
  test = await openTestStore();
  dir = tempDir();
});
afterEach(async () => {
  await test.dispose();
  dir.remove();
});

/** The store's location as the CLI takes it. */
const where = () => (test.location.database ? ['--database', test.location.database] : ['--data-dir', test.location.dataDir]);

/** Runs the CLI without blocking the test worker (a blocked worker misses vitest's own calls). */
const hub = (...args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });

/** One day of 15-minute bins, ten days ago (the CLI compacts against the real clock). */
async function oneDayTenDaysAgo(store: HubStore) {
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, new Date());
  const day = Math.floor(Date.now() / DAY) * DAY - 10 * DAY;
  const batches = Array.from({ length: 96 }, (_, i) =>
    makeBatch({ seq: i, binStart: new Date(day + i * 900_000).toISOString(), binSeconds: 900, lines: { l1: [i % 5, i % 2, i % 3, 0] }, gapSeconds: i % 4 === 0 ? 30 : 0 }),
  );
  await store.bins.insertMany(batches, new Date());
  return batches;
}

describe('byliv-hub compact', () => {
  it('rolls old bins up into hours and days, prints what it did, and does nothing the second time; bad options exit 2', async () => {
    const batches = await oneDayTenDaysAgo(test.store);
    const first = await hub('compact', '--keep-raw-days', '3', '--keep-hourly-days', '5', ...where());
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ hoursCompacted: 24, daysCompacted: 1, rawBinsRemoved: 96, hourlyBinsRemoved: 24, hoursLeftRaw: 0, daysLeftHourly: 0 });
    expect(await test.store.bins.count()).toBe(1);
    expect(summarizeBatches(await test.store.bins.batches({ site: 'park' }))).toEqual(summarizeBatches(batches));

    const again = await hub('compact', ...where());
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ hoursCompacted: 0, daysCompacted: 0, rawBinsRemoved: 0, hourlyBinsRemoved: 0 });
    // a late copy of a compacted bin is refused now
    expect(await test.store.bins.insert(batches[3], new Date())).toMatchObject({ kind: 'too-old' });

    const bad = [
      ['--keep-raw-days', '0'],
      ['--keep-raw-days', '2.5'],
      ['--keep-raw-days', '10', '--keep-hourly-days', '5'],
      ['--keep-raw-days', 'forever', '--keep-hourly-days', '400'],
      ['--keep-days', '3'],
    ];
    const answers = await Promise.all(bad.map((options) => hub('compact', ...options, ...where())));
    answers.forEach((r, i) => expect(r.code, `${bad[i].join(' ')}: ${r.stderr}`).toBe(2));
  }, 120_000);
});

describe('byliv-hub backup', () => {
  it.skipIf(TEST_STORE !== 'sqlite')('copies the SQLite store to a new file that opens with the same rows; never over an existing file', async () => {
    const batches = await oneDayTenDaysAgo(test.store);
    const file = join(dir.path, 'copy.sqlite');
    const r = await hub('backup', '--to', file, ...where());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, bytes: expect.any(Number) });
    const copy = HubStore.open(file);
    try {
      expect(await copy.bins.batches({ site: 'park' })).toEqual(batches);
    } finally {
      await copy.close();
    }
    const again = await hub('backup', '--to', file, ...where());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists');
  }, 120_000);

  it('on PostgreSQL says how to use pg_dump and pg_restore, without connecting and without the password; --to is required', async () => {
    const r = await hub('backup', '--to', join(dir.path, 'never.sqlite'), '--database', 'postgres://byliv:s3cret@127.0.0.1:1/byliv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("pg_dump --format=custom --file=byliv-$(date +%F).dump 'postgres://byliv@127.0.0.1:1/byliv'");
    expect(r.stderr).toContain('pg_restore');
    expect(r.stderr).not.toContain('s3cret');
    expect(existsSync(join(dir.path, 'never.sqlite'))).toBe(false);
    expect((await hub('backup', ...where())).code).toBe(2);
  }, 60_000);
});
