/**
 * Sample count history: weeks of plausible, clearly fictional 15-minute count batches for the
 * example square "Eksempelpladsen", so the cards, charts and evaluation have something to show
 * before a real camera has run for weeks. Pure and deterministic (seeded): the same options give
 * the same batches, so tests can rely on them.
 *
 * The story it tells: people pass along a walkway line and through three zones; benches are put
 * into the bench zone on `installedAtMs`, after which more visits stay longer there. The camera
 * is down for two whole days (no batches at all) and sees only half of one evening's frames, so
 * missing data is there to be handled, never hidden.
 */
import { batchIdFor, DWELL_BIN_EDGES_SECONDS, PROTOCOL_VERSION, type CountBatch, type Scene } from '@byliv/protocol';
import { localParts } from '../indicators/index.ts';

export const SAMPLE_SITE = 'eksempelpladsen';
export const SAMPLE_SITE_NAME = 'Eksempelpladsen (eksempeldata / sample data)';
export const SAMPLE_CAMERA = 'cam1';
export const SAMPLE_INSTALLATION = 'eksempel-baenke';

/** The camera's scene: pixel coordinates of a 1280×720 view. */
export const SAMPLE_SCENE: Scene = {
  site: SAMPLE_SITE,
  camera: SAMPLE_CAMERA,
  lines: [{ id: 'gangsti', name: 'Gangstien / the walkway', a: [640, 80], b: [640, 700] }],
  zones: [
    { id: 'bench-zone', name: 'Bænkene / the benches', installation: SAMPLE_INSTALLATION, polygon: [[80, 380], [420, 380], [420, 700], [80, 700]] },
    { id: 'play-zone', name: 'Legeområdet / play area', polygon: [[860, 380], [1240, 380], [1240, 700], [860, 700]] },
    { id: 'passage', name: 'Passagen / the passage', polygon: [[460, 80], [820, 80], [820, 700], [460, 700]] },
  ],
};

export interface SampleHistoryOptions {
  fromMs: number;
  toMs: number;
  /** When the benches arrive: the bench zone's staying visits go up from here. */
  installedAtMs: number;
  seed?: number;
  binSeconds?: number;
  fps?: number;
}

/** mulberry32: a small, well-mixed 32-bit PRNG; enough for sample data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Knuth's method; the rates here are small (a few per 15 minutes). */
function poisson(rand: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = rand(); p > limit; p *= rand()) k++;
  return k;
}

/** People per hour walking through: morning and afternoon peaks on weekdays, a late, flat day at weekends. */
function passersPerHour(hour: number, weekday: number): number {
  const weekend = weekday >= 6;
  const bump = (centre: number, width: number, height: number) => height * Math.exp(-((hour - centre) ** 2) / (2 * width ** 2));
  const base = hour >= 6 && hour <= 22 ? 6 : 0.6;
  return weekend ? base + bump(13, 3.5, 28) : base + bump(8, 1, 30) + bump(12.5, 1.5, 14) + bump(16.5, 1.5, 34) + bump(19.5, 1.5, 9);
}

/** Dwell seconds of one visit: most pass through; a share sits down (more once benches are there). */
function dwellSeconds(rand: () => number, stayShare: number): number {
  if (rand() < stayShare) return 30 + -Math.log(1 - rand()) * 240; // stays: 30 s and up, mean about 4.5 min
  return 2 + rand() * 20;
}

function histogramOf(dwells: number[]): number[] {
  const bins = new Array<number>(DWELL_BIN_EDGES_SECONDS.length + 1).fill(0);
  for (const d of dwells) {
    const i = DWELL_BIN_EDGES_SECONDS.findIndex((edge) => d < edge);
    bins[i === -1 ? DWELL_BIN_EDGES_SECONDS.length : i]++;
  }
  return bins;
}

const DAY_MS = 86_400_000;

/** The batches, oldest first. */
export function* sampleHistory(options: SampleHistoryOptions): Generator<CountBatch> {
  const binSeconds = options.binSeconds ?? 900;
  const fps = options.fps ?? 10;
  const binMs = binSeconds * 1000;
  const rand = random(options.seed ?? 2026);
  const firstBin = Math.ceil(options.fromMs / binMs) * binMs;
  // Two whole days with the camera down, a third of the way in; half the frames one evening later.
  const outageFrom = firstBin + Math.floor((options.toMs - firstBin) / 3 / DAY_MS) * DAY_MS;
  const outageTo = outageFrom + 2 * DAY_MS;
  const halfSeenFrom = outageTo + 3 * DAY_MS + 19 * 3_600_000;
  let seq = 0;
  for (let start = firstBin; start + binMs <= options.toMs; start += binMs) {
    if (start >= outageFrom && start < outageTo) continue;
    const { hour, weekday } = localParts(start);
    const halfSeen = start >= halfSeenFrom && start < halfSeenFrom + 3_600_000;
    const seen = halfSeen ? 0.5 : 1;
    const benches = start >= options.installedAtMs;
    const rate = (passersPerHour(hour, weekday) * binSeconds) / 3600;

    const zone = (meanEntries: number, stayShare: number) => {
      const entries = poisson(rand, meanEntries * seen);
      const dwells = Array.from({ length: entries }, () => dwellSeconds(rand, stayShare));
      const personSeconds = Math.min(dwells.reduce((s, d) => s + d, 0), binSeconds * Math.max(1, entries));
      const cyclists = Math.min(entries, poisson(rand, entries * 0.05));
      return {
        entries: { person: entries - cyclists, cyclist: cyclists },
        exits: { person: entries - cyclists, cyclist: cyclists },
        personSeconds: Math.round(personSeconds * 10) / 10,
        occupancyMax: entries === 0 ? 0 : Math.max(1, Math.round(personSeconds / binSeconds + rand() * 2)),
        occupancyMean: Math.round((personSeconds / binSeconds) * 1000) / 1000,
        dwellHistogram: histogramOf(dwells),
      };
    };
    const forward = poisson(rand, rate * 0.5 * seen);
    const backward = poisson(rand, rate * 0.5 * seen);
    const benchZone = zone(rate * (benches ? 0.35 : 0.25), benches ? 0.45 : 0.15);
    const flowsToBench = Math.min(benchZone.entries.person, poisson(rand, rate * 0.05 * seen));
    const binStart = new Date(start).toISOString();
    yield {
      v: PROTOCOL_VERSION,
      batchId: batchIdFor(SAMPLE_SITE, SAMPLE_CAMERA, binStart),
      site: SAMPLE_SITE,
      camera: SAMPLE_CAMERA,
      seq: seq++,
      binStart,
      binSeconds,
      lines: { gangsti: { forward: { person: forward, cyclist: 0 }, backward: { person: backward, cyclist: 0 } } },
      zones: { 'bench-zone': benchZone, 'play-zone': zone(rate * 0.2, hour >= 9 && hour <= 18 ? 0.5 : 0.1), passage: zone(rate * 0.8, 0.03) },
      flows: flowsToBench > 0 ? [{ from: 'passage', to: 'bench-zone', count: flowsToBench }] : [],
      quality: { framesProcessed: Math.round(binSeconds * fps * seen), framesExpected: binSeconds * fps, gapSeconds: halfSeen ? binSeconds / 2 : 0 },
    };
  }
}
