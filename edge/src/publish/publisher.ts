/**
 * Sends the outbox to the MQTT broker: QoS 1, oldest first, a batch deleted from the outbox
 * only when its PUBACK arrives. The outbox is the only queue: each connection is a fresh
 * mqtt.js client (its own reconnect and in-memory store are off), and after any loss the
 * sending restarts from the oldest unacknowledged batch, so order holds and a duplicate is
 * the worst case (the hub dedups by batchId).
 */
import { connect, type IClientOptions, type MqttClient } from './mqtt-connect.ts';
import { CameraStatus, CountBatch, countsTopic, statusTopic } from '@byliv/protocol';
import type { Outbox } from '../outbox/index.ts';
import { nextBackoffMs } from '../source/backoff.ts';
import { outboundPayload, OutboundRefusedError, type OutboundSchema } from './outbound.ts';
import { cameraStatus, lastWill, type StatusReport } from './status.ts';

export interface PublisherTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Leave true outside tests: a broker with a wrong certificate must not receive counts. */
  rejectUnauthorized?: boolean;
}

export interface PublisherOptions {
  url: string;
  username?: string;
  password?: string;
  /** Unique per camera: a second client with the same id makes the broker drop the first. */
  clientId: string;
  site: string;
  camera: string;
  outbox: Outbox;
  tls?: PublisherTls;
  /**
   * Batches published but not yet acknowledged at once (default 16; 1 = strictly one by one).
   * Order holds for any window: one connection, one topic, QoS 1, and a restart from the oldest
   * after any failure. The window matters on a slow uplink: with 50 ms round trips a backlog
   * drains at ~19 batches/s with 1, ~110 with 8, ~240 with 16 (measure-window.ts).
   */
  window?: number;
  /** Reconnect delays: doubling from `initialMs` (default 1000) up to `maxMs` (default 30000). */
  reconnect?: { initialMs?: number; maxMs?: number };
  keepaliveSeconds?: number;
  /** 4 = MQTT 3.1.1 (default; the hub's embedded broker speaks it), 5 = MQTT 5. */
  protocolVersion?: 4 | 5;
  onEvent?: (event: PublisherEvent) => void;
}

export type PublisherEvent =
  | { kind: 'connected'; url: string }
  /** A connection ended or an attempt failed; the next attempt is in `retryInMs`. */
  | { kind: 'offline'; reason: string; failures: number; retryInMs: number }
  | { kind: 'refused'; code: number; message: string }
  | { kind: 'sending'; id: number; batchId: string }
  | { kind: 'sent'; id: number; batchId: string; seq: number }
  | { kind: 'error'; message: string };

/** CONNACK codes that mean "who are you": 3.1.1 bad credentials / not authorised, and MQTT 5's. */
const CREDENTIAL_REFUSALS = new Set([4, 5, 134, 135]);
const GOODBYE_WAIT_MS = 2000;

export class Publisher {
  private readonly window: number;
  private readonly countsTopic: string;
  private readonly statusTopic: string;
  private client: MqttClient | null = null;
  private connected = false;
  private running = false;
  private failures = 0;
  private lastError: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Outbox ids published on the current connection and not yet acknowledged. */
  private readonly inFlight = new Set<number>();
  private sentTotal = 0;
  private report: StatusReport = {};
  private readonly drainWaiters = new Set<() => void>();

