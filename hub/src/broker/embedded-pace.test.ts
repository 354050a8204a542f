/**
 * Per-camera pacing on the embedded broker, with a real hub and real mqtt.js clients: a camera
 * that publishes a burst is slowed to its rate (every batch stored, PUBACKs spread out), a
 * second camera is not held up behind it, and one that runs past the longest wait is cut off.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsTopic } from '@byliv/protocol';
import type { MqttClient } from 'mqtt';
import { createHub, type Hub } from '../app.ts';
import { addCamera } from '../admin.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { connectClient, publish, publishOutcome } from '../../test/mqtt.ts';
import { testStoreLocation } from '../../test/stores.ts';

let hub: Hub;
let location: Awaited<ReturnType<typeof testStoreLocation>>;
let url: string;
const clients: MqttClient[] = [];
const lines: string[] = [];

beforeEach(async () => {
  location = await testStoreLocation();
  lines.length = 0;
  hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', cameraPace: { perSecond: 20, burst: 5, maxWaitMs: 2_000 }, log: (l) => lines.push(l) });
  const { mqttPort } = await hub.start();
  url = `mqtt://127.0.0.1:${mqttPort}`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await hub.stop();
  await location.dispose();
});

async function camera(name: string): Promise<MqttClient> {
  const account = await addCamera(hub.store, 'park', name);
  const client = await connectClient(url, { ...account, clientId: account.username, reconnectPeriod: 0 });
  clients.push(client);
  return client;
}
const batch = (camera: string, seq: number) => JSON.stringify(makeBatch({ camera, seq, binStart: new Date(Date.UTC(2025, 4, 1, 10, 0) + seq * 60_000).toISOString(), lines: { l1: [1, 0, 0, 0] } }));

describe('embedded broker: per-camera pace', () => {
  it('slows a burst to the camera\'s rate and stores all of it, without holding up another camera', async () => {
    const fast = await camera('cam1');
    const other = await camera('cam2');
    const started = Date.now();
    const burst = Array.from({ length: 35 }, (_, seq) => publish(fast, countsTopic('park', 'cam1'), batch('cam1', seq)));
    await new Promise((r) => setTimeout(r, 100));
    const otherStarted = Date.now();
    await publish(other, countsTopic('park', 'cam2'), batch('cam2', 0));
    const otherMs = Date.now() - otherStarted;
    await Promise.all(burst);
    const burstMs = Date.now() - started;
    // 5 at once, then 30 at 20/s: the last PUBACK no sooner than 1.5 s in.
    expect(burstMs).toBeGreaterThanOrEqual(1_400);
    expect(otherMs).toBeLessThan(500);
    expect(await hub.store.bins.count()).toBe(36);
  });

  it('cuts off a camera that runs past the longest wait, with one log line; what it was acknowledged is stored', async () => {
    const fast = await camera('cam1');
    fast.setMaxListeners(100); // one close listener per publish below
    const outcomes = await Promise.all(Array.from({ length: 80 }, (_, seq) => publishOutcome(fast, countsTopic('park', 'cam1'), batch('cam1', seq))));
    const acked = outcomes.filter((o) => o === 'acked').length;
    expect(outcomes).toContain('closed');
    // 5 at once + 40 within 2 s could be let through; the connection went before the rest.
    expect(acked).toBeLessThanOrEqual(45);
    expect(await hub.store.bins.count()).toBeGreaterThanOrEqual(acked);
    expect(lines.filter((l) => l.includes('publishes faster than 20/s'))).toHaveLength(1);
  });
});
