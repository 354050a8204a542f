/**
 * GeoJSON checks for district boundaries and the site map: a FeatureCollection whose features
 * have the right properties and geometries in WGS84 (longitude −180…180, latitude −90…90),
 * polygon rings closed and of at least four positions. Every problem is reported with the
 * feature's index. Also a point-in-polygon test, so a site placed by a point finds its district.
 */
import { DISTRICT_ID_PATTERN, ID_PATTERN, PROTOTYPE_KEYS } from '@byliv/protocol';
import { MUNICIPALITY } from './validate.ts';

export type Position = [number, number] | [number, number, number];
export type Polygon = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Point = { type: 'Point'; coordinates: Position };
export type LineString = { type: 'LineString'; coordinates: Position[] };
export type Geometry = Point | LineString | Polygon | MultiPolygon;

export interface FeatureError {
  /** The feature's index in `features` (0-based), or null for the collection itself. */
  index: number | null;
  message: string;
}

export interface DistrictFeature {
  id: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

export const MAP_KINDS = ['site', 'camera', 'zone'] as const;
export type MapKind = (typeof MAP_KINDS)[number];

export interface SiteMapFeature {
  kind: MapKind;
  site: string;
  camera: string | null;
  zone: string | null;
  name: string | null;
  /** Site features only: the district given in the file (null: found from the geometry, if it is a point). */
  district: string | null;
  geometry: Geometry;
}

const isId = (v: unknown): v is string => typeof v === 'string' && ID_PATTERN.test(v);
const isDistrictId = (v: unknown): v is string => typeof v === 'string' && DISTRICT_ID_PATTERN.test(v) && !PROTOTYPE_KEYS.has(v);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function positionProblem(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((x) => typeof x === 'number' && Number.isFinite(x))) return `${JSON.stringify(p)} is not a position [longitude, latitude]`;
  const [lon, lat] = p as number[];
  if (lon < -180 || lon > 180) return `longitude ${lon} is outside −180…180 (coordinates must be WGS84 [longitude, latitude])`;
  if (lat < -90 || lat > 90) return `latitude ${lat} is outside −90…90 (coordinates must be WGS84 [longitude, latitude]; is the order swapped?)`;
  return null;
}

function ringProblem(ring: unknown, where: string): string | null {
  if (!Array.isArray(ring)) return `${where} is not an array of positions`;
  for (const p of ring) {
    const problem = positionProblem(p);
    if (problem) return `${where}: ${problem}`;
  }
  if (ring.length < 4) return `${where} has ${ring.length} positions; a ring needs at least 4 (the first repeated at the end)`;
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return `${where} is not closed: its last position must equal its first`;
  return null;
}

function polygonProblem(rings: unknown, where: string): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return `${where} must be a non-empty array of rings`;
  for (let i = 0; i < rings.length; i++) {
    const problem = ringProblem(rings[i], `${where} ring ${i}`);
    if (problem) return problem;
  }
  return null;
}

/** Why `g` is not a valid geometry of one of `types`, or null. */
export function geometryProblem(g: unknown, types: readonly Geometry['type'][]): string | null {
  if (!isObject(g)) return `geometry is missing; expected ${types.join(' or ')}`;
  if (!types.includes(g.type as Geometry['type'])) return `geometry type ${JSON.stringify(g.type)}; expected ${types.join(' or ')}`;
  const c = g.coordinates;
  switch (g.type) {
    case 'Point':
      return positionProblem(c);
    case 'LineString': {
      if (!Array.isArray(c) || c.length < 2) return 'a LineString needs at least 2 positions';
      for (const p of c) {
        const problem = positionProblem(p);
        if (problem) return problem;
      }
      return null;
    }
    case 'Polygon':
      return polygonProblem(c, 'polygon');
    case 'MultiPolygon': {
      if (!Array.isArray(c) || c.length === 0) return 'a MultiPolygon needs at least one polygon';
      for (let i = 0; i < c.length; i++) {
        const problem = polygonProblem(c[i], `polygon ${i}`);
        if (problem) return problem;
      }
      return null;
    }
  }
  return null;
}

function features(json: unknown): { list: unknown[] | null; errors: FeatureError[] } {
  if (!isObject(json) || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    return { list: null, errors: [{ index: null, message: 'expected a GeoJSON FeatureCollection: {"type": "FeatureCollection", "features": [...]}' }] };
  }
  if (json.features.length === 0) return { list: null, errors: [{ index: null, message: 'the FeatureCollection has no features' }] };
  return { list: json.features, errors: [] };
}

