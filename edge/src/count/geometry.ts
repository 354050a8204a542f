/** Plane geometry for counting, in source-frame pixels (y down). */
import type { Point } from '../types.ts';

/**
 * Which side of the directed line a→b the point p lies on: the ARCHITECTURE.md rule
 * `(b.x−a.x)(p.y−a.y) − (b.y−a.y)(p.x−a.x)`. Negative and positive are the two sides, 0 on
 * the line; |side| / |b−a| is the distance from the (infinite) line.
 */
export function side(a: Point, b: Point, p: Point): number {
  return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
}

/**
 * A step from p to q goes from one side of line a→b to the other (`sp`, `sq` are their side
 * values, of opposite signs, or `sp` = 0 when p lies on the line). Where along the segment
 * a→b does it cross: 0 at a, 1 at b, outside [0, 1] beyond an end.
 */
export function crossingParameter(a: Point, b: Point, p: Point, q: Point, sp: number, sq: number): number {
  const t = sp === 0 ? 0 : sp / (sp - sq);
  const x = p[0] + t * (q[0] - p[0]);
  const y = p[1] + t * (q[1] - p[1]);
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  return ((x - a[0]) * dx + (y - a[1]) * dy) / (dx * dx + dy * dy);
}

/**
 * Even-odd point-in-polygon (ray cast to +x). Works for concave and self-touching polygons.
 * A point exactly on an edge may land on either side; counting only needs the answer to be
 * the same every time for the same point, which it is.
 */
export function pointInPolygon(p: Point, polygon: readonly Point[]): boolean {
  const x = p[0];
  const y = p[1];
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const xi = polygon[i][0];
    const yi = polygon[i][1];
    const xj = polygon[j][0];
    const yj = polygon[j][1];
    // Half-open test on y so a vertex on the ray is counted once.
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Distance from p to the segment a–b. */
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const u = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + u * dx), p[1] - (a[1] + u * dy));
}

/**
 * How deep p lies inside the polygon: its distance to the nearest edge, positive inside and
 * negative outside (even-odd rule, as pointInPolygon). Zone membership's hysteresis compares
 * this with the jitter band.
 */
export function signedDepth(p: Point, polygon: readonly Point[]): number {
  let d = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) d = Math.min(d, distanceToSegment(p, polygon[j], polygon[i]));
  return pointInPolygon(p, polygon) ? d : -d;
}
