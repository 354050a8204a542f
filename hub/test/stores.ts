/**
 * The store a test runs against: SQLite by default, PostgreSQL when BYLIV_TEST_STORE=postgres
 * (`npm run test:postgres` runs the hub's store and API tests that way, on a throw-away
 * cluster started by postgres-global-setup.ts). Tests write against HubStore and never know
 * which one they got.
 */
import { join } from 'node:path';
import { HubStore, openStore } from '../src/store/index.ts';
import { createTestDatabase, sharedPostgresUrl } from './postgres.ts';
import { tempDir } from './fixtures.ts';

export type TestStoreKind = 'sqlite' | 'postgres';

export const TEST_STORE: TestStoreKind = process.env.BYLIV_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestStore {
  store: HubStore;
  /** What a hub or a CLI command needs to open this same store: a data dir, and a database URL for PostgreSQL. */
  location: { dataDir: string; database?: string };
  /** Closes the store and removes its data. */
  dispose(): Promise<void>;
}

/**
 * A fresh, empty, migrated store. SQLite: a file in a temp dir (`memory: true` for an in-memory
 * one, which has no second connection for streams). PostgreSQL: a new database.
 */
export async function openTestStore(options: { memory?: boolean } = {}): Promise<TestStore> {
  const dir = tempDir();
  if (TEST_STORE === 'postgres') {
    const database = await createTestDatabase(sharedPostgresUrl());
    const store = await openStore({ dataDir: dir.path, database: database.url });
    return {
      store,
      location: { dataDir: dir.path, database: database.url },
      async dispose() {
        await store.close();
        await database.drop();
        dir.remove();
      },
    };
  }
  const store = options.memory ? HubStore.open(':memory:') : HubStore.open(join(dir.path, 'hub.sqlite'));
  return {
    store,
    location: { dataDir: dir.path },
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
}

/** A database location for a test that starts a hub itself: the SQLite data dir, or a fresh PostgreSQL database. */
export async function testStoreLocation(): Promise<{ dataDir: string; database?: string; dispose(): Promise<void> }> {
  const dir = tempDir();
  if (TEST_STORE === 'postgres') {
    const database = await createTestDatabase(sharedPostgresUrl());
    return {
      dataDir: dir.path,
      database: database.url,
      async dispose() {
        await database.drop();
        dir.remove();
      },
    };
  }
  return { dataDir: dir.path, dispose: async () => dir.remove() };
}
