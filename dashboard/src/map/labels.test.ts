import { describe, expect, it } from 'vitest';
import { areaSpots, boxesOverlap, placeLabels, pointSpots, spotBox, type LabelRequest } from './labels.ts';

const AREA = { x: 0, y: 0, width: 960, height: 640 };
const label = (id: string, x: number, y: number, width: number, spots = areaSpots(14)): LabelRequest => ({ id, anchor: [x, y], width, height: 14, spots });

function noOverlaps(boxes: { box: { x: number; y: number; width: number; height: number } }[]) {
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(boxesOverlap(boxes[i].box, boxes[j].box), `${i} and ${j}`).toBe(false);
}

describe('boxesOverlap', () => {
  it.each([
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 5, width: 10, height: 10 }, true],
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 10, height: 10 }, false], // touching edges
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 2, y: 2, width: 2, height: 2 }, true], // one inside the other
    [{ x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 11, width: 10, height: 10 }, false],
  ])('%o and %o → %s', (a, b, want) => {
    expect(boxesOverlap(a, b)).toBe(want);
    expect(boxesOverlap(b, a)).toBe(want);
  });
});

describe('spotBox', () => {
  it('puts the text after, around or before the point by its alignment, centred on it vertically', () => {
    const l = { anchor: [100, 50] as const, width: 40, height: 10 };
    expect(spotBox(l, { dx: 5, dy: 0, align: 'start' })).toEqual({ x: 105, y: 45, width: 40, height: 10 });
    expect(spotBox(l, { dx: 0, dy: 0, align: 'middle' })).toEqual({ x: 80, y: 45, width: 40, height: 10 });
    expect(spotBox(l, { dx: -5, dy: 10, align: 'end' })).toEqual({ x: 55, y: 55, width: 40, height: 10 });
  });
});

describe('placeLabels', () => {
  it('keeps a label on its first spot when nothing is in the way', () => {
    const { placed, dropped } = placeLabels([label('a', 200, 200, 60)], AREA);
    expect(dropped).toEqual([]);
    expect(placed[0]).toMatchObject({ id: 'a', x: 200, y: 200, align: 'middle' });
  });

  it('moves the second of two labels on the same spot (the map sample: two district names one row apart)', () => {
    const { placed, dropped } = placeLabels([label('Lærkevang', 300, 300, 70), label('Birkehøj', 330, 300, 60)], AREA);
    expect(dropped).toEqual([]);
    expect(placed.map((p) => p.id)).toEqual(['Lærkevang', 'Birkehøj']);
    expect(placed[1].y).not.toBe(300);
    noOverlaps(placed);
  });

  it('puts a site name on the left when the right would leave the drawing (the long site name at the east edge)', () => {
    const { placed } = placeLabels([label('site', 900, 300, 200, pointSpots(10, 14))], AREA);
    expect(placed[0].align).toBe('end');
    expect(placed[0].box.x + placed[0].box.width).toBeLessThanOrEqual(900);
  });

  it('never covers an obstacle (a marker)', () => {
    const marker = { x: 195, y: 193, width: 14, height: 14 };
    const { placed } = placeLabels([label('a', 200, 200, 60)], AREA, [marker]);
    expect(boxesOverlap(placed[0].box, marker)).toBe(false);
  });

  it('drops a label that fits nowhere instead of drawing it over another, and keeps the earlier (more important) one', () => {
    const tiny = { x: 0, y: 0, width: 100, height: 20 };
    const { placed, dropped } = placeLabels([label('first', 50, 10, 80, [{ dx: 0, dy: 0, align: 'middle' }]), label('second', 50, 10, 80, [{ dx: 0, dy: 0, align: 'middle' }])], tiny);
    expect(placed.map((p) => p.id)).toEqual(['first']);
    expect(dropped).toEqual(['second']);
  });

  it('drops a label wider than the drawing', () => {
    expect(placeLabels([label('wide', 480, 320, 2000)], AREA).dropped).toEqual(['wide']);
  });

  it('places a crowd of labels on one point without any two overlapping', () => {
    const crowd = Array.from({ length: 12 }, (_, i) => label(`l${i}`, 480, 320, 90, pointSpots(8, 14)));
    const { placed, dropped } = placeLabels(crowd, AREA);
    expect(placed.length + dropped.length).toBe(12);
    expect(placed.length).toBeGreaterThanOrEqual(4); // right, left, above, below: the corners overlap those
    noOverlaps(placed);
  });

  it('refuses a repeated id and a label without a finite anchor, naming it', () => {
    expect(() => placeLabels([label('x', 1, 1, 1), label('x', 5, 5, 1)], AREA)).toThrow(/"x" appears twice/);
    expect(() => placeLabels([label('nan', Number.NaN, 1, 1)], AREA)).toThrow(/"nan" needs a finite anchor/);
  });
});
