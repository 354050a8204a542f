/**
 * Collision-aware placement of the map's labels. Each label brings its anchor, its size and
 * the spots it may take around the anchor, in order of preference; labels are placed greedily
 * in the order given (the caller puts the most important first), each in its first spot that
 * stays inside the drawing and overlaps neither a placed label nor an obstacle (the markers).
 * A label with no free spot is left out rather than drawn over another: its feature keeps its
 * tooltip. Pure: sizes come in measured, boxes go out in the drawing's units.
 */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the text sits relative to the point (anchor + dx, dy): its vertical centre is on it. */
export interface Spot {
  dx: number;
  dy: number;
  align: 'start' | 'middle' | 'end';
}

export interface LabelRequest {
  id: string;
  anchor: readonly [number, number];
  width: number;
  height: number;
  spots: readonly Spot[];
}

export interface PlacedLabel {
  id: string;
  /** The text's x (read with `align` as SVG text-anchor) and its vertical centre (dominant-baseline central). */
  x: number;
  y: number;
  align: Spot['align'];
  box: Box;
}

export interface Placement {
  placed: PlacedLabel[];
  /** Ids of labels that found no free spot. */
  dropped: string[];
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(box: Box, area: Box): boolean {
  return box.x >= area.x && box.y >= area.y && box.x + box.width <= area.x + area.width && box.y + box.height <= area.y + area.height;
}

/** The box a label covers at one spot. */
export function spotBox(label: Pick<LabelRequest, 'anchor' | 'width' | 'height'>, spot: Spot): Box {
  const x = label.anchor[0] + spot.dx;
  const left = spot.align === 'start' ? x : spot.align === 'end' ? x - label.width : x - label.width / 2;
  return { x: left, y: label.anchor[1] + spot.dy - label.height / 2, width: label.width, height: label.height };
}

export function placeLabels(labels: readonly LabelRequest[], area: Box, obstacles: readonly Box[] = []): Placement {
  const taken: Box[] = [...obstacles];
  const placed: PlacedLabel[] = [];
  const dropped: string[] = [];
  const ids = new Set<string>();
  for (const label of labels) {
    if (ids.has(label.id)) throw new Error(`placeLabels: label id "${label.id}" appears twice`);
    ids.add(label.id);
    if (!(label.width >= 0 && label.height >= 0) || !label.anchor.every(Number.isFinite)) {
      throw new Error(`placeLabels: label "${label.id}" needs a finite anchor and a size ≥ 0 (got anchor ${label.anchor.join(',')}, ${label.width}×${label.height})`);
    }
    const fit = label.spots.map((spot) => ({ spot, box: spotBox(label, spot) })).find(({ box }) => inside(box, area) && !taken.some((t) => boxesOverlap(box, t)));
    if (!fit) {
      dropped.push(label.id);
      continue;
    }
    taken.push(fit.box);
    placed.push({ id: label.id, x: label.anchor[0] + fit.spot.dx, y: label.anchor[1] + fit.spot.dy, align: fit.spot.align, box: fit.box });
  }
  return { placed, dropped };
}

/** A district's name: on its centre, else nudged up or down by up to two lines. */
export function areaSpots(lineHeight: number): Spot[] {
  return [0, -1, 1, -2, 2].map((k) => ({ dx: 0, dy: k * lineHeight, align: 'middle' as const }));
}

/** A marker's name: right of it, left, above, below, then the four corners; `gap` clears the marker. */
export function pointSpots(gap: number, lineHeight: number): Spot[] {
  const up = -(gap + lineHeight / 2);
  const down = gap + lineHeight / 2;
  return [
    { dx: gap, dy: 0, align: 'start' },
    { dx: -gap, dy: 0, align: 'end' },
    { dx: 0, dy: up, align: 'middle' },
    { dx: 0, dy: down, align: 'middle' },
    { dx: gap, dy: up, align: 'start' },
    { dx: -gap, dy: up, align: 'end' },
    { dx: gap, dy: down, align: 'start' },
    { dx: -gap, dy: down, align: 'end' },
  ];
}
