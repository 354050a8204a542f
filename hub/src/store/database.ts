/** Opens the hub's SQLite file: WAL, foreign keys on, migrated to the schema this code knows. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * FULL (default): every commit is synced, so a batch the broker has acknowledged survives a
   * power loss, which is the promise the edge relies on when it deletes it from its outbox.
   * NORMAL is safe against a crash of the hub process but not of the machine.
   */
  synchronous?: 'FULL' | 'NORMAL';
  migrations?: readonly Migration[];
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new Error(`cannot open the hub database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    // Exports read on a second connection while ingest writes; a writer waits briefly rather than failing.
    db.pragma('busy_timeout = 5000');
    // After a reader held the WAL back and it grew, the next reset shrinks it to this again.
    db.pragma(`journal_size_limit = ${8 * 1024 * 1024}`);
    migrate(db, path, options.migrations ?? MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Applies the migrations not yet applied, each in its own transaction; returns the new version. */
export function migrate(db: Db, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list is out of order: entry ${i} has version ${m.version}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`the hub database ${path} has schema version ${current}, newer than this hub knows (${migrations.length}); use a newer hub`);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      // PRAGMA does not take bound parameters; the version is a number from our own list.
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return migrations.length;
}
