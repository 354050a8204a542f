/**
 * Issue 15 row 8: researchers' heavy /series queries must not hold up ingest. A real hub
 * (embedded broker, HTTP, SQLite file with half a year of bins) takes 40 concurrent year-scale
 * queries; meanwhile a camera's batch is acknowledged within a second and /healthz answers
 * within a second, and every query is answered: 200, or 429/503 with Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { countsTopic } from '@byliv/protocol';
import { createHub, type Hub } from '../../src/app.ts';
import { HubStore } from '../../src/store/index.ts';
import { tempDir } from '../fixtures.ts';
import { connectClient, publish } from '../mqtt.ts';
import { LOAD_SITE, loadBatch, seedLoad } from '../load-data.ts';

const DAYS = 180;
const QUERIES = 40;
let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let camera: MqttClient;
let http: string;
let token: string;

beforeAll(async () => {
  dir = tempDir();
  const store = HubStore.open(join(dir.path, 'hub.sqlite'), { synchronous: 'NORMAL' });
  const seeded = await seedLoad(store, { cameras: 1, days: DAYS });
  await store.close();
  token = seeded.researcherToken;
  hub = createHub({ dataDir: dir.path, mqttPort: 0, mqttHost: '127.0.0.1', httpPort: 0, httpHost: '127.0.0.1', log: () => undefined });
  const addresses = await hub.start();
  http = `http://127.0.0.1:${addresses.httpPort}`;
  camera = await connectClient(`mqtt://127.0.0.1:${addresses.mqttPort}`, { ...seeded.cameras[0], clientId: seeded.cameras[0].username });
});

afterAll(async () => {
  await camera?.endAsync();
  await hub?.stop();
  dir?.remove();
});

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

describe('heavy researcher queries and ingest (issue 15 row 8)', () => {
  it(`while ${QUERIES} half-year /series queries run, a batch is acknowledged and /healthz answers within 1 s`, async () => {
    const url = `${http}/api/v1/series?subject=site:${LOAD_SITE}&from=2025-01-01&to=2025-07-01&rollup=day`;
    const queries = Array.from({ length: QUERIES }, () => fetch(url, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() })));
    let done = false;
    void Promise.allSettled(queries).then(() => (done = true));
    const pubacks: number[] = [];
    const healthz: number[] = [];
    for (let i = 0; i < 5 && !done; i++) {
      await new Promise((r) => setTimeout(r, 300));
      pubacks.push(await timed(() => publish(camera, countsTopic(LOAD_SITE, 'cam0'), JSON.stringify(loadBatch('cam0', DAYS * 96 + i)))));
      healthz.push(await timed(async () => expect((await fetch(`${http}/healthz`)).status).toBe(200)));
    }
    const answers = await Promise.all(queries);
    const statuses = answers.map((a) => a.status).join(' ');
    console.log(`PUBACK ms ${pubacks.map(Math.round).join(' ')}; /healthz ms ${healthz.map(Math.round).join(' ')}; /series answers ${statuses}`);
    expect(pubacks.length).toBeGreaterThan(0);
    expect(Math.max(...pubacks), `PUBACK ms: ${pubacks.map(Math.round)}`).toBeLessThan(1000);
    expect(Math.max(...healthz), `/healthz ms: ${healthz.map(Math.round)}`).toBeLessThan(1000);
    for (const a of answers) {
      expect([200, 429, 503], a.body).toContain(a.status);
      if (a.status !== 200) expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    expect(answers.some((a) => a.status === 200)).toBe(true);
  }, 180_000);
});
