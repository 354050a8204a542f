/** Sites and the cameras registered at them, with each camera's MQTT credentials (hashed). */
import type { SqlClient } from './sql.ts';

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
  constructor(private readonly sql: SqlClient) {}

  /** Creates the site when it is new. */
  async ensureSite(site: string, at: Date, name?: string): Promise<void> {
    await ensureSite(this.sql, site, at, name);
  }

  /**
   * Registers a camera, or replaces the password of one already registered (a lost password is
   * fixed by adding the camera again). Returns whether it was new.
   */
  register(input: { site: string; camera: string; mqttUsername: string; passwordHash: string }, at: Date): Promise<{ created: boolean }> {
    return this.sql.transaction(async (tx) => {
      await ensureSite(tx, input.site, at);
      const existing = await tx.get('SELECT 1 FROM cameras WHERE site = ? AND camera = ?', [input.site, input.camera]);
      if (existing) {
        await tx.run('UPDATE cameras SET password_hash = ?, mqtt_username = ? WHERE site = ? AND camera = ?', [input.passwordHash, input.mqttUsername, input.site, input.camera]);
        return { created: false };
      }
      await tx.run('INSERT INTO cameras (site, camera, mqtt_username, password_hash, created_at) VALUES (?, ?, ?, ?, ?)', [
        input.site,
        input.camera,
        input.mqttUsername,
        input.passwordHash,
        at.toISOString(),
      ]);
      return { created: true };
    });
  }

  /** The camera and its password hash for an MQTT username, for the broker's authentication. */
  async byUsername(username: string): Promise<(CameraRecord & { passwordHash: string }) | undefined> {
    const row = await this.sql.get<CameraRow>('SELECT * FROM cameras WHERE mqtt_username = ?', [username]);
    return row && { ...toCamera(row), passwordHash: row.password_hash };
  }

  async get(site: string, camera: string): Promise<CameraRecord | undefined> {
    const row = await this.sql.get<CameraRow>('SELECT * FROM cameras WHERE site = ? AND camera = ?', [site, camera]);
    return row && toCamera(row);
  }

  /** Every site a camera id is registered at (a camera id is unique only within its site). */
  async sitesOf(camera: string): Promise<string[]> {
    return (await this.sql.all<{ site: string }>('SELECT site FROM cameras WHERE camera = ? ORDER BY site', [camera])).map((r) => r.site);
  }

  async list(site?: string): Promise<CameraRecord[]> {
    const rows =
      site === undefined
        ? await this.sql.all<CameraRow>('SELECT * FROM cameras ORDER BY site, camera')
        : await this.sql.all<CameraRow>('SELECT * FROM cameras WHERE site = ? ORDER BY camera', [site]);
    return rows.map(toCamera);
  }

  async sites(): Promise<SiteRecord[]> {
    const rows = await this.sql.all<{ site: string; name: string | null; created_at: string; cameras: number }>(
      'SELECT s.site, s.name, s.created_at, COUNT(c.camera) AS cameras FROM sites s LEFT JOIN cameras c ON c.site = s.site GROUP BY s.site, s.name, s.created_at ORDER BY s.site',
    );
    return rows.map((r) => ({ site: r.site, name: r.name, createdAt: r.created_at, cameras: r.cameras }));
  }

  async hasSite(site: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 FROM sites WHERE site = ?', [site])) !== undefined;
  }

  /** The site's display name, or null when it has none (or the site is unknown). */
  async siteName(site: string): Promise<string | null> {
    return (await this.sql.get<{ name: string | null }>('SELECT name FROM sites WHERE site = ?', [site]))?.name ?? null;
  }
}

export async function ensureSite(sql: SqlClient, site: string, at: Date, name?: string): Promise<void> {
  await sql.run('INSERT INTO sites (site, name, created_at) VALUES (?, ?, ?) ON CONFLICT(site) DO NOTHING', [site, name ?? null, at.toISOString()]);
}
