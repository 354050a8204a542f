/**
 * How long tracking + counting take per frame, with 50 people in view.
 *
 * A synthetic square (1920×1080, 10 fps): 50 people (5 of them cyclists) walk with a slowly
 * turning heading and bounce off the edges, deterministic from a seed. Each frame becomes
 * detections with position noise, missed boxes, low scores for people half hidden behind
 * someone nearer the camera, and the odd spurious box. Frames go through ByteTracker →
 * LineCounter (3 lines) → ZoneCounter (3 zones) → BinAggregator, timed per frame after a
 * warm-up. Also prints how the counted crossings compare with the crossings of the true
 * paths, as a sanity check that the timed work is the real work.
 *
 *   npx tsx bench/track-count.ts [frames=3000] [people=50]
 */
import { performance } from 'node:perf_hooks';
import type { SceneLine, SceneZone } from '@byliv/protocol';
import { ByteTracker } from '../edge/src/track/index.ts';
import { LineCounter, ZoneCounter, side } from '../edge/src/count/index.ts';
import { BinAggregator } from '../edge/src/aggregate/index.ts';
import type { Detection, Point } from '../edge/src/types.ts';

const FRAMES = Number(process.argv[2] ?? 3000);
const PEOPLE = Number(process.argv[3] ?? 50);
const WARMUP = 300;
const FPS = 10;
const W = 1920;
const H = 1080;
const INFERENCE_MS = 25;

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(2009);
const gauss = (): number => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());

interface Walker {
  x: number; // foot x
  y: number; // foot y
  heading: number;
  speed: number; // px per second
  cyclist: boolean;
}
const heightAt = (y: number): number => 80 + (y / H) * 100; // nearer the camera (lower) is bigger

const walkers: Walker[] = Array.from({ length: PEOPLE }, (_, i) => ({
  x: 100 + rand() * (W - 200),
  y: 250 + rand() * (H - 300),
  heading: rand() * 2 * Math.PI,
  cyclist: i < PEOPLE / 10,
  speed: 0,
}));
for (const w of walkers) w.speed = w.cyclist ? 300 + rand() * 150 : 80 + rand() * 80;

function move(w: Walker, dt: number): void {
  w.heading += gauss() * 0.15;
  // Near an edge, turn gradually back towards the middle (people turn, they do not bounce).
  if (w.x < 150 || w.x > W - 150 || w.y < 300 || w.y > H - 60) {
    const toCentre = Math.atan2(H / 2 + 100 - w.y, W / 2 - w.x);
    const d = Math.atan2(Math.sin(toCentre - w.heading), Math.cos(toCentre - w.heading));
    w.heading += Math.max(-0.25, Math.min(0.25, d));
  }
  w.x = Math.min(W - 20, Math.max(20, w.x + Math.cos(w.heading) * w.speed * dt));
  w.y = Math.min(H - 5, Math.max(200, w.y + Math.sin(w.heading) * w.speed * dt * 0.6)); // foreshortened depth
}

function detect(): Detection[] {
  const dets: Detection[] = [];
  const boxes = walkers.map((w) => {
    const h = heightAt(w.y);
    return [w.x - h * 0.2, w.y - h, w.x + h * 0.2, w.y] as [number, number, number, number];
  });
  walkers.forEach((w, i) => {
    if (rand() < 0.04) return; // missed
    const b = boxes[i];
    const h = b[3] - b[1];
    // Hidden behind someone nearer the camera: the detector is less sure.
    let hidden = 0;
    boxes.forEach((o, j) => {
      if (j === i || walkers[j].y <= w.y) return;
      const iw = Math.min(b[2], o[2]) - Math.max(b[0], o[0]);
      const ih = Math.min(b[3], o[3]) - Math.max(b[1], o[1]);
      if (iw > 0 && ih > 0) hidden = Math.max(hidden, (iw * ih) / ((b[2] - b[0]) * h));
    });
    const score = hidden > 0.3 ? 0.15 + rand() * 0.35 : 0.6 + rand() * 0.35;
    const n = (s: number) => gauss() * s;
    dets.push({ box: [b[0] + n(2), b[1] + n(3), b[2] + n(2), b[3] + n(2)], score, label: 'person' });
    if (w.cyclist && rand() > 0.15) {
      dets.push({ box: [w.x - h * 0.45 + n(3), w.y - h * 0.55 + n(3), w.x + h * 0.45 + n(3), w.y + h * 0.05 + n(2)], score: 0.7, label: 'bicycle' });
    }
  });
  if (rand() < 0.1) {
    const x = rand() * W;
    const y = 300 + rand() * (H - 300);
    dets.push({ box: [x, y - 100, x + 40, y], score: 0.6 + rand() * 0.1, label: 'person' });
  }
  return dets;
}

