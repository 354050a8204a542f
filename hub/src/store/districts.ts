/** Districts (names, boundaries) and which district each site lies in. */
import type { Db } from './database.ts';

export interface DistrictRecord {
  id: string;
  name: string;
  /** A GeoJSON Polygon or MultiPolygon (WGS84), null until boundaries are imported. */
  geometry: unknown | null;
  source: string | null;
  updatedAt: string;
  /** The sites in the district, by id. */
  sites: string[];
}

export interface DistrictInput {
  id: string;
  name: string;
  geometry: unknown | null;
  source?: string | null;
}

interface DistrictRow {
  id: string;
  name: string;
  geometry_json: string | null;
  source: string | null;
  updated_at: string;
}

export class Districts {
  constructor(private readonly db: Db) {}

  /** Adds or replaces districts (by id), all in one transaction. */
  upsert(districts: readonly DistrictInput[], at: Date): { created: number; updated: number } {
    const exists = this.db.prepare('SELECT 1 FROM districts WHERE id = ?');
    const write = this.db.prepare(
      `INSERT INTO districts (id, name, geometry_json, source, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, geometry_json = excluded.geometry_json, source = excluded.source, updated_at = excluded.updated_at`,
    );
    return this.db.transaction(() => {
      let created = 0;
      for (const d of districts) {
        if (exists.get(d.id) === undefined) created++;
        write.run(d.id, d.name, d.geometry === null ? null : JSON.stringify(d.geometry), d.source ?? null, at.toISOString());
      }
      return { created, updated: districts.length - created };
    })();
  }

  /** Creates a district known only by id (e.g. named by a site-map feature before its boundary is imported). */
  ensure(id: string, at: Date, name?: string): void {
    this.db.prepare('INSERT INTO districts (id, name, geometry_json, source, updated_at) VALUES (?, ?, NULL, NULL, ?) ON CONFLICT(id) DO NOTHING').run(id, name ?? id, at.toISOString());
  }

  has(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM districts WHERE id = ?').get(id) !== undefined;
  }

  get(id: string): DistrictRecord | undefined {
    const row = this.db.prepare('SELECT * FROM districts WHERE id = ?').get(id) as DistrictRow | undefined;
    return row && this.toRecord(row);
  }

  list(): DistrictRecord[] {
    return (this.db.prepare('SELECT * FROM districts ORDER BY id').all() as DistrictRow[]).map((r) => this.toRecord(r));
  }

  /** The sites in a district (empty when the district is unknown or has none). */
  sitesOf(district: string): string[] {
    return (this.db.prepare('SELECT site FROM site_districts WHERE district = ? ORDER BY site').all(district) as { site: string }[]).map((r) => r.site);
  }

  /** The district a site lies in, or null. */
  districtOf(site: string): string | null {
    const row = this.db.prepare('SELECT district FROM site_districts WHERE site = ?').get(site) as { district: string } | undefined;
    return row?.district ?? null;
  }

  /** Places a site in a district (a site lies in one district; a new placement replaces the old). Both must exist. */
  assignSite(site: string, district: string): void {
    this.db.prepare('INSERT INTO site_districts (site, district) VALUES (?, ?) ON CONFLICT(site) DO UPDATE SET district = excluded.district').run(site, district);
  }

  unassignSite(site: string): void {
    this.db.prepare('DELETE FROM site_districts WHERE site = ?').run(site);
  }

  private toRecord(row: DistrictRow): DistrictRecord {
    return {
      id: row.id,
      name: row.name,
      geometry: row.geometry_json === null ? null : JSON.parse(row.geometry_json),
      source: row.source,
      updatedAt: row.updated_at,
      sites: this.sitesOf(row.id),
    };
  }
}
