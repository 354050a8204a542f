/** Sites and the cameras registered at them, with each camera's MQTT credentials (hashed). */
import type { SqlClient } from './sql.ts';

export interface CameraRecord {
  site: string;
  camera: string;
  mqttUsername: string;
  createdAt: string;
}

/** A camera as get() gives it, removed or not. */
export interface CameraAccount extends CameraRecord {
  /** When `camera remove` ended its account; its counts stay. null while it is active. */
  removedAt: string | null;
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
  removed_at: string | null;
  broker_hash: string | null;
}

const toCamera = (r: CameraRow): CameraRecord => ({ site: r.site, camera: r.camera, mqttUsername: r.mqtt_username, createdAt: r.created_at });

export class CameraRegistry {
  constructor(private readonly sql: SqlClient) {}

  /** Creates the site when it is new. */
  async ensureSite(site: string, at: Date, name?: string): Promise<void> {
    await ensureSite(this.sql, site, at, name);
  }

  /**
   * Registers a camera. One already registered keeps its password unless `replace` is set (a
   * lost or leaked password: `camera add --rotate-password`); a removed one is registered
   * again with the new password. `outcome` says which happened ('exists': nothing changed).
   */
  register(
    input: { site: string; camera: string; mqttUsername: string; passwordHash: string; brokerHash?: string; replace?: boolean },
    at: Date,
  ): Promise<{ created: boolean; outcome: 'created' | 'rotated' | 'restored' | 'exists' }> {
    return this.sql.transaction(async (tx) => {
      await ensureSite(tx, input.site, at);
      const existing = await tx.get<{ removed_at: string | null }>('SELECT removed_at FROM cameras WHERE site = ? AND camera = ?', [input.site, input.camera]);
      if (existing) {
        const removed = existing.removed_at !== null;
        if (!removed && !input.replace) return { created: false, outcome: 'exists' };
        await tx.run('UPDATE cameras SET password_hash = ?, broker_hash = ?, mqtt_username = ?, removed_at = NULL WHERE site = ? AND camera = ?', [
          input.passwordHash,
          input.brokerHash ?? null,
          input.mqttUsername,
          input.site,
          input.camera,
        ]);
        return { created: false, outcome: removed ? 'restored' : 'rotated' };
      }
      await tx.run('INSERT INTO cameras (site, camera, mqtt_username, password_hash, broker_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        input.site,
        input.camera,
        input.mqttUsername,
        input.passwordHash,
        input.brokerHash ?? null,
        at.toISOString(),
      ]);
      return { created: true, outcome: 'created' };
    });
  }

  /**
   * Ends a camera's account: the broker refuses its username from now on and a live session is
   * closed at the broker's next check. Its stored counts, scenes and statuses are kept (they are
   * the city's data, not the camera's). False when there is no such active camera.
   */
  async remove(site: string, camera: string, at: Date): Promise<boolean> {
    const { changes } = await this.sql.run('UPDATE cameras SET removed_at = ? WHERE site = ? AND camera = ? AND removed_at IS NULL', [at.toISOString(), site, camera]);
    return changes > 0;
  }

  /** The active camera and its password hash for an MQTT username, for the broker's authentication. */
  async byUsername(username: string): Promise<(CameraRecord & { passwordHash: string }) | undefined> {
    const row = await this.sql.get<CameraRow>('SELECT * FROM cameras WHERE mqtt_username = ? AND removed_at IS NULL', [username]);
    return row && { ...toCamera(row), passwordHash: row.password_hash };
  }

  /** The active cameras' MQTT usernames and Mosquitto password-file hashes (null: added before the hub kept one). */
  async brokerAccounts(): Promise<{ username: string; brokerHash: string | null }[]> {
    const rows = await this.sql.all<{ mqtt_username: string; broker_hash: string | null }>('SELECT mqtt_username, broker_hash FROM cameras WHERE removed_at IS NULL ORDER BY mqtt_username');
    return rows.map((r) => ({ username: r.mqtt_username, brokerHash: r.broker_hash }));
  }

  /** Every active camera's password hash by MQTT username: what the broker checks live sessions against. */
  async passwordHashes(): Promise<Map<string, string>> {
    const rows = await this.sql.all<{ mqtt_username: string; password_hash: string }>('SELECT mqtt_username, password_hash FROM cameras WHERE removed_at IS NULL');
    return new Map(rows.map((r) => [r.mqtt_username, r.password_hash]));
  }

  /** The camera, removed or not (a removed camera's counts are still read by its id). */
  async get(site: string, camera: string): Promise<CameraAccount | undefined> {
    const row = await this.sql.get<CameraRow>('SELECT * FROM cameras WHERE site = ? AND camera = ?', [site, camera]);
    return row && { ...toCamera(row), removedAt: row.removed_at };
  }

  /** Every site a camera id is registered at (a camera id is unique only within its site). */
  async sitesOf(camera: string): Promise<string[]> {
    return (await this.sql.all<{ site: string }>('SELECT site FROM cameras WHERE camera = ? ORDER BY site', [camera])).map((r) => r.site);
  }

  /** The active cameras (what health and the catalog show); removed ones only through get(). */
  async list(site?: string): Promise<CameraRecord[]> {
    const rows =
      site === undefined
        ? await this.sql.all<CameraRow>('SELECT * FROM cameras WHERE removed_at IS NULL ORDER BY site, camera')
        : await this.sql.all<CameraRow>('SELECT * FROM cameras WHERE site = ? AND removed_at IS NULL ORDER BY camera', [site]);
    return rows.map(toCamera);
  }

  async sites(): Promise<SiteRecord[]> {
    const rows = await this.sql.all<{ site: string; name: string | null; created_at: string; cameras: number }>(
      'SELECT s.site, s.name, s.created_at, COUNT(c.camera) AS cameras FROM sites s LEFT JOIN cameras c ON c.site = s.site AND c.removed_at IS NULL GROUP BY s.site, s.name, s.created_at ORDER BY s.site',
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
