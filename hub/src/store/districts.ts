/** Districts (names, boundaries) and which district each site lies in. */
import type { SqlClient } from './sql.ts';

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
  constructor(private readonly sql: SqlClient) {}

  /** Adds or replaces districts (by id), all in one transaction. */
  upsert(districts: readonly DistrictInput[], at: Date): Promise<{ created: number; updated: number }> {
    return this.sql.transaction(async (tx) => {
      let created = 0;
      for (const d of districts) {
        if ((await tx.get('SELECT 1 FROM districts WHERE id = ?', [d.id])) === undefined) created++;
        await tx.run(
          `INSERT INTO districts (id, name, geometry_json, source, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name = excluded.name, geometry_json = excluded.geometry_json, source = excluded.source, updated_at = excluded.updated_at`,
          [d.id, d.name, d.geometry === null ? null : JSON.stringify(d.geometry), d.source ?? null, at.toISOString()],
        );
      }
      return { created, updated: districts.length - created };
    });
  }

  /** Creates a district known only by id (e.g. named by a site-map feature before its boundary is imported). */
  async ensure(id: string, at: Date, name?: string): Promise<void> {
    await ensureDistrict(this.sql, id, at, name);
  }

  async has(id: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 FROM districts WHERE id = ?', [id])) !== undefined;
  }

  async get(id: string): Promise<DistrictRecord | undefined> {
    const row = await this.sql.get<DistrictRow>('SELECT * FROM districts WHERE id = ?', [id]);
    return row && this.toRecord(row);
  }

  async list(): Promise<DistrictRecord[]> {
    const rows = await this.sql.all<DistrictRow>('SELECT * FROM districts ORDER BY id');
    return Promise.all(rows.map((r) => this.toRecord(r)));
  }

  /** Districts by name (then id), or only those holding `site`: what a subject picker lists. */
  async named(site?: string): Promise<{ id: string; name: string }[]> {
    return site === undefined
      ? this.sql.all('SELECT id, name FROM districts ORDER BY name, id')
      : this.sql.all('SELECT d.id, d.name FROM districts d JOIN site_districts sd ON sd.district = d.id WHERE sd.site = ? ORDER BY d.name, d.id', [site]);
  }

  /** The sites in a district (empty when the district is unknown or has none). */
  async sitesOf(district: string): Promise<string[]> {
    return (await this.sql.all<{ site: string }>('SELECT site FROM site_districts WHERE district = ? ORDER BY site', [district])).map((r) => r.site);
  }

  /** The district a site lies in, or null. */
  async districtOf(site: string): Promise<string | null> {
    const row = await this.sql.get<{ district: string }>('SELECT district FROM site_districts WHERE site = ?', [site]);
    return row?.district ?? null;
  }

  /** Places a site in a district (a site lies in one district; a new placement replaces the old). Both must exist. */
  async assignSite(site: string, district: string): Promise<void> {
    await assignSite(this.sql, site, district);
  }

  async unassignSite(site: string): Promise<void> {
    await this.sql.run('DELETE FROM site_districts WHERE site = ?', [site]);
  }

  private async toRecord(row: DistrictRow): Promise<DistrictRecord> {
    return {
      id: row.id,
      name: row.name,
      geometry: row.geometry_json === null ? null : JSON.parse(row.geometry_json),
      source: row.source,
      updatedAt: row.updated_at,
      sites: await this.sitesOf(row.id),
    };
  }
}

export async function ensureDistrict(sql: SqlClient, id: string, at: Date, name?: string): Promise<void> {
  await sql.run('INSERT INTO districts (id, name, geometry_json, source, updated_at) VALUES (?, ?, NULL, NULL, ?) ON CONFLICT(id) DO NOTHING', [id, name ?? id, at.toISOString()]);
}

export async function assignSite(sql: SqlClient, site: string, district: string): Promise<void> {
  await sql.run('INSERT INTO site_districts (site, district) VALUES (?, ?) ON CONFLICT(site) DO UPDATE SET district = excluded.district', [site, district]);
}
