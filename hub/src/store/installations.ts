/** Installations (a bench, a stage, a play element) and the camera scenes that evaluate them. */
import type { Scene } from '@byliv/protocol';
import type { SqlClient } from './sql.ts';

export interface Installation {
  id: string;
  site: string;
  name: string;
  kind: string;
  installedAt: string;
  removedAt: string | null;
}

interface InstallationRow {
  id: string;
  site: string;
  name: string;
  kind: string;
  installed_at: string;
  removed_at: string | null;
}

const toInstallation = (r: InstallationRow): Installation => ({
  id: r.id,
  site: r.site,
  name: r.name,
  kind: r.kind,
  installedAt: r.installed_at,
  removedAt: r.removed_at,
});

export class Installations {
  constructor(private readonly sql: SqlClient) {}

  /** Adds an installation or updates the one with the same id (e.g. to set its removal date). */
  upsert(input: Installation, at: Date): Promise<{ created: boolean }> {
    return this.sql.transaction(async (tx) => {
      const exists = (await tx.get('SELECT 1 FROM installations WHERE id = ?', [input.id])) !== undefined;
      await tx.run(
        `INSERT INTO installations (id, site, name, kind, installed_at, removed_at, created_at) VALUES (@id, @site, @name, @kind, @installedAt, @removedAt, @createdAt)
         ON CONFLICT(id) DO UPDATE SET site = excluded.site, name = excluded.name, kind = excluded.kind,
           installed_at = excluded.installed_at, removed_at = excluded.removed_at`,
        { id: input.id, site: input.site, name: input.name, kind: input.kind, installedAt: input.installedAt, removedAt: input.removedAt, createdAt: at.toISOString() },
      );
      return { created: !exists };
    });
  }

  async list(site?: string): Promise<Installation[]> {
    const rows =
      site === undefined
        ? await this.sql.all<InstallationRow>('SELECT * FROM installations ORDER BY site, installed_at, id')
        : await this.sql.all<InstallationRow>('SELECT * FROM installations WHERE site = ? ORDER BY installed_at, id', [site]);
    return rows.map(toInstallation);
  }

  async get(id: string): Promise<Installation | undefined> {
    const row = await this.sql.get<InstallationRow>('SELECT * FROM installations WHERE id = ?', [id]);
    return row && toInstallation(row);
  }
}

/** Later than any valid_from, as a string: new Date(8.64e15) would print '+275760-…', which sorts before '2…'. */
const LATEST = '9999-12-31T23:59:59.999Z';

/** A line or zone of a stored scene version, with where it was counted. */
export interface SceneFeatureRow {
  kind: 'line' | 'zone';
  site: string;
  camera: string;
  id: string;
  name: string | null;
  installation: string | null;
  validFrom: string;
  version: number;
}

export class Scenes {
  constructor(private readonly sql: SqlClient) {}

  /** Records a new version of a camera's scene, valid from `validFrom`; returns its version. */
  add(scene: Scene, validFrom: Date): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const last = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM scenes WHERE site = ? AND camera = ?', [scene.site, scene.camera]);
      const version = (last?.v ?? 0) + 1;
      const row = await tx.get<{ id: number }>('INSERT INTO scenes (site, camera, version, scene_json, valid_from) VALUES (?, ?, ?, ?, ?) RETURNING id', [
        scene.site,
        scene.camera,
        version,
        JSON.stringify(scene),
        validFrom.toISOString(),
      ]);
      const id = row!.id;
      for (const l of scene.lines) await tx.run('INSERT INTO scene_lines (scene_id, line_id, name, installation) VALUES (?, ?, ?, ?)', [id, l.id, l.name ?? null, l.installation ?? null]);
      for (const z of scene.zones) await tx.run('INSERT INTO scene_zones (scene_id, zone_id, name, installation) VALUES (?, ?, ?, ?)', [id, z.id, z.name ?? null, z.installation ?? null]);
      return version;
    });
  }

  /** The scene version valid at `at` (the newest one when `at` is left out). */
  async current(site: string, camera: string, at?: Date): Promise<{ version: number; validFrom: string; scene: Scene } | undefined> {
    const row = await this.sql.get<{ version: number; valid_from: string; scene_json: string }>(
      'SELECT version, valid_from, scene_json FROM scenes WHERE site = ? AND camera = ? AND valid_from <= ? ORDER BY valid_from DESC, version DESC LIMIT 1',
      [site, camera, at ? at.toISOString() : LATEST],
    );
    return row && { version: row.version, validFrom: row.valid_from, scene: JSON.parse(row.scene_json) as Scene };
  }

  /**
   * Lines and zones of every scene version, oldest version first; narrowed to a site, a
   * camera, an installation and/or one kind.
   */
  features(filter: { site?: string; camera?: string; installation?: string; kind?: 'line' | 'zone' } = {}): Promise<SceneFeatureRow[]> {
    const where = (alias: string) => {
      const parts: string[] = [];
      if (filter.site !== undefined) parts.push('s.site = @site');
      if (filter.camera !== undefined) parts.push('s.camera = @camera');
      if (filter.installation !== undefined) parts.push(`${alias}.installation = @installation`);
      return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
    };
    const select = (kind: 'line' | 'zone') =>
      `SELECT '${kind}' AS kind, s.site, s.camera, f.${kind}_id AS id, f.name, f.installation, s.valid_from AS "validFrom", s.version
       FROM scene_${kind}s f JOIN scenes s ON s.id = f.scene_id ${where('f')}`;
    const kinds = filter.kind ? [filter.kind] : (['line', 'zone'] as const);
    return this.sql.all<SceneFeatureRow>(`${kinds.map(select).join(' UNION ALL ')} ORDER BY "validFrom", version, kind, site, camera, id`, {
      site: filter.site,
      camera: filter.camera,
      installation: filter.installation,
    });
  }

  /** The name the newest scene version gives a line or zone (undefined when no scene has it). */
  async featureName(site: string, camera: string, kind: 'line' | 'zone', id: string): Promise<{ name: string | null } | undefined> {
    return this.sql.get<{ name: string | null }>(
      `SELECT f.name FROM scene_${kind}s f JOIN scenes s ON s.id = f.scene_id WHERE s.site = ? AND s.camera = ? AND f.${kind}_id = ? ORDER BY s.valid_from DESC, s.version DESC LIMIT 1`,
      [site, camera, id],
    );
  }

  /** Whether any scene of the site has a line (or a zone). */
  async siteHas(site: string, kind: 'line' | 'zone'): Promise<boolean> {
    return (await this.sql.get(`SELECT 1 FROM scene_${kind}s f JOIN scenes s ON s.id = f.scene_id WHERE s.site = ? LIMIT 1`, [site])) !== undefined;
  }
}