const lines: SceneLine[] = [
  { id: 'north', a: [200, 450], b: [1700, 450] },
  { id: 'mid', a: [960, 250], b: [960, 1050] },
  { id: 'diag', a: [300, 1000], b: [1500, 300] },
];
const zones: SceneZone[] = [
  { id: 'west', polygon: [[100, 300], [700, 300], [700, 900], [100, 900]] },
  { id: 'east', polygon: [[1200, 350], [1850, 400], [1800, 1000], [1250, 950]] },
  { id: 'centre', polygon: [[800, 500], [1100, 500], [1100, 650], [1000, 650], [1000, 800], [800, 800]] }, // concave
];

const tracker = new ByteTracker();
const lineCounter = new LineCounter(lines);
const zoneCounter = new ZoneCounter(zones);
const bins = new BinAggregator({
  site: 'bench',
  camera: 'synthetic',
  binSeconds: 60,
  origin: new Date('2024-01-01T00:00:00Z'),
  lineIds: lines.map((l) => l.id),
  zoneIds: zones.map((z) => z.id),
  framesPerSecond: FPS,
});

const micros: number[] = [];
let trackedBoxes = 0;
let detectedPersons = 0;
const idsSeen = new Set<number>();
let counted = 0;
let trueCrossings = 0;
let cyclistObservations = 0;
let cyclistTracked = 0;
let batches = 0;
const prevFeet: Point[] = walkers.map((w) => [w.x, w.y]);

for (let f = 0; f < FRAMES + WARMUP; f++) {
  const time = f / FPS;
  if (f > 0) walkers.forEach((w) => move(w, 1 / FPS));
  // Ground truth crossings from the true paths (segment–segment intersection).
  walkers.forEach((w, i) => {
    const p = prevFeet[i];
    const q: Point = [w.x, w.y];
    if (f > WARMUP) {
      for (const l of lines) {
        const sp = side(l.a, l.b, p);
        const sq = side(l.a, l.b, q);
        const sa = side(p, q, l.a);
        const sb = side(p, q, l.b);
        if (sp * sq < 0 && sa * sb <= 0) trueCrossings++;
      }
    }
    prevFeet[i] = q;
  });
  const detections = detect();

  const t0 = performance.now();
  const tracks = tracker.update(detections, time);
  const crossings = lineCounter.update(tracks, time);
  const { events, occupancy } = zoneCounter.update(tracks, time, 1 / FPS);
  const closed = bins.add({ time, duration: 1 / FPS, crossings, zoneEvents: events, occupancy });
  const t1 = performance.now();

  if (f < WARMUP) continue;
  micros.push((t1 - t0) * 1000);
  trackedBoxes += tracks.length;
  detectedPersons += detections.filter((d) => d.label === 'person' && d.score >= 0.5).length;
  for (const t of tracks) {
    idsSeen.add(t.id);
    if (t.cls === 'cyclist') cyclistTracked++;
  }
  cyclistObservations += walkers.filter((w) => w.cyclist).length;
  counted += crossings.length;
  batches += closed.length;
}
batches += bins.flush().length;

micros.sort((a, b) => a - b);
const mean = micros.reduce((s, x) => s + x, 0) / micros.length;
const p = (q: number): number => micros[Math.min(micros.length - 1, Math.floor(q * micros.length))];
const fmt = (x: number): string => x.toFixed(0).padStart(6);

console.log(`track+count+bin, ${PEOPLE} people, ${lines.length} lines, ${zones.length} zones, ${FRAMES} frames (after ${WARMUP} warm-up), node ${process.version}`);
console.log(`  µs/frame  mean ${fmt(mean)}   p50 ${fmt(p(0.5))}   p95 ${fmt(p(0.95))}   p99 ${fmt(p(0.99))}   max ${fmt(micros[micros.length - 1])}`);
console.log(`  share of a ${INFERENCE_MS} ms inference frame: mean ${((mean / 1000 / INFERENCE_MS) * 100).toFixed(2)} %, p95 ${((p(0.95) / 1000 / INFERENCE_MS) * 100).toFixed(2)} %`);
console.log(`  sanity: tracked boxes/frame ${(trackedBoxes / FRAMES).toFixed(1)} of ${PEOPLE} people (${(detectedPersons / FRAMES).toFixed(1)} high-score detections/frame), ids handed out ${idsSeen.size}`);
console.log(`  sanity: crossings counted ${counted}, on the true paths ${trueCrossings}; cyclist share of cyclist observations ${((cyclistTracked / cyclistObservations) * 100).toFixed(0)} %; batches ${batches}`);
