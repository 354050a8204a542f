/** Where sites, cameras and zones lie on the map (GeoJSON). Filled in by the social-indicators work. */
import type { Db } from './database.ts';

export class MapFeatures {
  constructor(private readonly db: Db) {}
}
