/** A camera flooding its own topic with garbage, through a real hub (embedded broker, real store, real mqtt.js clients). */
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsTopic } from '@byliv/protocol';
import type { MqttClient } from 'mqtt';
import { createHub, hubDatabasePath, type Hub } from '../app.ts';

// This test is about the dead-letter cap; the pace (broker/camera-pacer.ts) is tested on its own.
const UNPACED = { perSecond: 1e6, burst: 1e6, maxWaitMs: 0 };
import { addCamera } from '../admin.ts';
import { connectClient, publish } from '../../test/mqtt.ts';
import { TEST_STORE, testStoreLocation } from '../../test/stores.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { DEAD_LETTER_FLOOD_LIMITS } from './index.ts';

const t0 = new Date('2025-05-07T12:00:00Z');
let now = t0;
let hub: Hub;
let location: Awaited<ReturnType<typeof testStoreLocation>>;
let url: string;
let logged: string[];
const clients: MqttClient[] = [];

beforeEach(async () => {
  now = t0;
  logged = [];
  location = await testStoreLocation();
  hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', clock: () => now, log: (l) => logged.push(l), cameraPace: UNPACED });
  url = `mqtt://127.0.0.1:${(await hub.start()).mqttPort}`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await hub.stop();
  await location.dispose();
});

async function camera(name: string): Promise<MqttClient> {
  const client = await connectClient(url, await addCamera(hub.store, 'park', name));
  clients.push(client);
  return client;
}

describe('a camera flooding its topic with garbage', () => {
  it('gets its first 20 a minute kept and the rest counted: one report and one log line, every message acknowledged', async () => {
    const keep = DEAD_LETTER_FLOOD_LIMITS.keepPerWindow;
    const flooder = await camera('cam1');
    const honest = await camera('cam2');
    const garbage = Buffer.alloc(4096, '{');
    // 2,000 QoS 1 publishes in flight at once; each resolves on its PUBACK
    await Promise.all(Array.from({ length: 2000 }, () => publish(flooder, countsTopic('park', 'cam1'), garbage)));
    expect(await hub.store.deadLetters.count()).toBe(keep);
    expect(logged.filter((l) => l.startsWith('dead letter on'))).toHaveLength(keep);

    // A minute on, the next message (another camera's good batch) brings the report with it.
    now = new Date(t0.getTime() + DEAD_LETTER_FLOOD_LIMITS.windowMs);
    const batch = makeBatch({ camera: 'cam2', binStart: '2025-05-07T11:59:00Z', lines: { l1: [2, 0, 0, 0] } });
    await publish(honest, countsTopic('park', 'cam2'), JSON.stringify(batch));
    expect(await hub.store.bins.count()).toBe(1);
    const [report, ...kept] = await hub.store.deadLetters.list();
    expect(kept).toHaveLength(keep);
    expect(report).toMatchObject({ topic: 'byliv/v1/park/cam1/counts', sender: 'park/cam1', size: 0 });
    expect(report.reason).toMatch(
      new RegExp(`^flood from park/cam1: 2000 dead letters from ${t0.toISOString()} to .*; the first ${keep} were kept, ${2000 - keep} more were counted and not kept\\. The last: payload is not JSON`),
    );
    const lines = logged.filter((l) => l.startsWith('dead letters:'));
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^dead letters: park/cam1 sent 2000 bad messages in 60 s; kept ${keep}, counted ${2000 - keep} more \\(last: payload is not JSON`))]);
    expect(logged.filter((l) => l.startsWith('dead letter on'))).toHaveLength(keep);
    if (TEST_STORE === 'sqlite') expect(statSync(hubDatabasePath(location.dataDir)).size).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);

  it('reports a flood still open when the hub stops', async () => {
    const flooder = await camera('cam1');
    await Promise.all(Array.from({ length: 50 }, () => publish(flooder, countsTopic('park', 'cam1'), 'not json')));
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await hub.stop();
    hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', clock: () => now });
    await hub.start();
    const letters = await hub.store.deadLetters.list();
    expect(letters).toHaveLength(DEAD_LETTER_FLOOD_LIMITS.keepPerWindow + 1);
    expect(letters[0].reason).toMatch(/^flood from park\/cam1: 50 dead letters .* 30 more were counted and not kept/);
  });
});
