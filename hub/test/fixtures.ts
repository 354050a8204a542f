/** Hand-made CountBatches and temp data dirs for the hub's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchIdFor, CountBatch, DWELL_BIN_EDGES_SECONDS } from '@byliv/protocol';

export interface BatchSpec {
  site?: string;
  camera?: string;
  seq?: number;
  binStart: string;
  binSeconds?: number;
  /** line id -> [forward person, forward cyclist, backward person, backward cyclist] */
  lines?: Record<string, [number, number, number, number]>;
  /** zone id -> { entries person, entries cyclist, exits (person), personSeconds, occupancyMax } */
  zones?: Record<string, { entries?: number; cyclists?: number; exits?: number; personSeconds?: number; occupancyMax?: number }>;
  framesProcessed?: number;
  framesExpected?: number;
  gapSeconds?: number;
}

/** A valid batch (parsed by the protocol schema, so its form is canonical). */
export function makeBatch(spec: BatchSpec): CountBatch {
  const site = spec.site ?? 'park';
  const camera = spec.camera ?? 'cam1';
  const binSeconds = spec.binSeconds ?? 60;
  const lines: Record<string, unknown> = {};
  for (const [id, [fp, fc, bp, bc]] of Object.entries(spec.lines ?? {})) {
    lines[id] = { forward: { person: fp, cyclist: fc }, backward: { person: bp, cyclist: bc } };
  }
  const zones: Record<string, unknown> = {};
  for (const [id, z] of Object.entries(spec.zones ?? {})) {
    zones[id] = {
      entries: { person: z.entries ?? 0, cyclist: z.cyclists ?? 0 },
      exits: { person: z.exits ?? 0, cyclist: 0 },
      personSeconds: z.personSeconds ?? 0,
      occupancyMax: z.occupancyMax ?? 0,
      occupancyMean: 0,
      dwellHistogram: new Array(DWELL_BIN_EDGES_SECONDS.length + 1).fill(0),
    };
  }
  return CountBatch.parse({
    v: 1,
    batchId: batchIdFor(site, camera, spec.binStart),
    site,
    camera,
    seq: spec.seq ?? 0,
    binStart: spec.binStart,
    binSeconds,
    lines,
    zones,
    flows: [],
    quality: {
      framesProcessed: spec.framesProcessed ?? binSeconds * 10,
      framesExpected: spec.framesExpected ?? binSeconds * 10,
      gapSeconds: spec.gapSeconds ?? 0,
    },
  });
}

/** A fresh temp folder; `remove()` deletes it. */
export function tempDir(prefix = 'byliv-hub-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
