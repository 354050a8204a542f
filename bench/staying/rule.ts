/**
 * The written rule (README.md) that picks the held frame K of PETS09-S2L1 and places the
 * staying scene's zones and line around the people standing in it. Uses the ground truth
 * only, never tracker output. Pure functions, plus a CLI that prints the choice and, with
 * --write, writes bench/scenes/pets09-staying.json:
 *
 *   npx tsx bench/staying/rule.ts [--write]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Point, Scene } from '@byliv/protocol';
import { footPoint, insidePolygon } from '../mot/counting-gt.ts';
import { byFrame, parseMot, type MotBox } from '../mot/gt.ts';
import { PETS09_GT } from '../mot/paths.ts';

export const STAYING_SCENE = fileURLToPath(new URL('../scenes/pets09-staying.json', import.meta.url));

/** The rule's numbers (README.md, "The rule"). */
export const RULE = {
  /** At least this many frames of the sequence before K and after it (10 s at 10 fps). */
  marginFrames: 100,
  /** Every box at least this far (px) from every frame edge. */
  edgeMargin: 16,
  /** Every box at least this tall, as a fraction of the frame height. */
  minHeightFraction: 0.1,
  /** Every two boxes at least this far apart (px), horizontally or vertically. */
  minGap: 8,
  /** At least this many people at K. */
  minPeople: 4,
} as const;

export interface FrameSize {
  width: number;
  height: number;
  /** Frames in the sequence (795 for PETS09-S2L1). */
  frames: number;
}

export interface HoldFrameChoice {
  frame: number;
  /** The people at K, sorted by id. */
  people: MotBox[];
  /** Smallest distance between two foot points at K (px). */
  minFootDistance: number;
  /** How many frames met the rule. */
  eligible: number;
}

/** Gap between two boxes: the larger of the horizontal and vertical gaps (negative = overlap). */
function gap(a: MotBox, b: MotBox): number {
  const gx = Math.max(b.left - (a.left + a.width), a.left - (b.left + b.width));
  const gy = Math.max(b.top - (a.top + a.height), a.top - (b.top + b.height));
  return Math.max(gx, gy);
}

/** Whether every person in this frame is clear: inside with margin, tall enough, apart. */
export function allClear(boxes: readonly MotBox[], size: Pick<FrameSize, 'width' | 'height'>): boolean {
  return boxes.every(
    (b) =>
      b.left >= RULE.edgeMargin &&
      b.top >= RULE.edgeMargin &&
      b.left + b.width <= size.width - RULE.edgeMargin &&
      b.top + b.height <= size.height - RULE.edgeMargin &&
      b.height >= RULE.minHeightFraction * size.height &&
      boxes.every((o) => o === b || gap(b, o) >= RULE.minGap),
  );
}

function minFootDistance(boxes: readonly MotBox[]): number {
  let best = Infinity;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [ax, ay] = footPoint(boxes[i]);
      const [bx, by] = footPoint(boxes[j]);
      best = Math.min(best, Math.hypot(ax - bx, ay - by));
    }
  return best;
}

/**
 * K: among frames marginFrames+1 … frames−marginFrames whose every annotated person is clear
 * and that hold at least minPeople people, the one with the most people, then the largest
 * smallest foot-to-foot distance, then the earliest.
 */
export function chooseHoldFrame(gt: readonly MotBox[], size: FrameSize): HoldFrameChoice {
  const frames = byFrame(gt);
  let best: HoldFrameChoice | undefined;
  let eligible = 0;
  for (let f = RULE.marginFrames + 1; f <= size.frames - RULE.marginFrames; f++) {
    const boxes = frames.get(f) ?? [];
    if (boxes.length < RULE.minPeople || !allClear(boxes, size)) continue;
    eligible++;
    const d = minFootDistance(boxes);
    if (!best || boxes.length > best.people.length || (boxes.length === best.people.length && d > best.minFootDistance)) {
      best = { frame: f, people: [...boxes].sort((a, b) => a.id - b.id), minFootDistance: d, eligible: 0 };
    }
  }
  if (!best) throw new Error(`no frame of ${size.frames} meets the staying rule (>= ${RULE.minPeople} people, all clear)`);
  return { ...best, eligible };
}

/** Role of a person of frame K in the scene. */
export interface Role {
  person: number;
  foot: Point;
  boxHeight: number;
  /** The zone or line id this person is placed on. */
  element: string;
  kind: 'top-edge' | 'bottom-edge' | 'right-edge' | 'inside' | 'line';
}

