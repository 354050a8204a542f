/**
 * Web-Mercator maths for the SVG map: project lon/lat, fit the data's bounds into the
 * drawing, list the slippy tiles under it, and turn GeoJSON geometries into SVG paths.
 * Pixel space is the standard one (256-px tiles, y down), so optional tiles line up exactly.
 */
export type Position = [number, number] | number[];
export interface Geometry {
  type: string;
  coordinates?: unknown;
  geometries?: Geometry[];
}
export interface Feature<P = Record<string, unknown>> {
  type: 'Feature';
  geometry: Geometry | null;
  properties: P;
}
export interface FeatureCollection<P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<P>[];
}

const MAX_LAT = 85.05112878;
export const TILE_SIZE = 256;

/** lon/lat → Web-Mercator unit square (0..1, y down). */
export function mercator(lon: number, lat: number): [number, number] {
  const phi = (Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI) / 180;
  return [(lon + 180) / 360, 0.5 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / (2 * Math.PI)];
}

/** Every [lon, lat] position in a geometry, however nested. */
export function positions(geometry: Geometry | null | undefined, out: number[][] = []): number[][] {
  if (!geometry) return out;
  if (geometry.type === 'GeometryCollection') {
    for (const g of geometry.geometries ?? []) positions(g, out);
    return out;
  }
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') out.push(c as number[]);
    else for (const x of c) walk(x);
  };
  walk(geometry.coordinates);
  return out;
}

/** [west, south, east, north] of all features, or null when there is nothing to show. */
export function bounds(collections: readonly (FeatureCollection | null | undefined)[]): [number, number, number, number] | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const fc of collections) {
    for (const f of fc?.features ?? []) {
      for (const [lon, lat] of positions(f.geometry)) {
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
        w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat);
      }
    }
  }
  return w <= e && s <= n ? [w, s, e, n] : null;
}

export interface View {
  /** Fractional zoom: the world is 256·2^zoom pixels wide. */
  zoom: number;
  /** Pixel offset of the drawing's top-left corner in world pixels. */
  offsetX: number;
  offsetY: number;
  width: number;
  height: number;
}

/**
 * The view that fits the bounds in width × height with `padding` pixels each side, centred.
 * A single point (zero-size bounds) gets `maxZoom`.
 */
export function fitView(b: [number, number, number, number], width: number, height: number, padding = 16, maxZoom = 18): View {
  const [x0, y1] = mercator(b[0], b[1]);
  const [x1, y0] = mercator(b[2], b[3]);
  const dx = Math.max(x1 - x0, 1e-12);
  const dy = Math.max(y1 - y0, 1e-12);
  const availW = Math.max(1, width - 2 * padding);
  const availH = Math.max(1, height - 2 * padding);
  const zoom = Math.min(maxZoom, Math.log2(Math.min(availW / dx, availH / dy) / TILE_SIZE));
  const world = TILE_SIZE * 2 ** zoom;
  const cx = ((x0 + x1) / 2) * world;
  const cy = ((y0 + y1) / 2) * world;
  return { zoom, offsetX: cx - width / 2, offsetY: cy - height / 2, width, height };
}

/** lon/lat → pixel in the view. */
export function project(view: View, lon: number, lat: number): [number, number] {
  const world = TILE_SIZE * 2 ** view.zoom;
  const [mx, my] = mercator(lon, lat);
  return [mx * world - view.offsetX, my * world - view.offsetY];
}

/** The slippy tiles at the integer zoom below the view's, with where to draw them (scaled by 2^(zoom − z)). */
export function tilesFor(view: View, template: string): { url: string; x: number; y: number; size: number; key: string }[] {
  const z = Math.max(0, Math.min(22, Math.floor(view.zoom)));
  const size = TILE_SIZE * 2 ** (view.zoom - z);
  const n = 2 ** z;
  const out: { url: string; x: number; y: number; size: number; key: string }[] = [];
  const tx0 = Math.floor(view.offsetX / size);
  const tx1 = Math.floor((view.offsetX + view.width) / size);
  const ty0 = Math.max(0, Math.floor(view.offsetY / size));
  const ty1 = Math.min(n - 1, Math.floor((view.offsetY + view.height) / size));
  for (let ty = ty0; ty <= ty1; ty++) {
    for (let tx = tx0; tx <= tx1; tx++) {
      const wx = ((tx % n) + n) % n; // wrap around the date line
      const url = template.replace('{z}', String(z)).replace('{x}', String(wx)).replace('{y}', String(ty));
      out.push({ url, x: tx * size - view.offsetX, y: ty * size - view.offsetY, size, key: `${z}/${tx}/${ty}` });
    }
  }
  return out;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

function ringPath(view: View, ring: number[][], close: boolean): string {
  let d = '';
  ring.forEach(([lon, lat], i) => {
    const [x, y] = project(view, lon, lat);
    d += `${i ? 'L' : 'M'}${r1(x)},${r1(y)}`;
  });
  return ring.length && close ? `${d}Z` : d;
}

/** An SVG path for a (Multi)Polygon or (Multi)LineString; '' for points and unknown types. */
export function geometryPath(view: View, g: Geometry | null | undefined): string {
  if (!g) return '';
  const c = g.coordinates as never;
  switch (g.type) {
    case 'Polygon': return (c as number[][][]).map((r) => ringPath(view, r, true)).join('');
    case 'MultiPolygon': return (c as number[][][][]).flatMap((p) => p.map((r) => ringPath(view, r, true))).join('');
    case 'LineString': return ringPath(view, c as number[][], false);
    case 'MultiLineString': return (c as number[][][]).map((r) => ringPath(view, r, false)).join('');
    case 'GeometryCollection': return (g.geometries ?? []).map((x) => geometryPath(view, x)).join('');
    default: return '';
  }
}

/** Where to put a label or a marker: a Point's position, else the centre of the geometry's pixel bounds. */
export function anchor(view: View, g: Geometry | null | undefined): [number, number] | null {
  const pts = positions(g);
  if (!pts.length) return null;
  if (g?.type === 'Point') return project(view, pts[0][0], pts[0][1]);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [lon, lat] of pts) {
    const [x, y] = project(view, lon, lat);
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}
