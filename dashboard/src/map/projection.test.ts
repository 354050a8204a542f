import { describe, expect, it } from 'vitest';
import { anchor, bounds, fitView, geometryPath, mercator, project, tilesFor, type FeatureCollection } from './projection.ts';

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const fc = (geometries: object[]): FeatureCollection => ({ type: 'FeatureCollection', features: geometries.map((g) => ({ type: 'Feature', geometry: g as never, properties: {} })) });

describe('Web-Mercator', () => {
  it('the equator and meridian meet in the middle; north is up', () => {
    expect(mercator(0, 0)).toEqual([0.5, 0.5]);
    expect(mercator(-180, 0)[0]).toBe(0);
    expect(mercator(0, 60)[1]).toBeLessThan(0.5);
    expect(mercator(0, 90)[1]).toBeCloseTo(0, 6); // clamped to the square's edge
  });
  it('a tile corner: zoom 1 tile (1,0) starts at lon 0, lat 85.05', () => {
    const [x, y] = mercator(0, 85.05112878);
    expect(x * 2).toBeCloseTo(1, 9);
    expect(y * 2).toBeCloseTo(0, 6);
  });
});

describe('fitting the data', () => {
  // Gladsaxe is around 12.45 E, 55.74 N
  const data = fc([square(12.40, 55.70, 12.50, 55.78), { type: 'Point', coordinates: [12.45, 55.74] }]);
  it('bounds of everything, null for nothing', () => {
    expect(bounds([data, null])).toEqual([12.40, 55.70, 12.50, 55.78]);
    expect(bounds([fc([])])).toBeNull();
  });
  it('fits inside the padded box and is centred', () => {
    const view = fitView(bounds([data])!, 800, 600, 20);
    const [x0, y0] = project(view, 12.40, 55.78);
    const [x1, y1] = project(view, 12.50, 55.70);
    expect(x0).toBeGreaterThanOrEqual(19.999);
    expect(y0).toBeGreaterThanOrEqual(19.999);
    expect(x1).toBeLessThanOrEqual(780.001);
    expect(y1).toBeLessThanOrEqual(580.001);
    // one side touches the padding
    expect(Math.min(x0 - 20, y0 - 20)).toBeCloseTo(0, 3);
    expect((x0 + x1) / 2).toBeCloseTo(400, 6);
    expect((y0 + y1) / 2).toBeCloseTo(300, 6);
    expect(view.zoom).toBeGreaterThan(11);
    expect(view.zoom).toBeLessThan(14);
  });
  it('a single point gets the maximum zoom, centred', () => {
    const view = fitView([12.45, 55.74, 12.45, 55.74], 400, 300, 10, 17);
    expect(view.zoom).toBe(17);
    const [x, y] = project(view, 12.45, 55.74);
    expect(x).toBeCloseTo(200, 6);
    expect(y).toBeCloseTo(150, 6);
  });
});

describe('tiles and paths', () => {
  it('tiles cover the view and line up with the projection', () => {
    const view = { zoom: 1.5, offsetX: 100, offsetY: 200, width: 300, height: 200 };
    const tiles = tilesFor(view, 'https://t/{z}/{x}/{y}.png');
    const size = 256 * 2 ** 0.5;
    expect(tiles[0].url).toBe('https://t/1/0/0.png');
    expect(tiles[0].size).toBeCloseTo(size, 9);
    // every tile overlaps the view, and together they cover its corners
    for (const t of tiles) {
      expect(t.x).toBeLessThan(view.width);
      expect(t.x + t.size).toBeGreaterThan(0);
    }
    expect(Math.min(...tiles.map((t) => t.x))).toBeLessThanOrEqual(0);
    expect(Math.max(...tiles.map((t) => t.x + t.size))).toBeGreaterThanOrEqual(view.width);
    // the tile (1,1) at zoom 1 starts at lon 0 / lat 0
    const t11 = tiles.find((t) => t.url.endsWith('/1/1/1.png'))!;
    const [x, y] = project(view, 0, 0);
    expect(t11.x).toBeCloseTo(x, 6);
    expect(t11.y).toBeCloseTo(y, 6);
  });
  it('polygons close, lines do not, points have no path but an anchor', () => {
    const view = fitView([0, 0, 1, 1], 100, 100, 0);
    const p = geometryPath(view, square(0, 0, 1, 1));
    expect(p.startsWith('M')).toBe(true);
    expect(p.endsWith('Z')).toBe(true);
    expect(geometryPath(view, { type: 'LineString', coordinates: [[0, 0], [1, 1]] })).not.toContain('Z');
    expect(geometryPath(view, { type: 'Point', coordinates: [0, 0] })).toBe('');
    const [ax, ay] = anchor(view, { type: 'Point', coordinates: [0.5, 0.5] })!;
    expect(ax).toBeGreaterThan(0);
    expect(ay).toBeGreaterThan(0);
    expect(anchor(view, null)).toBeNull();
  });
});