/** District boundaries: properties `id` (an id, not "kommune") and `name`; Polygon or MultiPolygon. */
export function validateDistricts(json: unknown): { districts: DistrictFeature[]; errors: FeatureError[] } {
  const { list, errors } = features(json);
  if (!list) return { districts: [], errors };
  const districts: DistrictFeature[] = [];
  const ids = new Map<string, number>();
  list.forEach((f, index) => {
    const fail = (message: string) => errors.push({ index, message });
    if (!isObject(f) || f.type !== 'Feature') return fail('not a GeoJSON Feature');
    const props = isObject(f.properties) ? f.properties : {};
    const id = props.id ?? f.id;
    if (!isDistrictId(id)) return fail(`properties.id ${JSON.stringify(id)} must be a district id: 1–64 letters (æøå too), digits, "_", "-" or ".", starting with a letter or digit`);
    if (id === MUNICIPALITY) return fail(`"${MUNICIPALITY}" is reserved for the whole municipality; give the district another id`);
    if (typeof props.name !== 'string' || props.name.trim() === '') return fail(`district ${id}: properties.name must be a non-empty text`);
    const problem = geometryProblem(f.geometry, ['Polygon', 'MultiPolygon']);
    if (problem) return fail(`district ${id}: ${problem}`);
    const earlier = ids.get(id);
    if (earlier !== undefined) return fail(`district ${id} already appears as feature ${earlier}`);
    ids.set(id, index);
    districts.push({ id, name: props.name.trim(), geometry: f.geometry as Polygon | MultiPolygon });
  });
  return errors.length > 0 ? { districts: [], errors } : { districts, errors };
}

/**
 * The site map: properties `kind` (site | camera | zone), `site`, `camera` (camera and zone
 * features), `zone` (zone features), optional `name`, and on site features an optional `district`.
 */
export function validateSiteMap(json: unknown): { features: SiteMapFeature[]; errors: FeatureError[] } {
  const { list, errors } = features(json);
  if (!list) return { features: [], errors };
  const out: SiteMapFeature[] = [];
  const keys = new Map<string, number>();
  list.forEach((f, index) => {
    const fail = (message: string) => errors.push({ index, message });
    if (!isObject(f) || f.type !== 'Feature') return fail('not a GeoJSON Feature');
    const p = isObject(f.properties) ? f.properties : {};
    const kind = p.kind as MapKind;
    if (!MAP_KINDS.includes(kind)) return fail(`properties.kind ${JSON.stringify(p.kind)}; expected site, camera or zone`);
    if (!isId(p.site)) return fail(`properties.site ${JSON.stringify(p.site)} must be a site id`);
    const camera = p.camera ?? null;
    const zone = p.zone ?? null;
    if (kind === 'site' && (camera !== null || zone !== null)) return fail(`a site feature has no camera or zone (use kind "camera" or "zone")`);
    if (kind !== 'site' && !isId(camera)) return fail(`a ${kind} feature needs properties.camera (a camera id), got ${JSON.stringify(camera)}`);
    if (kind === 'camera' && zone !== null) return fail('a camera feature has no zone (use kind "zone")');
    if (kind === 'zone' && !isId(zone)) return fail(`a zone feature needs properties.zone (a zone id), got ${JSON.stringify(zone)}`);
    const district = p.district ?? null;
    if (district !== null && (kind !== 'site' || !isDistrictId(district))) return fail(kind === 'site' ? `properties.district ${JSON.stringify(district)} must be a district id` : 'only site features name a district');
    if (p.name !== undefined && p.name !== null && typeof p.name !== 'string') return fail('properties.name must be a text');
    const problem = geometryProblem(f.geometry, ['Point', 'LineString', 'Polygon', 'MultiPolygon']);
    if (problem) return fail(problem);
    const key = [kind, p.site, camera, zone].join('/');
    const earlier = keys.get(key);
    if (earlier !== undefined) return fail(`${kind} ${[p.site, camera, zone].filter((x) => x !== null).join('/')} already appears as feature ${earlier}`);
    keys.set(key, index);
    out.push({ kind, site: p.site, camera: camera as string | null, zone: zone as string | null, name: (p.name as string | undefined) ?? null, district: district as string | null, geometry: f.geometry as Geometry });
  });
  return errors.length > 0 ? { features: [], errors } : { features: out, errors };
}

/** Ray casting: whether [lon, lat] lies inside the ring (on the edge counts as either). */
function inRing(lon: number, lat: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies in a Polygon or MultiPolygon (inside the outer ring, outside its holes). */
export function containsPoint(area: Polygon | MultiPolygon, [lon, lat]: Position): boolean {
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  return polygons.some(([outer, ...holes]) => inRing(lon, lat, outer) && !holes.some((h) => inRing(lon, lat, h)));
}

/** A representative point of a site's geometry for finding its district: the point, or the mean of its first ring's/line's vertices. */
export function anchorOf(g: Geometry): Position {
  const pts: Position[] = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? g.coordinates[0].slice(0, -1) : g.coordinates[0][0].slice(0, -1);
  const n = pts.length;
  return [pts.reduce((s, p) => s + p[0], 0) / n, pts.reduce((s, p) => s + p[1], 0) / n];
}
