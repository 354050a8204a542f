/** The hub's SQLite store: one file, one writing connection, a repository per table group. */
import Database from 'better-sqlite3';
import { openDatabase, type Db, type OpenOptions } from './database.ts';
import { CameraRegistry } from './cameras.ts';
import { CountBins } from './batches.ts';
import { CameraStatusLog } from './camera-status.ts';
import { DeadLetters } from './dead-letters.ts';
import { ApiTokens, AuditLog } from './tokens.ts';
import { Installations, Scenes } from './installations.ts';
import { CountRollups } from './rollups.ts';
import { Users } from './users.ts';
import { Sessions } from './sessions.ts';
import { Districts } from './districts.ts';
import { SocialIndicators } from './social.ts';
import { MapFeatures } from './map-features.ts';

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
  readonly districts: Districts;
  readonly social: SocialIndicators;
  readonly mapFeatures: MapFeatures;

  private constructor(
    readonly path: string,
    readonly db: Db,
  ) {
    this.cameras = new CameraRegistry(db);
    this.bins = new CountBins(db);
    this.statuses = new CameraStatusLog(db);
    this.deadLetters = new DeadLetters(db);
    this.tokens = new ApiTokens(db);
    this.audit = new AuditLog(db);
    this.installations = new Installations(db);
    this.scenes = new Scenes(db);
    this.rollups = new CountRollups(db);
    this.users = new Users(db);
    this.sessions = new Sessions(db);
    this.districts = new Districts(db);
    this.social = new SocialIndicators(db);
    this.mapFeatures = new MapFeatures(db);
  }

  static open(path: string, options?: OpenOptions): HubStore {
    return new HubStore(path, openDatabase(path, options));
  }

  /**
   * A second, read-only connection for long reads (a streamed export): while it iterates,
   * ingest keeps writing on the main one (WAL readers do not block the writer). An in-memory
   * store has no second connection; its callers read everything at once instead.
   */
  openReader(): Db | null {
    if (this.path === ':memory:') return null;
    const reader = new Database(this.path, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 5000');
    return reader;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
