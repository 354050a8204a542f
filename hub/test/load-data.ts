/**
 * Test and bench support: a store with months of realistic 15-minute bins (3 lines, 3 zones
 * with dwell histograms per camera), so that an indicator query is as heavy as a researcher's
 * year of a busy site; and a researcher token to ask with.
 */
import { batchIdFor, CountBatch, DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';
import type { HubStore } from '../src/store/index.ts';
import { addCamera } from '../src/admin.ts';
import { newApiToken, tokenHash } from '../src/auth/index.ts';

export const LOAD_SITE = 'load';
/** The first bin; the data runs `days` on from here. */
export const LOAD_FROM_MS = Date.UTC(2025, 0, 1);

/** The lines and zones of bin `seq`: 3 lines, 3 zones with dwell histograms, varied by seq (also bench/hub-ingest.ts). */
export function realisticCounts(seq: number): Pick<CountBatch, 'lines' | 'zones'> {
  const lines = Object.fromEntries(['north', 'south', 'bench'].map((id, i) => [id, { forward: { person: (seq + i) % 7, cyclist: seq % 2 }, backward: { person: (seq * 3 + i) % 5, cyclist: 0 } }]));
  const zones = Object.fromEntries(
    ['lawn', 'stage', 'play'].map((id, i) => [
      id,
      {
        entries: { person: (seq + i) % 4, cyclist: 0 },
        exits: { person: (seq + i + 1) % 4, cyclist: 0 },
        personSeconds: ((seq * 7 + i) % 300) / 4,
        occupancyMax: (seq + i) % 6,
        occupancyMean: ((seq + i) % 6) / 2,
        dwellHistogram: Array.from({ length: DWELL_BIN_EDGES_SECONDS.length + 1 }, (_, k) => (seq + k) % 3),
      },
    ]),
  );
  return { lines, zones };
}

export function loadBatch(camera: string, seq: number): CountBatch {
  const { lines, zones } = realisticCounts(seq);
  const binStart = new Date(LOAD_FROM_MS + seq * 900_000).toISOString();
  return CountBatch.parse({
    v: 1, batchId: batchIdFor(LOAD_SITE, camera, binStart), site: LOAD_SITE, camera, seq, binStart, binSeconds: 900,
    lines, zones, flows: [], quality: { framesProcessed: 9000, framesExpected: 9000, gapSeconds: 0 },
  });
}

/** Registers `cameras` cameras (cam0, cam1, …) and stores `days` of bins for each; returns their MQTT credentials and a researcher token. */
export async function seedLoad(store: HubStore, options: { cameras: number; days: number }): Promise<{ cameras: { username: string; password: string }[]; researcherToken: string }> {
  const at = new Date(LOAD_FROM_MS);
  await store.cameras.ensureSite(LOAD_SITE, at, 'Load test');
  const cameras = [];
  for (let c = 0; c < options.cameras; c++) {
    const camera = `cam${c}`;
    cameras.push(await addCamera(store, LOAD_SITE, camera, at));
    const n = options.days * 96;
    for (let s = 0; s < n; s += 5000) await store.bins.insertMany(Array.from({ length: Math.min(5000, n - s) }, (_, k) => loadBatch(camera, s + k)), at);
  }
  const researcherToken = newApiToken();
  await store.tokens.add({ role: 'researcher', tokenHash: tokenHash(researcherToken), label: 'load' }, at);
  return { cameras, researcherToken };
}
