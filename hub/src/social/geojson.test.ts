import { describe, expect, it } from 'vitest';
import { anchorOf, containsPoint, validateDistricts, validateSiteMap, type Polygon } from './geojson.ts';

const square = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const feature = (properties: object, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

describe('validateDistricts', () => {
  it('accepts Polygon and MultiPolygon districts with id and name', () => {
    const multi = { type: 'MultiPolygon', coordinates: [square(12.4, 55.7, 12.41, 55.71).coordinates, square(12.42, 55.7, 12.43, 55.71).coordinates] };
    const { districts, errors } = validateDistricts(collection(feature({ id: 'north', name: ' Nord ' }, square(12.4, 55.74, 12.5, 55.77)), feature({ id: 'isles', name: 'Øerne' }, multi)));
    expect(errors).toEqual([]);
    expect(districts.map((d) => [d.id, d.name, d.geometry.type])).toEqual([['north', 'Nord', 'Polygon'], ['isles', 'Øerne', 'MultiPolygon']]);
  });

  it('reports each bad feature by index and imports none', () => {
    const open = { type: 'Polygon', coordinates: [[[12.4, 55.7], [12.5, 55.7], [12.5, 55.8], [12.4, 55.8]]] };
    const swapped = square(55.7, 12.4, 55.8, 12.5); // latitude first: still in range, not caught; out of range is:
    const outOfRange = { type: 'Polygon', coordinates: [[[12.4, 95], [12.5, 95], [12.5, 96], [12.4, 95]]] };
    const { districts, errors } = validateDistricts(
      collection(
        feature({ id: 'ok', name: 'OK' }, square(12.4, 55.7, 12.5, 55.8)),
        feature({ id: 'open', name: 'Open' }, open),
        feature({ id: 'far', name: 'Far' }, outOfRange),
        feature({ id: 'pt', name: 'Point' }, { type: 'Point', coordinates: [12.4, 55.7] }),
        feature({ name: 'No id' }, swapped),
        feature({ id: 'kommune', name: 'Hele kommunen' }, square(12.4, 55.7, 12.5, 55.8)),
        feature({ id: 'ok', name: 'Again' }, square(12.4, 55.7, 12.5, 55.8)),
        feature({ id: 'short', name: 'Short' }, { type: 'Polygon', coordinates: [[[12.4, 55.7], [12.5, 55.7], [12.4, 55.7]]] }),
        feature({ id: 'noname' }, square(12.4, 55.7, 12.5, 55.8)),
      ),
    );
    expect(districts).toEqual([]);
    expect(errors.map((e) => e.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(errors[0].message).toContain('not closed');
    expect(errors[1].message).toContain('latitude 95');
    expect(errors[2].message).toContain('"Point"');
    expect(errors[4].message).toContain('reserved');
    expect(errors[5].message).toContain('feature 0');
    expect(errors[6].message).toContain('at least 4');
  });

  it('refuses what is not a FeatureCollection', () => {
    expect(validateDistricts({ type: 'Feature' }).errors).toEqual([{ index: null, message: expect.stringContaining('FeatureCollection') }]);
    expect(validateDistricts(collection()).errors[0].message).toContain('no features');
  });
});

describe('validateSiteMap', () => {
  it('checks kinds and their ids', () => {
    const pt = { type: 'Point', coordinates: [12.45, 55.74] };
    const { features, errors } = validateSiteMap(
      collection(
        feature({ kind: 'site', site: 's1', district: 'north', name: 'Pladsen' }, square(12.44, 55.73, 12.46, 55.75)),
        feature({ kind: 'camera', site: 's1', camera: 'cam1' }, pt),
        feature({ kind: 'zone', site: 's1', camera: 'cam1', zone: 'z1' }, square(12.45, 55.74, 12.451, 55.741)),
      ),
    );
    expect(errors).toEqual([]);
    expect(features.map((f) => [f.kind, f.site, f.camera, f.zone, f.district])).toEqual([['site', 's1', null, null, 'north'], ['camera', 's1', 'cam1', null, null], ['zone', 's1', 'cam1', 'z1', null]]);

    const bad = validateSiteMap(
      collection(
        feature({ kind: 'bench', site: 's1' }, pt),
        feature({ kind: 'zone', site: 's1', camera: 'cam1' }, pt),
        feature({ kind: 'camera', site: 's1', camera: 'cam1', district: 'north' }, pt),
        feature({ kind: 'site', site: 'bad id!' }, pt),
        feature({ kind: 'camera', site: 's1', camera: 'cam1' }, { type: 'Point', coordinates: [200, 55] }),
      ),
    );
    expect(bad.errors.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(bad.errors[4].message).toContain('longitude 200');
  });
});

describe('containsPoint and anchorOf', () => {
  it('finds a point inside a polygon, outside its hole, and in a MultiPolygon part', () => {
    const withHole: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 10, 10).coordinates[0], square(4, 4, 6, 6).coordinates[0]] };
    expect(containsPoint(withHole, [1, 1])).toBe(true);
    expect(containsPoint(withHole, [5, 5])).toBe(false);
    expect(containsPoint(withHole, [11, 5])).toBe(false);
    expect(containsPoint({ type: 'MultiPolygon', coordinates: [square(0, 0, 1, 1).coordinates, square(5, 5, 6, 6).coordinates] }, [5.5, 5.5])).toBe(true);
  });

  it('anchors a polygon at the mean of its vertices (closing vertex not counted twice)', () => {
    expect(anchorOf(square(0, 0, 2, 4))).toEqual([1, 2]);
    expect(anchorOf({ type: 'Point', coordinates: [3, 4] })).toEqual([3, 4]);
  });
});
