import { DWELL_BIN_EDGES_SECONDS } from './classes.ts';
import { PROTOCOL_VERSION, batchIdFor, type CountBatch } from './batch.ts';
import type { Scene } from './scene.ts';

/** The largest MQTT payload the hub accepts (a count batch or a status); larger ones are dead letters. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** A count no bin will reach (ten million of anything in one bin), so its digits bound the real ones. */
const BIG_COUNT = 9_999_999;

/**
 * The largest count batch a scene can produce, as sent: every line and zone with counts of
 * BIG_COUNT digits, a flow for every ordered pair of zones, a live agent's session in the
 * batch id. Pure: the same scene always gives the same figure.
 */
export function worstCaseBatch(scene: Pick<Scene, 'site' | 'camera' | 'lines' | 'zones'>): CountBatch {
  const classes = { person: BIG_COUNT, cyclist: BIG_COUNT };
  const binStart = '2099-12-31T23:45:00Z';
  const zones = scene.zones.map((z) => z.id);
  return {
    v: PROTOCOL_VERSION,
    batchId: batchIdFor(scene.site, scene.camera, binStart, '2099-12-31T23:59:59.999Z'),
    site: scene.site,
    camera: scene.camera,
    seq: Number.MAX_SAFE_INTEGER,
    binStart,
    binSeconds: 86_400,
    lines: Object.fromEntries(scene.lines.map((l) => [l.id, { forward: classes, backward: classes }])),
    zones: Object.fromEntries(
      zones.map((id) => [
        id,
        {
          entries: classes,
          exits: classes,
          personSeconds: 864_000_000.123,
          occupancyMax: BIG_COUNT,
          occupancyMean: 9_999.123,
          dwellHistogram: new Array<number>(DWELL_BIN_EDGES_SECONDS.length + 1).fill(BIG_COUNT),
        },
      ]),
    ),
    flows: zones.flatMap((from) => zones.filter((to) => to !== from).map((to) => ({ from, to, count: BIG_COUNT }))),
    quality: { framesProcessed: BIG_COUNT, framesExpected: BIG_COUNT, gapSeconds: 86_400 },
  };
}

/** Bytes of worstCaseBatch(scene) as JSON on the wire. */
export function worstCaseBatchBytes(scene: Pick<Scene, 'site' | 'camera' | 'lines' | 'zones'>): number {
  return new TextEncoder().encode(JSON.stringify(worstCaseBatch(scene))).length;
}