const r1 = (v: number): number => Math.round(v * 10) / 10;
/** The 0.1 px grid value strictly below v. */
function below(v: number): number {
  let e = Math.floor(v * 10) / 10;
  if (e >= v) e = (Math.round(v * 10) - 1) / 10;
  return e;
}
/** The 0.1 px grid value strictly above v. */
function above(v: number): number {
  let e = Math.ceil(v * 10) / 10;
  if (e <= v) e = (Math.round(v * 10) + 1) / 10;
  return e;
}
const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
];

function fmt(p: Point): string {
  return `(${p[0].toFixed(2)}, ${p[1].toFixed(2)})`;
}

/**
 * The staying scene around the people of frame K (README.md, "The scene"):
 * - rank the people by box height h, tallest first (ties: lower id);
 * - ranks 1–3: a zone whose edge runs through the foot point, on the 0.1 px grid just
 *   outside it so that the ground-truth foot is inside by less than 0.1 px: rank 1 the top
 *   edge of a rectangle h wide (centred on the foot) reaching h/2 below it; rank 2 the
 *   bottom edge of a rectangle h wide reaching h/2 above; rank 3 the right edge of a
 *   rectangle h tall (centred on the foot) reaching h/2 to the left;
 * - of the others, the person whose foot is farthest from every other foot at K gets the
 *   line: horizontal through the foot (0.1 px grid), 3h long centred on it, drawn left to
 *   right (forward = walking down the image);
 * - of the rest, the tallest gets a square zone h/2 wide centred on the foot (the foot h/4
 *   from every edge).
 * All other coordinates are rounded to 0.1 px. Throws if the result breaks the rule's checks
 * (inside the frame, zones disjoint, each zone holding exactly its own person's foot at K).
 */
export function stayingScene(people: readonly MotBox[], size: Pick<FrameSize, 'width' | 'height'>, frame: number): { scene: Scene; roles: Role[] } {
  if (people.length < 5) throw new Error(`the staying scene needs 5 people at frame ${frame}, got ${people.length}`);
  const ranked = [...people].sort((a, b) => b.height - a.height || a.id - b.id);
  const roles: Role[] = [];
  const zones: Scene['zones'] = [];
  const lines: Scene['lines'] = [];
  const role = (b: MotBox, element: string, kind: Role['kind']): void => {
    roles.push({ person: b.id, foot: footPoint(b), boxHeight: b.height, element, kind });
  };

  const [p1, p2, p3] = ranked;
  {
    const [x, y] = footPoint(p1);
    const h = p1.height;
    zones.push({ id: 'foot-on-top-edge', name: `person ${p1.id} at frame ${frame}: foot ${fmt([x, y])} on the top edge; ${h.toFixed(0)} px wide, ${(h / 2).toFixed(0)} px deep`, polygon: rect(r1(x - h / 2), below(y), r1(x + h / 2), r1(y + h / 2)) });
    role(p1, 'foot-on-top-edge', 'top-edge');
  }
  {
    const [x, y] = footPoint(p2);
    const h = p2.height;
    zones.push({ id: 'foot-on-bottom-edge', name: `person ${p2.id} at frame ${frame}: foot ${fmt([x, y])} on the bottom edge; ${h.toFixed(0)} px wide, ${(h / 2).toFixed(0)} px deep`, polygon: rect(r1(x - h / 2), r1(y - h / 2), r1(x + h / 2), above(y)) });
    role(p2, 'foot-on-bottom-edge', 'bottom-edge');
  }
  {
    const [x, y] = footPoint(p3);
    const h = p3.height;
    zones.push({ id: 'foot-on-right-edge', name: `person ${p3.id} at frame ${frame}: foot ${fmt([x, y])} on the right edge; ${h.toFixed(0)} px tall, ${(h / 2).toFixed(0)} px wide`, polygon: rect(r1(x - h / 2), r1(y - h / 2), above(x), r1(y + h / 2)) });
    role(p3, 'foot-on-right-edge', 'right-edge');
  }

  const rest = ranked.slice(3);
  const isolation = (b: MotBox): number => Math.min(...people.filter((o) => o !== b).map((o) => Math.hypot(footPoint(o)[0] - footPoint(b)[0], footPoint(o)[1] - footPoint(b)[1])));
  const lineMan = [...rest].sort((a, b) => isolation(b) - isolation(a) || a.id - b.id)[0];
  {
    const [x, y] = footPoint(lineMan);
    const h = lineMan.height;
    lines.push({ id: 'standing-on-line', name: `person ${lineMan.id} at frame ${frame}: foot ${fmt([x, y])} on the line; horizontal, ${(3 * h).toFixed(0)} px (forward: walking down the image)`, a: [r1(x - 1.5 * h), r1(y)], b: [r1(x + 1.5 * h), r1(y)] });
    role(lineMan, 'standing-on-line', 'line');
  }
  const inner = rest.filter((b) => b !== lineMan)[0];
  {
    const [x, y] = footPoint(inner);
    const h = inner.height;
    zones.push({ id: 'foot-well-inside', name: `person ${inner.id} at frame ${frame}: foot ${fmt([x, y])} at the centre; square ${(h / 2).toFixed(0)} px`, polygon: rect(r1(x - h / 4), r1(y - h / 4), r1(x + h / 4), r1(y + h / 4)) });
    role(inner, 'foot-well-inside', 'inside');
  }

  const scene: Scene = { site: 'pets09', camera: 'view1', lines, zones };
  // The rule's checks.
  for (const z of zones) {
    for (const [px, py] of z.polygon) if (px < 0 || py < 0 || px > size.width || py > size.height) throw new Error(`zone ${z.id} leaves the ${size.width}x${size.height} frame`);
    const inside = people.filter((b) => insidePolygon(z.polygon, footPoint(b))).map((b) => b.id);
    const own = roles.find((r) => r.element === z.id)!.person;
    if (inside.length !== 1 || inside[0] !== own) throw new Error(`zone ${z.id} should hold only person ${own}'s foot at frame ${frame}, holds [${inside.join(', ')}]`);
  }
  const box = (z: Scene['zones'][number]) => ({ x0: Math.min(...z.polygon.map((p) => p[0])), x1: Math.max(...z.polygon.map((p) => p[0])), y0: Math.min(...z.polygon.map((p) => p[1])), y1: Math.max(...z.polygon.map((p) => p[1])) });
  for (let i = 0; i < zones.length; i++)
    for (let j = i + 1; j < zones.length; j++) {
      const a = box(zones[i]);
      const b = box(zones[j]);
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) throw new Error(`zones ${zones[i].id} and ${zones[j].id} overlap`);
    }
  for (const l of lines) for (const [px, py] of [l.a, l.b]) if (px < 0 || py < 0 || px > size.width || py > size.height) throw new Error(`line ${l.id} leaves the frame`);
  return { scene, roles };
}

