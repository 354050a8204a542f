/**
 * Puts the sample history into a hub store: the example site (named as sample data), its
 * camera, the bench installation, the scene that ties the bench zone to it, and the batches,
 * each validated against the protocol like any received batch. Loading twice stores nothing
 * new (batch ids are deterministic).
 */
import { CountBatch } from '@byliv/protocol';
import type { HubStore } from '../store/index.ts';
import { addCamera } from '../admin.ts';
import { SAMPLE_CAMERA, SAMPLE_INSTALLATION, SAMPLE_SCENE, SAMPLE_SITE, SAMPLE_SITE_NAME, sampleHistory } from './generate.ts';

const DAY_MS = 86_400_000;

export interface SampleHistoryLoad {
  site: string;
  camera: string;
  installation: string;
  from: string;
  to: string;
  installedAt: string;
  stored: number;
  duplicates: number;
}

/** `weeks` of history up to the last whole hour before `now`; the benches arrive halfway. */
export async function loadSampleHistory(store: HubStore, options: { now: Date; weeks?: number; seed?: number }): Promise<SampleHistoryLoad> {
  const weeks = options.weeks ?? 12;
  const toMs = Math.floor(options.now.getTime() / 3_600_000) * 3_600_000;
  const fromMs = toMs - weeks * 7 * DAY_MS;
  // Midnight UTC of the middle day: a date a planner would write down.
  const installedAtMs = Math.floor((fromMs + toMs) / 2 / DAY_MS) * DAY_MS;

  await store.cameras.ensureSite(SAMPLE_SITE, options.now, SAMPLE_SITE_NAME);
  if (!(await store.cameras.get(SAMPLE_SITE, SAMPLE_CAMERA))) await addCamera(store, SAMPLE_SITE, SAMPLE_CAMERA, options.now);
  await store.installations.upsert(
    { id: SAMPLE_INSTALLATION, site: SAMPLE_SITE, name: 'Nye bænke (eksempel) / New benches (sample)', kind: 'bench', installedAt: new Date(installedAtMs).toISOString(), removedAt: null },
    options.now,
  );
  if (!(await store.scenes.current(SAMPLE_SITE, SAMPLE_CAMERA))) await store.scenes.add(SAMPLE_SCENE, new Date(fromMs));

  const batches = [...sampleHistory({ fromMs, toMs, installedAtMs, seed: options.seed })].map((b) => CountBatch.parse(b));
  const { stored, duplicates } = await store.bins.insertMany(batches, options.now);
  return {
    site: SAMPLE_SITE,
    camera: SAMPLE_CAMERA,
    installation: SAMPLE_INSTALLATION,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    installedAt: new Date(installedAtMs).toISOString(),
    stored,
    duplicates,
  };
}
