/** The embedded broker's packet limit, on a real hub with real clients (mqtt.js, and a raw socket that lies about nothing but sends too much). */
import { connect, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countsTopic } from '@byliv/protocol';
import type { MqttClient } from 'mqtt';
import { createHub, type Hub } from '../app.ts';
import { addCamera } from '../admin.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../ingest/index.ts';
import { connectClient, publish, publishOutcome, until } from '../../test/mqtt.ts';
import { testStoreLocation } from '../../test/stores.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { PACKET_HEADROOM_BYTES } from './index.ts';

const MiB = 1024 * 1024;
let hub: Hub;
let location: Awaited<ReturnType<typeof testStoreLocation>>;
let port: number;
let creds: { username: string; password: string };
let logged: string[];
const clients: MqttClient[] = [];

beforeEach(async () => {
  logged = [];
  location = await testStoreLocation();
  hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', log: (l) => logged.push(l) });
  port = (await hub.start()).mqttPort!;
  creds = await addCamera(hub.store, 'park', 'cam1');
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
  await hub.stop();
  await location.dispose();
});

async function camera(): Promise<MqttClient> {
  const client = await connectClient(`mqtt://127.0.0.1:${port}`, creds);
  clients.push(client);
  return client;
}

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
};
const remainingLength = (n: number) => {
  const bytes: number[] = [];
  do {
    bytes.push((n % 128) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.from(bytes);
};

/** MQTT 3.1.1 CONNECT with username and password, clean session. */
function connectPacket(clientId: string, username: string, password: string): Buffer {
  const body = Buffer.concat([str('MQTT'), Buffer.from([4, 0xc2, 0, 60]), str(clientId), str(username), str(password)]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/**
 * Connects over a raw socket, then sends a QoS 1 PUBLISH whose header announces `payloadBytes`
 * and streams that payload 1 MiB at a time until the broker closes the connection. How much it
 * had sent by then, and how long that took.
 */
function floodPublish(payloadBytes: number): Promise<{ sentBytes: number; ms: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const topic = str(countsTopic('park', 'cam1'));
    const chunk = Buffer.alloc(MiB, 'x');
    let sent = 0;
    let started = 0;
    let closed = false;
    socket.on('error', () => undefined);
    socket.once('data', (connack) => {
      expect([...connack]).toEqual([0x20, 2, 0, 0]); // accepted
      started = performance.now();
      socket.write(Buffer.concat([Buffer.from([0x32]), remainingLength(topic.length + 2 + payloadBytes), topic, Buffer.from([0, 1])]));
      const pump = () => {
        while (!closed && sent < payloadBytes) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
        if (!closed) setTimeout(() => socket.destroy(), 2000); // sent it all and nobody closed: give up
      };
      pump();
    });
    socket.on('close', () => {
      closed = true;
      resolve({ sentBytes: sent, ms: performance.now() - started, closed: sent < payloadBytes });
    });
    socket.write(connectPacket(creds.username, creds.username, creds.password)); // a camera's client id is its username
  });
}

describe('embedded broker packet limit', () => {
  it('closes a connection whose PUBLISH announces 255 MiB when its header arrives, having read almost none of it', async () => {
    const rssBefore = process.memoryUsage().rss;
    const flood = await floodPublish(255 * MiB);
    expect(flood.closed).toBe(true);
    expect(flood.sentBytes).toBeLessThan(16 * MiB); // what fits in loopback socket buffers
    expect(flood.ms).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MiB);
    await until(() => logged.some((l) => /packet of \d+ bytes is over the limit of 327680; connection closed/.test(l)), 'the log line');
    expect(await hub.store.bins.count()).toBe(0);
    // the broker goes on: the same camera connects again and is heard
    const batch = makeBatch({ binStart: '2025-05-01T10:00:00Z', lines: { l1: [1, 0, 0, 0] } });
    await publish(await camera(), countsTopic('park', 'cam1'), JSON.stringify(batch));
    expect(await hub.store.bins.count()).toBe(1);
  }, 30_000);

  it('reads a payload over the ingest limit but under the packet limit and dead-letters it with its size; a larger one closes the connection', async () => {
    const client = await camera();
    expect(await publishOutcome(client, countsTopic('park', 'cam1'), Buffer.alloc(300 * 1024, ' '))).toBe('acked');
    expect((await hub.store.deadLetters.list())[0]).toMatchObject({ reason: `payload too large: ${300 * 1024} bytes, the limit is ${DEFAULT_MAX_PAYLOAD_BYTES}`, size: 300 * 1024 });
    expect(await publishOutcome(client, countsTopic('park', 'cam1'), Buffer.alloc(1 * MiB, ' '))).toBe('closed');
    expect(await hub.store.deadLetters.count()).toBe(1);
  });

  it("matches the shipped Mosquitto config's max_packet_size", () => {
    const conf = readFileSync(new URL('../../../deploy/mosquitto/mosquitto.conf', import.meta.url), 'utf8');
    expect(Number(/^max_packet_size (\d+)$/m.exec(conf)?.[1])).toBe(DEFAULT_MAX_PAYLOAD_BYTES + PACKET_HEADROOM_BYTES);
  });
});
