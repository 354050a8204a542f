/** Installations (a bench, a stage, a play element) and the camera scenes that evaluate them. */
import type { Scene } from '@byliv/protocol';
import type { Db } from './database.ts';

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
  constructor(private readonly db: Db) {}

  /** Adds an installation or updates the one with the same id (e.g. to set its removal date). */
  upsert(input: Installation, at: Date): { created: boolean } {
    const exists = this.db.prepare('SELECT 1 FROM installations WHERE id = ?').get(input.id) !== undefined;
    this.db
      .prepare(
        `INSERT INTO installations (id, site, name, kind, installed_at, removed_at, created_at) VALUES (@id, @site, @name, @kind, @installedAt, @removedAt, @createdAt)
         ON CONFLICT(id) DO UPDATE SET site = excluded.site, name = excluded.name, kind = excluded.kind,
           installed_at = excluded.installed_at, removed_at = excluded.removed_at`,
      )
      .run({ ...input, createdAt: at.toISOString() });
    return { created: !exists };
  }

  list(site?: string): Installation[] {
    const rows = (site === undefined
      ? this.db.prepare('SELECT * FROM installations ORDER BY site, installed_at, id').all()
      : this.db.prepare('SELECT * FROM installations WHERE site = ? ORDER BY installed_at, id').all(site)) as InstallationRow[];
    return rows.map(toInstallation);
  }

  get(id: string): Installation | undefined {
    const row = this.db.prepare('SELECT * FROM installations WHERE id = ?').get(id) as InstallationRow | undefined;
    return row && toInstallation(row);
  }
}

/** Later than any valid_from, as a string: new Date(8.64e15) would print '+275760-…', which sorts before '2…'. */
const LATEST = '9999-12-31T23:59:59.999Z';

export class Scenes {
  constructor(private readonly db: Db) {}

  /** Records a new version of a camera's scene, valid from `validFrom`; returns its version. */
  add(scene: Scene, validFrom: Date): number {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT MAX(version) FROM scenes WHERE site = ? AND camera = ?').pluck().get(scene.site, scene.camera) as number | null;
      const version = (last ?? 0) + 1;
      const id = Number(
        this.db
          .prepare('INSERT INTO scenes (site, camera, version, scene_json, valid_from) VALUES (?, ?, ?, ?, ?)')
          .run(scene.site, scene.camera, version, JSON.stringify(scene), validFrom.toISOString()).lastInsertRowid,
      );
      for (const l of scene.lines) this.db.prepare('INSERT INTO scene_lines (scene_id, line_id, name, installation) VALUES (?, ?, ?, ?)').run(id, l.id, l.name ?? null, l.installation ?? null);
      for (const z of scene.zones) this.db.prepare('INSERT INTO scene_zones (scene_id, zone_id, name, installation) VALUES (?, ?, ?, ?)').run(id, z.id, z.name ?? null, z.installation ?? null);
      return version;
    })();
  }

  /** The scene version valid at `at` (the newest one when `at` is left out). */
  current(site: string, camera: string, at?: Date): { version: number; validFrom: string; scene: Scene } | undefined {
    const row = this.db
      .prepare('SELECT version, valid_from, scene_json FROM scenes WHERE site = ? AND camera = ? AND valid_from <= ? ORDER BY valid_from DESC, version DESC LIMIT 1')
      .get(site, camera, at ? at.toISOString() : LATEST) as { version: number; valid_from: string; scene_json: string } | undefined;
    return row && { version: row.version, validFrom: row.valid_from, scene: JSON.parse(row.scene_json) as Scene };
  }
}
