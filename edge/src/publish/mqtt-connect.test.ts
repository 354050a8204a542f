/**
 * MQTTJS_SOCKS_PROXY is ignored: with it pointing at a listening "proxy", the agent's connect
 * reaches the real Mosquitto directly and the proxy sees nothing; mqtt.js's own connect, the
 * control, dials the proxy. And no other file of the agent opens mqtt.js around the wrapper.
 */
import { createServer, type Server, type AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect as mqttConnect, type MqttClient } from 'mqtt';
import { connect } from './mqtt-connect.ts';
import { TestBroker } from './test-broker.ts';

let broker: TestBroker;
let proxy: Server;
let proxyConnections = 0;
const clients: MqttClient[] = [];

beforeAll(async () => {
  broker = await TestBroker.start();
  proxy = createServer((socket) => {
    proxyConnections++;
    socket.destroy();
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
});
afterAll(async () => {
  await broker.stop();
  await new Promise((done) => proxy.close(done));
});
afterEach(() => {
  for (const c of clients.splice(0)) c.end(true);
  delete process.env.MQTTJS_SOCKS_PROXY;
  proxyConnections = 0;
});

function outcome(client: MqttClient): Promise<'connected' | string> {
  clients.push(client);
  return new Promise((done) => {
    client.once('connect', () => done('connected'));
    client.once('error', (e) => done(e.message));
    client.once('close', () => done('closed'));
  });
}

const options = { reconnectPeriod: 0, connectTimeout: 5_000 };

describe('connect', () => {
  it('goes to the broker, not to the proxy MQTTJS_SOCKS_PROXY names', async () => {
    process.env.MQTTJS_SOCKS_PROXY = `socks5://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    expect(await outcome(connect(broker.url, options))).toBe('connected');
    expect(proxyConnections).toBe(0);
    expect(process.env.MQTTJS_SOCKS_PROXY).toBeUndefined();
  });

  it('control: mqtt.js itself dials the proxy', async () => {
    process.env.MQTTJS_SOCKS_PROXY = `socks5://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    expect(await outcome(mqttConnect(broker.url, options))).not.toBe('connected');
    expect(proxyConnections).toBe(1);
  });

  it('is the only way the agent loads mqtt.js', () => {
    const src = join(import.meta.dirname, '..');
    const loads = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]mqtt['"]/;
    const offenders = (readdirSync(src, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !['publish/mqtt-connect.ts', 'publish/test-broker.ts'].includes(f))
      .filter((f) => loads.test(readFileSync(join(src, f), 'utf8')))
      .map((f) => relative(src, join(src, f)));
    expect(offenders, "connect through edge/src/publish/mqtt-connect.ts, which ignores MQTTJS_SOCKS_PROXY").toEqual([]);
  });
});
