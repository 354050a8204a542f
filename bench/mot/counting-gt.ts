/**
 * Reference counts from trajectories: what a perfect counter would report for a scene's
 * lines and zones, given where each person stood in each frame. Applied to the ground
 * truth it is the counting ground truth; applied to a tracker's tracks file it shows what
 * the tracks alone imply. Pure: boxes and scene in, a CountSummary out.
 *
 * Rules (the benchmark README repeats them):
 * - A person's position is the foot point, the bottom centre of the box.
 * - Line: a step between consecutive annotated frames of the same id crosses a line when
 *   the foot changes side and the step's segment passes between the line's end points
 *   (a proper intersection). side(p) = (b.x−a.x)(p.y−a.y) − (b.y−a.y)(p.x−a.x); forward is
 *   side < 0 → side > 0, as in the architecture. A foot exactly on the line (side = 0)
 *   keeps the side it came from, so touching the line and going back counts nothing.
 * - Zone: the foot inside the polygon (even–odd rule). An entry is outside → inside, and
 *   a trajectory that starts inside enters at its first frame; an exit is inside → outside,
 *   and a trajectory that ends inside before the sequence's last frame exits there (the
 *   person walked out of view). Person-seconds add, per frame, the people inside times
 *   one frame's duration; maxOccupancy is the most people inside in one frame.
 */
import { dwellHistogramOf, dwellMedian, stayingVisits, type CountSummary, type Point, type Scene, type SceneLine } from '@byliv/protocol';
import { trajectories, type MotBox } from './gt.ts';
import { zoneVisits } from './visits-gt.ts';

export interface CountingOptions {
  /** Frame rate of the sequence: each frame stands for 1 / framesPerSecond seconds. */
  framesPerSecond: number;
  /** Number of frames in the sequence (frames 1..frames); default: the last annotated frame. */
  frames?: number;
}

export type Direction = 'forward' | 'backward';

/** Bottom centre of a box: where the person stands. */
export function footPoint(b: MotBox): Point {
  return [b.left + b.width / 2, b.top + b.height];
}

/** The architecture's side function; its sign says which side of a→b the point is on. */
export function side(line: Pick<SceneLine, 'a' | 'b'>, p: Point): number {
  const [ax, ay] = line.a;
  const [bx, by] = line.b;
  return (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax);
}

/** Whether the segment p→q passes strictly between the end points of the line. */
function spansLine(line: Pick<SceneLine, 'a' | 'b'>, p: Point, q: Point): boolean {
  const step = { a: p, b: q };
  return Math.sign(side(step, line.a)) * Math.sign(side(step, line.b)) < 0;
}

/** Crossings of one line along one foot path, in order. */
export function lineCrossings(line: Pick<SceneLine, 'a' | 'b'>, path: readonly Point[]): Direction[] {
  const out: Direction[] = [];
  let lastSign = 0; // side of the last point that was off the line; 0 until there is one
  for (let k = 0; k < path.length; k++) {
    const s = Math.sign(side(line, path[k]));
    if (s === 0) continue;
    if (lastSign !== 0 && s !== lastSign && spansLine(line, path[k - 1], path[k])) {
      out.push(s > 0 ? 'forward' : 'backward');
    }
    lastSign = s;
  }
  return out;
}

/** Even–odd point-in-polygon test (a ray to the right of p, counting edge crossings). */
export function insidePolygon(polygon: readonly Point[], p: Point): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The counts a perfect counter would give for `scene` over these trajectories. */
export function countTrajectories(boxes: readonly MotBox[], scene: Pick<Scene, 'lines' | 'zones'>, options: CountingOptions): CountSummary {
  const fps = options.framesPerSecond;
  if (!(fps > 0) || !Number.isFinite(fps)) throw new Error(`countTrajectories: framesPerSecond must be a positive number, got ${fps}`);
  const lastFrame = options.frames ?? boxes.reduce((m, b) => Math.max(m, b.frame), 0);
  const tracks = trajectories(boxes).map((t) => ({ frames: t.boxes.map((b) => b.frame), feet: t.boxes.map(footPoint) }));

  const lines: CountSummary['lines'] = {};
  for (const line of scene.lines) {
    const count = { forward: 0, backward: 0 };
    for (const t of tracks) for (const d of lineCrossings(line, t.feet)) count[d]++;
    lines[line.id] = count;
  }

  // Visits binned as the edge bins them, so both sides are read the same way (visits-gt.ts).
  const visits = zoneVisits(boxes, scene, { framesPerSecond: fps, frames: lastFrame });
  const zones: CountSummary['zones'] = {};
  for (const zone of scene.zones) {
    let entries = 0;
    let exits = 0;
    const occupancy = new Map<number, number>(); // frame → people inside
    for (const t of tracks) {
      let wasInside = false;
      for (let k = 0; k < t.feet.length; k++) {
        const inside = insidePolygon(zone.polygon, t.feet[k]);
        if (inside && !wasInside) entries++;
        if (!inside && wasInside) exits++;
        if (inside) occupancy.set(t.frames[k], (occupancy.get(t.frames[k]) ?? 0) + 1);
        wasInside = inside;
      }
      if (wasInside && t.frames[t.frames.length - 1] < lastFrame) exits++;
    }
    let personFrames = 0;
    let maxOccupancy = 0;
    for (const n of occupancy.values()) {
      personFrames += n;
      maxOccupancy = Math.max(maxOccupancy, n);
    }
    const dwellHistogram = dwellHistogramOf(visits[zone.id].durations);
    zones[zone.id] = {
      entries,
      exits,
      personSeconds: personFrames / fps,
      maxOccupancy,
      visits: visits[zone.id].ended.length,
      dwellHistogram,
      stayingVisits: stayingVisits(dwellHistogram),
      medianDwellSeconds: dwellMedian(dwellHistogram),
    };
  }

  return { frames: lastFrame, seconds: lastFrame / fps, lines, zones };
}
