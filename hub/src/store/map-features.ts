/** Where sites, cameras and zones lie on the map (GeoJSON geometries, WGS84). */
import type { Db } from './database.ts';

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
  constructor(private readonly db: Db) {}

  /**
   * Replaces the map of every site that `features` names: the site's old features go, the new
   * ones come (a moved zone is not left behind at its old place). Other sites keep theirs.
   */
  replaceSites(features: readonly MapFeatureRecord[]): { sites: string[]; features: number } {
    const sites = [...new Set(features.map((f) => f.site))].sort();
    const drop = this.db.prepare('DELETE FROM map_features WHERE site = ?');
    const write = this.db.prepare('INSERT INTO map_features (kind, site, camera, zone, name, geometry_json) VALUES (?, ?, ?, ?, ?, ?)');
    return this.db.transaction(() => {
      for (const site of sites) drop.run(site);
      for (const f of features) write.run(f.kind, f.site, f.camera, f.zone, f.name, JSON.stringify(f.geometry));
      return { sites, features: features.length };
    })();
  }

  list(site?: string): MapFeatureRecord[] {
    const rows = (site === undefined
      ? this.db.prepare("SELECT * FROM map_features ORDER BY site, CASE kind WHEN 'site' THEN 0 WHEN 'camera' THEN 1 ELSE 2 END, camera, zone").all()
      : this.db.prepare("SELECT * FROM map_features WHERE site = ? ORDER BY CASE kind WHEN 'site' THEN 0 WHEN 'camera' THEN 1 ELSE 2 END, camera, zone").all(site)) as MapFeatureRow[];
    return rows.map((r) => ({ kind: r.kind, site: r.site, camera: r.camera, zone: r.zone, name: r.name, geometry: JSON.parse(r.geometry_json) }));
  }
}
