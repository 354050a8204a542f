/**
 * Which store a hub or a command opens: the embedded SQLite file under the data dir by
 * default, or the database a `--database` URL names (postgres://… for several hubs).
 */
import { join } from 'node:path';
import { HubStore } from './store.ts';
import type { OpenOptions } from './database.ts';

export interface StoreLocation {
  /** Holds hub.sqlite when no `database` is given. */
  dataDir: string;
  /** postgres://… or postgresql://…; or a path to an SQLite file. */
  database?: string;
  /** SQLite only. */
  synchronous?: OpenOptions['synchronous'];
}

export function hubDatabasePath(dataDir: string): string {
  return join(dataDir, 'hub.sqlite');
}

export const isPostgresUrl = (database: string | undefined): boolean => database !== undefined && /^postgres(ql)?:\/\//i.test(database);

/** The URL without its password, for logs and messages. */
export function describeDatabase(location: StoreLocation): string {
  if (location.database === undefined) return hubDatabasePath(location.dataDir);
  return location.database.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

export async function openStore(location: StoreLocation): Promise<HubStore> {
  if (isPostgresUrl(location.database)) {
    // Loaded only when asked for, so an embedded hub never needs the pg driver.
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(location.database!);
  }
  return HubStore.open(location.database ?? hubDatabasePath(location.dataDir), { synchronous: location.synchronous });
}
