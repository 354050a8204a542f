/**
 * vitest globalSetup: one throw-away PostgreSQL cluster for the whole run, so the store's
 * tests can run against PostgreSQL as well as SQLite. Its admin URL goes into
 * BYLIV_TEST_POSTGRES_URL, which the forked test workers inherit (they start after this runs);
 * each test then makes its own database with createTestDatabase (hub/test/postgres.ts).
 *
 * Nothing is started when BYLIV_TEST_POSTGRES_URL is already set (a server of your own) or when
 * no PostgreSQL binaries are installed (the PostgreSQL tests then skip, saying why).
 */
import { POSTGRES_URL_ENV, postgresAvailable, startPostgres } from './postgres.ts';

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env[POSTGRES_URL_ENV] || !postgresAvailable()) return undefined;
  const cluster = await startPostgres();
  process.env[POSTGRES_URL_ENV] = cluster.url;
  return async () => {
    delete process.env[POSTGRES_URL_ENV];
    await cluster.stop();
  };
}
