/**
 * Issue 15 rows 3 and 13 on the embedded broker, with a real hub and real mqtt.js clients: a
 * camera cannot connect under another client id (so not under another camera's or the hub's
 * session), and a camera whose password is rotated or whose account is removed is disconnected
 * and cannot come back with the old password; its counts stay.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsTopic } from '@byliv/protocol';
import type { MqttClient } from 'mqtt';
import { createHub, type Hub } from '../app.ts';
import { CameraExistsError, addCamera, removeCamera } from '../admin.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { connectClient, publish, until } from '../../test/mqtt.ts';
import { testStoreLocation } from '../../test/stores.ts';

let hub: Hub;
let location: Awaited<ReturnType<typeof testStoreLocation>>;
let url: string;
let cam1: { username: string; password: string };
let cam2: { username: string; password: string };
const clients: MqttClient[] = [];
const lines: string[] = [];

beforeEach(async () => {
  location = await testStoreLocation();
  lines.length = 0;
  hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', credentialCheckMs: 100, log: (l) => lines.push(l) });
  const { mqttPort } = await hub.start();
  cam1 = await addCamera(hub.store, 'park', 'cam1');
  cam2 = await addCamera(hub.store, 'park', 'cam2');
  url = `mqtt://127.0.0.1:${mqttPort}`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await hub.stop();
  await location.dispose();
});

async function camera(options: Record<string, unknown>): Promise<MqttClient> {
  const client = await connectClient(url, options);
  clients.push(client);
  return client;
}

const batch = (seq: number, camera = 'cam1') => makeBatch({ camera, seq, binStart: new Date(Date.UTC(2025, 4, 1, 10, seq)).toISOString(), lines: { l1: [1, 0, 0, 0] } });
const closed = (client: MqttClient) => new Promise<void>((resolve) => (client.disconnected ? resolve() : client.once('close', () => resolve())));

describe('embedded broker: client ids', () => {
  it('refuses a client id that is not the username (CONNACK 2): not the hub\'s, not another camera\'s, not a random one', async () => {
    const live = await camera({ ...cam1, clientId: cam1.username, clean: false });
    for (const clientId of ['byliv-hub', cam1.username, 'byliv-edge-park-cam2', '']) {
      await expect(connectClient(url, { ...cam2, clientId, clean: clientId === '' })).rejects.toMatchObject({ code: 2 });
    }
    expect(lines.filter((l) => l.includes('must be its username'))).toHaveLength(4);
    // cam1's session was never taken: it still publishes, and everything is stored.
    expect(live.connected).toBe(true);
    await publish(live, countsTopic('park', 'cam1'), JSON.stringify(batch(0)));
    expect(await hub.store.bins.count()).toBe(1);
  });
});

describe('embedded broker: accounts that can be cut off', () => {
  it('camera add refuses a registered camera without rotatePassword; the old password keeps working', async () => {
    await expect(addCamera(hub.store, 'park', 'cam1')).rejects.toBeInstanceOf(CameraExistsError);
    const client = await camera({ ...cam1 });
    await publish(client, countsTopic('park', 'cam1'), JSON.stringify(batch(0)));
    expect(await hub.store.bins.count()).toBe(1);
  });

  it('rotating the password closes the live session; the old password cannot reconnect, the new one can', async () => {
    const client = await camera({ ...cam1 });
    await publish(client, countsTopic('park', 'cam1'), JSON.stringify(batch(0)));
    const other = await camera({ ...cam2 });

    const rotated = await addCamera(hub.store, 'park', 'cam1', new Date(), { rotatePassword: true });
    expect(rotated.outcome).toBe('rotated');
    await closed(client);
    expect(lines).toContain('mqtt: closed the session of park/cam1: its password was changed');
    await expect(connectClient(url, cam1)).rejects.toMatchObject({ code: 4 });

    const again = await camera({ username: rotated.username, password: rotated.password });
    await publish(again, countsTopic('park', 'cam1'), JSON.stringify(batch(1)));
    expect((await hub.store.bins.batches({ site: 'park' })).map((b) => b.seq)).toEqual([0, 1]);
    // Another camera's session is not touched.
    expect(other.connected).toBe(true);
  });

  it('removing a camera closes its session and refuses it; its counts stay; adding it again restores it', async () => {
    const client = await camera({ ...cam1 });
    await publish(client, countsTopic('park', 'cam1'), JSON.stringify(batch(0)));
    expect(await removeCamera(hub.store, 'park', 'cam1')).toBe(true);
    await closed(client);
    await until(() => lines.includes('mqtt: closed the session of park/cam1: the camera was removed'), 'the log line');
    await expect(connectClient(url, cam1)).rejects.toMatchObject({ code: 4 });
    expect(await removeCamera(hub.store, 'park', 'cam1')).toBe(false);

    expect((await hub.store.bins.batches({ site: 'park', camera: 'cam1' })).map((b) => b.seq)).toEqual([0]);
    expect((await hub.store.cameras.get('park', 'cam1'))?.removedAt).not.toBeNull();
    expect((await hub.store.cameras.list('park')).map((c) => c.camera)).toEqual(['cam2']);

    const back = await addCamera(hub.store, 'park', 'cam1');
    expect(back.outcome).toBe('restored');
    const restored = await camera({ username: back.username, password: back.password });
    await publish(restored, countsTopic('park', 'cam1'), JSON.stringify(batch(1)));
    expect((await hub.store.bins.batches({ site: 'park', camera: 'cam1' })).map((b) => b.seq)).toEqual([0, 1]);
  });
});
