/** Test support: connecting real mqtt.js clients to a hub and publishing with QoS 1. */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';

/** Connects, or rejects with the broker's refusal (e.g. code 4, bad username or password). */
export function connectClient(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    // A camera's client id is its username (the embedded broker refuses any other).
    const client = connect(url, { reconnectPeriod: 0, connectTimeout: 10_000, clientId: options.username ?? `test-${Math.random().toString(36).slice(2)}`, ...options });
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    // A connection cut before CONNACK (e.g. plain MQTT to a TLS port) may end without an error.
    client.once('close', () => {
      client.end(true);
      reject(new Error(`connection to ${url} closed before CONNACK`));
    });
  });
}

/** QoS 1 publish: resolves on PUBACK, rejects when the connection ends first. */
export function publish(client: MqttClient, topic: string, payload: string | Buffer, options: { retain?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, payload, { qos: 1, retain: options.retain ?? false }, (error) => (error ? reject(error) : resolve())));
}

/** Publishes and reports whether the broker acknowledged or closed the connection instead. */
export async function publishOutcome(client: MqttClient, topic: string, payload: string | Buffer): Promise<'acked' | 'closed'> {
  const closed = new Promise<'closed'>((resolve) => client.once('close', () => resolve('closed')));
  return Promise.race([publish(client, topic, payload).then(() => 'acked' as const, () => 'closed' as const), closed]);
}

/** Resolves once `check` holds, polling (for effects that arrive through another process). */
export async function until(check: () => boolean | Promise<boolean>, what: string, intervalMs = 20, limitMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