/** The scene file's text, as written by --write. */
export function sceneJson(scene: Scene): string {
  const pt = (p: Point): string => `[${p[0]}, ${p[1]}]`;
  const out: string[] = ['{', `  "site": ${JSON.stringify(scene.site)},`, `  "camera": ${JSON.stringify(scene.camera)},`, '  "lines": ['];
  out.push(scene.lines.map((l) => `    { "id": ${JSON.stringify(l.id)}, "name": ${JSON.stringify(l.name)}, "a": ${pt(l.a)}, "b": ${pt(l.b)} }`).join(',\n'));
  out.push('  ],', '  "zones": [');
  out.push(scene.zones.map((z) => `    { "id": ${JSON.stringify(z.id)}, "name": ${JSON.stringify(z.name)}, "polygon": [${z.polygon.map(pt).join(', ')}] }`).join(',\n'));
  out.push('  ]', '}', '');
  return out.join('\n');
}

export const PETS09_SIZE: FrameSize = { width: 768, height: 576, frames: 795 };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const gt = parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT);
  const choice = chooseHoldFrame(gt, PETS09_SIZE);
  console.log(`K = ${choice.frame} (${choice.eligible} frames met the rule; ${choice.people.length} people, nearest feet ${choice.minFootDistance.toFixed(1)} px apart)`);
  const { scene, roles } = stayingScene(choice.people, PETS09_SIZE, choice.frame);
  for (const b of choice.people) {
    const r = roles.find((x) => x.person === b.id);
    console.log(`  id ${b.id}: box ${b.left},${b.top} ${b.width}x${b.height}, foot ${fmt(footPoint(b))}${r ? ` -> ${r.element}` : ''}`);
  }
  const text = sceneJson(scene);
  if (process.argv.includes('--write')) {
    writeFileSync(STAYING_SCENE, text);
    console.log(`wrote ${STAYING_SCENE}`);
  } else process.stdout.write(text);
}