  constructor(private readonly opts: PublisherOptions) {
    if (!/^(mqtts?|wss?):\/\//.test(opts.url)) throw new Error(`broker URL must start with mqtt://, mqtts://, ws:// or wss://, got "${opts.url}"`);
    if (opts.tls && !/^(mqtts|wss):\/\//.test(opts.url)) throw new Error(`TLS options were given but the broker URL ${opts.url} is not mqtts:// or wss://`);
    this.window = opts.window ?? 16;
    if (!(Number.isInteger(this.window) && this.window > 0)) throw new Error(`publisher window must be a positive whole number, got ${opts.window}`);
    this.countsTopic = countsTopic(opts.site, opts.camera);
    this.statusTopic = statusTopic(opts.site, opts.camera);
  }

  /** Connects, announces the camera online, and sends the outbox as it fills. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.opts.outbox.onEnqueued(() => this.pump());
    this.connect();
  }

  /**
   * The one place a payload leaves the edge: it must be a valid CountBatch for this camera's
   * counts topic or a CameraStatus for its status topic, or it is refused (OutboundRefusedError).
   * Resolves when the broker acknowledges (QoS 1).
   */
  async sendValidated(topic: string, schema: OutboundSchema, payload: unknown, options: { retain?: boolean } = {}): Promise<void> {
    const body = outboundPayload(this.opts, topic, schema, payload);
    const client = this.client;
    if (!client || !this.connected) throw new Error(`not connected to the broker ${this.opts.url}`);
    await new Promise<void>((resolve, reject) => {
      client.publish(topic, body, { qos: 1, retain: options.retain ?? false }, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Publishes the retained `online` status with the agent's latest figures (the outbox's depth
   * and drops are added here). Not connected: kept, and sent on the next connection. Rejects
   * only when the report itself is invalid.
   */
  async publishStatus(report: StatusReport): Promise<void> {
    const status = this.status('online', report);
    outboundPayload(this.opts, this.statusTopic, CameraStatus, status); // refuse a bad report now, connected or not
    this.report = report;
    if (!this.connected) return;
    try {
      await this.sendValidated(this.statusTopic, CameraStatus, status, { retain: true });
    } catch (error) {
      if (error instanceof OutboundRefusedError) throw error;
      this.emit({ kind: 'error', message: `status of camera ${this.who()} not sent: ${(error as Error).message}` });
    }
  }

  /** Waits until the outbox is empty or `timeoutMs` passed. `sent`: batches acknowledged since start. */
  async drain(timeoutMs: number): Promise<{ sent: number; queued: number }> {
    if (this.opts.outbox.depth() > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.drainWaiters.delete(check);
          resolve();
        };
        const check = () => {
          if (this.opts.outbox.depth() === 0 || !this.running) done();
        };
        const timer = setTimeout(done, timeoutMs);
        this.drainWaiters.add(check);
      });
    }
    return { sent: this.sentTotal, queued: this.opts.outbox.depth() };
  }

  /** Says goodbye (retained `offline`, so no last-will is needed) and disconnects. Batches stay queued. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.retryTimer);
    this.unsubscribe?.();
    for (const check of [...this.drainWaiters]) check();
    const client = this.client;
    if (!client) return;
    if (this.connected) {
      const goodbye = this.sendValidated(this.statusTopic, CameraStatus, this.status('offline', this.report, 'agent stopped'), { retain: true });
      await Promise.race([goodbye.catch(() => undefined), delay(GOODBYE_WAIT_MS)]);
    }
    this.client = null;
    this.connected = false;
    this.inFlight.clear();
    await Promise.race([new Promise<void>((resolve) => client.end(false, {}, () => resolve())), delay(GOODBYE_WAIT_MS)]);
    client.end(true);
  }

  private who(): string {
    return `${this.opts.site}/${this.opts.camera}`;
  }

  private emit(event: PublisherEvent): void {
    this.opts.onEvent?.(event);
  }

  private status(state: CameraStatus['state'], report: StatusReport, message?: string): CameraStatus {
    const { outbox } = this.opts;
    return cameraStatus({ site: this.opts.site, camera: this.opts.camera, state, at: new Date(), report, outbox: { depth: outbox.depth(), dropped: outbox.dropped() }, message });
  }

  private connect(): void {
    const will = outboundPayload(this.opts, this.statusTopic, CameraStatus, lastWill(this.opts.site, this.opts.camera, new Date()));
    const options: IClientOptions = {
      clientId: this.opts.clientId,
      username: this.opts.username,
      password: this.opts.password,
      protocolVersion: this.opts.protocolVersion ?? 4,
      clean: true,
      keepalive: this.opts.keepaliveSeconds ?? 30,
      connectTimeout: 30_000,
      // Reconnecting is ours (with backoff, on a fresh client); mqtt.js must not queue anything.
      reconnectPeriod: 0,
      queueQoSZero: false,
      will: { topic: this.statusTopic, payload: Buffer.from(will), qos: 1, retain: true },
      ...this.opts.tls,
    };
    const client = connect(this.opts.url, options);
    this.client = client;
    client.on('connect', () => this.onConnect(client));
    client.on('error', (error) => this.onError(client, error));
    client.on('close', () => this.onClose(client));
  }

  private onConnect(client: MqttClient): void {
    if (client !== this.client) return;
    this.connected = true;
    this.failures = 0;
    this.lastError = undefined;
    this.emit({ kind: 'connected', url: this.opts.url });
    this.sendValidated(this.statusTopic, CameraStatus, this.status('online', this.report), { retain: true }).catch((error: Error) => {
      this.emit({ kind: 'error', message: `online status of camera ${this.who()} not sent: ${error.message}` });
    });
    this.pump();
  }

  private onError(client: MqttClient, error: Error & { code?: unknown }): void {
    if (client !== this.client) return;
    if (typeof error.code === 'number' && CREDENTIAL_REFUSALS.has(error.code)) {
      this.lastError = `broker refused the credentials for camera ${this.who()} (code ${error.code}: ${error.message})`;
      this.emit({ kind: 'refused', code: error.code, message: `${this.lastError}; batches stay queued` });
    } else {
      this.lastError = error.message;
    }
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    this.client = null;
    this.connected = false;
    // Whatever was in flight is resent from the outbox on the next connection, in order.
    this.inFlight.clear();
    client.end(true); // fails mqtt.js' pending callbacks, so nothing waits on a dead client
    if (!this.running) return;
    this.failures++;
    const retryInMs = nextBackoffMs(
      { initialMs: this.opts.reconnect?.initialMs ?? 1000, maxMs: this.opts.reconnect?.maxMs ?? 30_000, factor: 2, maxAttempts: Infinity },
      this.failures,
    )!;
    this.emit({ kind: 'offline', reason: this.lastError ?? 'connection closed', failures: this.failures, retryInMs });
    this.retryTimer = setTimeout(() => this.running && this.connect(), retryInMs);
  }

  /** Fills the window with the oldest batches not yet in flight. */
  private pump(): void {
    const client = this.client;
    if (!client || !this.connected) return;
    let queued;
    try {
      queued = this.opts.outbox.peek(this.window);
    } catch (error) {
      this.emit({ kind: 'error', message: (error as Error).message });
      return;
    }
    for (const { id, batch } of queued) {
      if (this.inFlight.size >= this.window) break;
      if (this.inFlight.has(id)) continue;
      this.inFlight.add(id);
      this.emit({ kind: 'sending', id, batchId: batch.batchId });
      this.sendValidated(this.countsTopic, CountBatch, batch).then(
        () => this.onAck(client, id, batch),
        (error: Error) => this.onSendFailed(client, id, batch, error),
      );
    }
  }

  private onAck(client: MqttClient, id: number, batch: CountBatch): void {
    // A PUBACK means the broker has it, even if that connection has since gone.
    if (this.opts.outbox.ack([id]) > 0) {
      this.sentTotal++;
      this.emit({ kind: 'sent', id, batchId: batch.batchId, seq: batch.seq });
    }
    for (const check of [...this.drainWaiters]) check();
    if (client !== this.client) return;
    this.inFlight.delete(id);
    this.pump();
  }

  private onSendFailed(client: MqttClient, id: number, batch: CountBatch, error: Error): void {
    if (client !== this.client) return; // the connection's end already put it back in line
    this.emit({ kind: 'error', message: `batch ${batch.batchId} (outbox row ${id}) not sent: ${error.message}` });
    // Keep the order: drop this connection and start again from the oldest batch after backoff.
    client.end(true);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
