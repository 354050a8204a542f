/**
 * The hub's store: one repository per group of tables over one SQL client (SQLite by
 * default, PostgreSQL for several hubs). Everything outside this folder reads and writes
 * through the repositories; none of it sees SQL or a connection.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase, type OpenOptions } from './database.ts';
import { SqliteClient, type Dialect, type SqlClient, type SqliteClientOptions } from './sql.ts';
import { CameraRegistry } from './cameras.ts';
import { CountBins } from './batches.ts';
import { CameraStatusLog } from './camera-status.ts';
import { DeadLetters } from './dead-letters.ts';
import { ApiTokens, AuditLog } from './tokens.ts';
import { Installations, Scenes } from './installations.ts';
import { CountRollups } from './rollups.ts';
import { Users } from './users.ts';
import { Sessions } from './sessions.ts';
import { SignInAttempts } from './sign-in-attempts.ts';
import { Districts } from './districts.ts';
import { SocialIndicators } from './social.ts';
import { MapFeatures } from './map-features.ts';
import { IngestWrites } from './ingest-writes.ts';
import { Retention } from './retention.ts';

/** What a backup wrote. */
export interface BackupResult {
  file: string;
  bytes: number;
}

/** SQLite's backup copies this many pages per step: all of them in one, so writers elsewhere never restart it. */
const ALL_PAGES = 0x7fffffff;

/** What to do instead of `backup` on PostgreSQL (the message the CLI prints). */
export function postgresBackupGuidance(location: string): string {
  // No password on the command line (not even a masked one): pg_dump takes it from $PGPASSWORD or ~/.pgpass.
  const url = location.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1@');
  return [
    `byliv-hub backup copies the embedded SQLite store; the PostgreSQL store (${location}) is backed up with PostgreSQL's own tools:`,
    `  pg_dump --format=custom --file=byliv-$(date +%F).dump '${url}'`,
    `(one consistent snapshot while the hubs keep writing; the password from $PGPASSWORD or ~/.pgpass). To restore, create an empty`,
    `database (createdb byliv_restored) and`,
    `  pg_restore --no-owner --dbname='${restoredUrl(url)}' byliv-YYYY-MM-DD.dump`,
    `then start the hubs with --database pointing at it.`,
  ].join('\n');
}

function restoredUrl(url: string): string {
  try {
    const u = new URL(url);
    u.pathname = '/byliv_restored';
    return u.toString();
  } catch {
    return 'postgres://user@host/byliv_restored';
  }
}

export class HubStore {
  readonly cameras: CameraRegistry;
  readonly bins: CountBins;
  readonly statuses: CameraStatusLog;
  readonly deadLetters: DeadLetters;
  readonly tokens: ApiTokens;
  readonly audit: AuditLog;
  readonly installations: Installations;
  readonly scenes: Scenes;
  readonly rollups: CountRollups;
  readonly users: Users;
  readonly sessions: Sessions;
  readonly signInAttempts: SignInAttempts;
  readonly districts: Districts;
  readonly social: SocialIndicators;
  readonly mapFeatures: MapFeatures;
  readonly ingestWrites: IngestWrites;
  readonly retention: Retention;

  protected constructor(
    /** Where the data lives, for messages: a file path, or a database URL without its password. */
    readonly location: string,
    private readonly sql: SqlClient,
  ) {
    this.cameras = new CameraRegistry(sql);
    this.bins = new CountBins(sql);
    this.statuses = new CameraStatusLog(sql);
    this.deadLetters = new DeadLetters(sql);
    this.tokens = new ApiTokens(sql);
    this.audit = new AuditLog(sql);
    this.installations = new Installations(sql);
    this.scenes = new Scenes(sql);
    this.rollups = new CountRollups(sql);
    this.users = new Users(sql);
    this.sessions = new Sessions(sql);
    this.signInAttempts = new SignInAttempts(sql);
    this.districts = new Districts(sql);
    this.social = new SocialIndicators(sql);
    this.mapFeatures = new MapFeatures(sql);
    this.ingestWrites = new IngestWrites(sql);
    this.retention = new Retention(sql);
  }

  get dialect(): Dialect {
    return this.sql.dialect;
  }

  /** The embedded store: one SQLite file (created and migrated when needed). */
  static open(path: string, options?: OpenOptions & SqliteClientOptions): HubStore {
    return new HubStore(path, new SqliteClient(openDatabase(path, options), path, options));
  }

  /** A store over an SQL client that is already open and migrated (the PostgreSQL store). */
  static over(location: string, sql: SqlClient): HubStore {
    return new HubStore(location, sql);
  }

  /**
   * A consistent copy of the SQLite store in a new file (SQLite's online backup API), taken
   * while ingest goes on: it reads one snapshot on a second, read-only connection, all pages in
   * one step, so writers are not held up and never make it start over. Written next to `toFile`
   * first and renamed when complete; never over an existing file. On PostgreSQL it throws an
   * Error whose message says how to use pg_dump instead.
   */
  async backup(toFile: string): Promise<BackupResult> {
    if (!(this.sql instanceof SqliteClient)) throw new Error(postgresBackupGuidance(this.location));
    const target = resolve(toFile);
    if (existsSync(target)) throw new Error(`${toFile} exists: a backup is written to a new file, never over one`);
    if (this.sql.path !== ':memory:' && target === resolve(this.sql.path)) throw new Error(`${toFile} is the store itself`);
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    rmSync(partial, { force: true });
    const memory = this.sql.path === ':memory:';
    const source = memory ? this.sql.connection : new Database(this.sql.path, { readonly: true, fileMustExist: true });
    try {
      if (!memory) source.pragma('busy_timeout = 5000');
      await source.backup(partial, { progress: () => ALL_PAGES });
    } catch (error) {
      rmSync(partial, { force: true });
      throw new Error(`backup to ${toFile} failed: ${(error as Error).message}`, { cause: error });
    } finally {
      if (!memory) source.close();
    }
    renameSync(partial, target);
    return { file: toFile, bytes: statSync(target).size };
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}
