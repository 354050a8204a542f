/** Where sites, cameras and zones lie on the map (GeoJSON geometries, WGS84). */
import type { SqlClient } from './sql.ts';
import { ensureSite } from './cameras.ts';
import { assignSite } from './districts.ts';

export type MapFeatureKind = 'site' | 'camera' | 'zone';

export interface MapFeatureRecord {
  kind: MapFeatureKind;
  site: string;
  camera: string | null;
  zone: string | null;
  name: string | null;
  geometry: unknown;
}

interface MapFeatureRow {
  kind: MapFeatureKind;
  site: string;
  camera: string | null;
  zone: string | null;
  name: string | null;
  geometry_json: string;
}

export class MapFeatures {
  constructor(private readonly sql: SqlClient) {}

  /**
   * Replaces the map of every site that `features` names: the site's old features go, the new
   * ones come (a moved zone is not left behind at its old place). Other sites keep theirs.
   */
  replaceSites(features: readonly MapFeatureRecord[]): Promise<{ sites: string[]; features: number }> {
    return this.sql.transaction((tx) => replaceSiteFeatures(tx, features));
  }

  /**
   * A whole site map in one transaction: its sites created (named where the map names them),
   * their features replaced, and each site placed in its district (or taken out of any).
   */
  importSiteMap(
    input: { features: readonly MapFeatureRecord[]; siteNames: readonly { site: string; name: string | null }[]; placements: readonly { site: string; district: string | null }[] },
    at: Date,
  ): Promise<void> {
    return this.sql.transaction(async (tx) => {
      for (const s of input.siteNames) await ensureSite(tx, s.site, at, s.name ?? undefined);
      for (const site of new Set(input.features.map((f) => f.site))) await ensureSite(tx, site, at);
      await replaceSiteFeatures(tx, input.features);
      for (const p of input.placements) {
        if (p.district === null) await tx.run('DELETE FROM site_districts WHERE site = ?', [p.site]);
        else await assignSite(tx, p.site, p.district);
      }
    });
  }

  async list(site?: string): Promise<MapFeatureRecord[]> {
    const order = "CASE kind WHEN 'site' THEN 0 WHEN 'camera' THEN 1 ELSE 2 END, camera, zone";
    const rows =
      site === undefined
        ? await this.sql.all<MapFeatureRow>(`SELECT * FROM map_features ORDER BY site, ${order}`)
        : await this.sql.all<MapFeatureRow>(`SELECT * FROM map_features WHERE site = ? ORDER BY ${order}`, [site]);
    return rows.map((r) => ({ kind: r.kind, site: r.site, camera: r.camera, zone: r.zone, name: r.name, geometry: JSON.parse(r.geometry_json) }));
  }
}

export async function replaceSiteFeatures(tx: SqlClient, features: readonly MapFeatureRecord[]): Promise<{ sites: string[]; features: number }> {
  const sites = [...new Set(features.map((f) => f.site))].sort();
  for (const site of sites) await tx.run('DELETE FROM map_features WHERE site = ?', [site]);
  for (const f of features) await tx.run('INSERT INTO map_features (kind, site, camera, zone, name, geometry_json) VALUES (?, ?, ?, ?, ?, ?)', [f.kind, f.site, f.camera, f.zone, f.name, JSON.stringify(f.geometry)]);
  return { sites, features: features.length };
}
