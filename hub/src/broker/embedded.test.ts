import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countsTopic, statusTopic } from '@byliv/protocol';
import type { MqttClient } from 'mqtt';
import { createHub, type Hub } from '../app.ts';
import { addCamera } from '../admin.ts';
import { makeBatch, tempDir } from '../../test/fixtures.ts';
import { connectClient, publish, publishOutcome } from '../../test/mqtt.ts';
import { testStoreLocation } from '../../test/stores.ts';

let hub: Hub;
let location: Awaited<ReturnType<typeof testStoreLocation>>;
let url: string;
let creds: { username: string; password: string };
const clients: MqttClient[] = [];

beforeEach(async () => {
  location = await testStoreLocation();
  hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1' });
  const { mqttPort } = await hub.start();
  creds = await addCamera(hub.store, 'park', 'cam1');
  await addCamera(hub.store, 'park', 'cam2');
  url = `mqtt://127.0.0.1:${mqttPort}`;
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await hub.stop();
  await location.dispose();
});

async function camera(options = {}): Promise<MqttClient> {
  const client = await connectClient(url, { ...creds, ...options });
  clients.push(client);
  return client;
}

const batch = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [1, 0, 0, 0] } });

describe('embedded broker', () => {
  it('has committed the batch to the store by the time the PUBACK arrives', async () => {
    const client = await camera();
    await publish(client, countsTopic('park', 'cam1'), JSON.stringify(batch));
    // No waiting: authorizePublish stored it before aedes wrote the PUBACK.
    expect((await hub.store.bins.batches({ site: 'park' })).map((b) => b.batchId)).toEqual([batch.batchId]);
  });

  it('refuses a wrong password, an unknown user and no credentials (CONNACK 4), without a dead letter', async () => {
    for (const options of [{ password: 'wrong' }, { username: 'park/nobody' }, { username: undefined, password: undefined }]) {
      await expect(connectClient(url, { ...creds, ...options })).rejects.toMatchObject({ code: 4 });
    }
    expect(await hub.store.deadLetters.count()).toBe(0);
  });

  it("closes the connection of a camera publishing on another camera's topic, without a PUBACK, and keeps a dead letter", async () => {
    const client = await camera();
    const other = makeBatch({ camera: 'cam2', binStart: '2025-05-01T10:00:00Z' });
    expect(await publishOutcome(client, countsTopic('park', 'cam2'), JSON.stringify(other))).toBe('closed');
    expect(await hub.store.bins.count()).toBe(0);
    const [letter] = await hub.store.deadLetters.list();
    expect(letter).toMatchObject({ topic: 'byliv/v1/park/cam2/counts', reason: 'topic not allowed for camera park/cam1', sender: 'park/cam1' });
    // the hub goes on: the camera reconnects and publishes its own batch
    expect(await publishOutcome(await camera(), countsTopic('park', 'cam1'), JSON.stringify(batch))).toBe('acked');
    expect(await hub.store.bins.count()).toBe(1);
  });

  it('acknowledges a malformed payload on the own topic (resending would not fix it), as a dead letter, and never retains it', async () => {
    const client = await camera();
    const status = { v: 1, site: 'park', camera: 'cam1', state: 'online', at: '2025-05-01T10:00:00Z' };
    await publish(client, statusTopic('park', 'cam1'), JSON.stringify(status), { retain: true });
    expect(await publishOutcome(client, statusTopic('park', 'cam1'), '{"broken')).toBe('acked');
    expect((await hub.store.deadLetters.list())[0].reason).toMatch(/not JSON/);
    // the retained status a subscriber gets is still the valid one (the camera itself, connecting
    // again: its client id is its username, so a second connection would take over the first)
    await client.endAsync();
    const watcher = await camera();
    const retained = await new Promise<string>((resolve) => {
      watcher.on('message', (_topic, payload) => resolve(payload.toString()));
      watcher.subscribe(statusTopic('park', 'cam1'), { qos: 1 });
    });
    expect(JSON.parse(retained)).toEqual(status);
  });

  it("grants no subscription to another camera's topics or to wildcards over all cameras", async () => {
    const client = await camera();
    const topics = [countsTopic('park', 'cam2'), 'byliv/v1/+/+/counts', '#', '$SYS/#', 'byliv/v1/park/cam1/#'];
    // mqtt.js rejects a SUBACK with any refusal in it; the packet rides on the error
    const error = (await client.subscribeAsync(topics, { qos: 1 }).catch((e: unknown) => e)) as { packet: { granted: number[] } };
    const granted = error.packet.granted.map((qos, i) => ({ topic: topics[i], qos }));
    expect(granted.map((g) => [g.topic, g.qos])).toEqual([
      ['byliv/v1/park/cam2/counts', 128],
      ['byliv/v1/+/+/counts', 128],
      ['#', 128],
      ['$SYS/#', 128],
      ['byliv/v1/park/cam1/#', 1],
    ]);
  });

  it("stores the camera's last will (offline status) when the connection dies without a goodbye", async () => {
    const will = { v: 1, site: 'park', camera: 'cam1', state: 'offline', at: '2025-05-01T09:00:00Z', message: 'last will' };
    const client = await camera({ will: { topic: statusTopic('park', 'cam1'), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true } });
    (client.stream as { destroy(): void }).destroy();
    const { until } = await import('../../test/mqtt.ts');
    await until(async () => (await hub.store.statuses.latest('park', 'cam1')) !== undefined, 'the last will');
    expect((await hub.store.statuses.latest('park', 'cam1'))?.status).toEqual(will);
  });

  it('speaks TLS when given a certificate: a camera that trusts it publishes, one that does not never connects', async () => {
    const certs = tempDir();
    const [key, cert] = [join(certs.path, 'key.pem'), join(certs.path, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const tlsLocation = await testStoreLocation();
    const secure = createHub({ dataDir: tlsLocation.dataDir, database: tlsLocation.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', mqttTls: { cert: readFileSync(cert), key: readFileSync(key) } });
    try {
      const { mqttPort, mqttTls } = await secure.start();
      const tlsCreds = await addCamera(secure.store, 'park', 'cam1');
      expect(mqttTls).toBe(true);
      const tlsUrl = `mqtts://127.0.0.1:${mqttPort}`;
      await expect(connectClient(tlsUrl, { ...tlsCreds, servername: 'localhost' })).rejects.toThrow(/self[- ]signed/);
      await expect(connectClient(`mqtt://127.0.0.1:${mqttPort}`, { ...tlsCreds, connectTimeout: 2000 })).rejects.toBeDefined();
      const client = await connectClient(tlsUrl, { ...tlsCreds, ca: readFileSync(cert), servername: 'localhost' });
      await publish(client, countsTopic('park', 'cam1'), JSON.stringify(batch));
      await client.endAsync(true);
      expect(await secure.store.bins.count()).toBe(1);
    } finally {
      await secure.stop();
      await tlsLocation.dispose();
      certs.remove();
    }
  });
});
