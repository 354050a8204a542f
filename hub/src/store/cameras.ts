/** Sites and the cameras registered at them, with each camera's MQTT credentials (hashed). */
import type { Db } from './database.ts';

export interface CameraRecord {
  site: string;
  camera: string;
  mqttUsername: string;
  createdAt: string;
}

export interface SiteRecord {
  site: string;
  name: string | null;
  createdAt: string;
  cameras: number;
}

interface CameraRow {
  site: string;
  camera: string;
  mqtt_username: string;
  password_hash: string;
  created_at: string;
}

const toCamera = (r: CameraRow): CameraRecord => ({ site: r.site, camera: r.camera, mqttUsername: r.mqtt_username, createdAt: r.created_at });

export class CameraRegistry {
  constructor(private readonly db: Db) {}

  /** Creates the site when it is new. */
  ensureSite(site: string, at: Date, name?: string): void {
    this.db.prepare('INSERT INTO sites (site, name, created_at) VALUES (?, ?, ?) ON CONFLICT(site) DO NOTHING').run(site, name ?? null, at.toISOString());
  }

  /**
   * Registers a camera, or replaces the password of one already registered (a lost password is
   * fixed by adding the camera again). Returns whether it was new.
   */
  register(input: { site: string; camera: string; mqttUsername: string; passwordHash: string }, at: Date): { created: boolean } {
    return this.db.transaction(() => {
      this.ensureSite(input.site, at);
      const existing = this.db.prepare('SELECT 1 FROM cameras WHERE site = ? AND camera = ?').get(input.site, input.camera);
      if (existing) {
        this.db.prepare('UPDATE cameras SET password_hash = ?, mqtt_username = ? WHERE site = ? AND camera = ?').run(input.passwordHash, input.mqttUsername, input.site, input.camera);
        return { created: false };
      }
      this.db
        .prepare('INSERT INTO cameras (site, camera, mqtt_username, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(input.site, input.camera, input.mqttUsername, input.passwordHash, at.toISOString());
      return { created: true };
    })();
  }

  /** The camera and its password hash for an MQTT username, for the broker's authentication. */
  byUsername(username: string): (CameraRecord & { passwordHash: string }) | undefined {
    const row = this.db.prepare('SELECT * FROM cameras WHERE mqtt_username = ?').get(username) as CameraRow | undefined;
    return row && { ...toCamera(row), passwordHash: row.password_hash };
  }

  get(site: string, camera: string): CameraRecord | undefined {
    const row = this.db.prepare('SELECT * FROM cameras WHERE site = ? AND camera = ?').get(site, camera) as CameraRow | undefined;
    return row && toCamera(row);
  }

  /** Every site a camera id is registered at (a camera id is unique only within its site). */
  sitesOf(camera: string): string[] {
    return (this.db.prepare('SELECT site FROM cameras WHERE camera = ? ORDER BY site').all(camera) as { site: string }[]).map((r) => r.site);
  }

  list(site?: string): CameraRecord[] {
    const rows = (site === undefined
      ? this.db.prepare('SELECT * FROM cameras ORDER BY site, camera').all()
      : this.db.prepare('SELECT * FROM cameras WHERE site = ? ORDER BY camera').all(site)) as CameraRow[];
    return rows.map(toCamera);
  }

  sites(): SiteRecord[] {
    const rows = this.db
      .prepare('SELECT s.site, s.name, s.created_at, COUNT(c.camera) AS cameras FROM sites s LEFT JOIN cameras c ON c.site = s.site GROUP BY s.site ORDER BY s.site')
      .all() as { site: string; name: string | null; created_at: string; cameras: number }[];
    return rows.map((r) => ({ site: r.site, name: r.name, createdAt: r.created_at, cameras: r.cameras }));
  }

  hasSite(site: string): boolean {
    return this.db.prepare('SELECT 1 FROM sites WHERE site = ?').get(site) !== undefined;
  }
}
