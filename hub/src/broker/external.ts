/**
 * External-broker mode: the hub subscribes to every camera's counts and status on a broker
 * it does not run (Mosquitto, EMQX). The session is persistent (fixed client id,
 * clean: false, QoS 1), so the broker queues batches while the hub is down. The PUBACK goes
 * back only after the batch is committed: mqtt.js sends a QoS 1 PUBACK when handleMessage's
 * callback is called (lib/handlers/publish.js), and handles incoming packets one at a time.
 * The broker's own ACL decides who may publish where; the hub still checks that the payload
 * matches its topic and that the camera is registered here ('unregistered camera' otherwise).
 */
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { allCamerasTopic } from '@byliv/protocol';
import type { Ingest } from '../ingest/index.ts';

export interface ExternalBrokerOptions {
  url: string;
  ingest: Ingest;
  username?: string;
  password?: string;
  /** Fixed, so the broker keeps this hub's session and queue across restarts. */
  clientId?: string;
  /** PEM of the CA that signed the broker's certificate (mqtts://). */
  ca?: string | Buffer;
  reconnectMs?: number;
  log?: (line: string) => void;
}

const TOPICS = [allCamerasTopic('counts'), allCamerasTopic('status')];

export class ExternalBrokerSubscriber {
  private client: MqttClient | null = null;
  private subscribedOnce!: Promise<void>;

  constructor(private readonly options: ExternalBrokerOptions) {
    if (!/^(mqtts?|wss?):\/\//.test(options.url)) throw new Error(`broker URL must start with mqtt://, mqtts://, ws:// or wss://, got "${options.url}"`);
  }

  /** Connects in the background; `subscribed()` tells when the first subscription is in place. */
  start(): void {
    const { options } = this;
    const clientOptions: IClientOptions = {
      clientId: options.clientId ?? 'byliv-hub',
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: options.reconnectMs ?? 2000,
      connectTimeout: 30_000,
      username: options.username,
      password: options.password,
      ca: options.ca,
    };
    const client = connect(options.url, clientOptions);
    this.client = client;
    client.handleMessage = (packet, callback) => this.onMessage(client, packet, callback);
    this.subscribedOnce = new Promise<void>((resolve) => {
      client.on('connect', (connack) => {
        options.log?.(`connected to broker ${options.url} (session ${connack.sessionPresent ? 'resumed' : 'new'})`);
        // Subscribing again on a resumed session is harmless and repairs a lost subscription.
        client.subscribe(TOPICS, { qos: 1 }, (error) => {
          // mqtt.js reports a refused filter (SUBACK 0x80) as an error carrying the SUBACK
          const granted = (error as { packet?: { granted?: number[] } } | null)?.packet?.granted;
          if (granted?.some((g) => g === 128)) {
            return options.log?.(`broker ${options.url} refused the subscription to ${TOPICS.filter((_, i) => granted[i] === 128).join(', ')}: check the hub user's ACL`);
          }
          if (error) return options.log?.(`subscribing on ${options.url} failed: ${error.message}`);
          resolve();
        });
      });
    });
    client.on('error', (error) => options.log?.(`broker ${options.url}: ${error.message}`));
    client.on('offline', () => options.log?.(`broker ${options.url} unreachable; retrying every ${clientOptions.reconnectPeriod} ms`));
  }

  subscribed(): Promise<void> {
    return this.subscribedOnce;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    // Not forced: a message being stored finishes and is acknowledged first.
    if (client) await client.endAsync(false);
  }

  private onMessage(client: MqttClient, packet: IPublishPacket, callback: (error?: Error) => void): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    const outcome = this.options.ingest.handle({ topic: packet.topic, payload });
    if (outcome.kind !== 'failed') return callback();
    // No PUBACK, and drop the connection: the broker resends the message on the next one.
    this.options.log?.(`ingest failed, not acknowledging ${packet.topic}: ${outcome.error.message}`);
    callback(outcome.error);
    client.stream?.destroy();
  }
}
