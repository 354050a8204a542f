/**
 * External-broker mode: the hub subscribes to every camera's counts and status on a broker
 * it does not run (Mosquitto, EMQX). Several hubs may share one broker and one PostgreSQL
 * database.
 *
 * - Each hub has its own MQTT client id, stable across its restarts: `byliv-hub-<host>-<8 hex>`,
 *   made once and kept in the data dir's `hub-id` file (or given as `clientId`). Two hubs with
 *   one id knock each other off the broker, each connect closing the other's session.
 * - The session is persistent (clean: false, MQTT 3.1.1, QoS 1), so the broker keeps this
 *   hub's subscription and queues its batches while it is down.
 * - By default it subscribes plainly to `byliv/v1/+/+/counts` (and …/status): every hub gets
 *   every batch, and the shared database stores each once. With `shareGroup` (hubs started
 *   with one group name, `byliv`) it subscribes through the shared subscription
 *   `$share/<group>/byliv/v1/+/+/counts` instead, and the broker hands each message to one hub
 *   of the group.
 * - The PUBACK goes back only after the batch is committed: mqtt.js sends a QoS 1 PUBACK
 *   when handleMessage's callback is called (lib/handlers/publish.js), and handles incoming
 *   packets one at a time. Exactly-once is the database's: batchId is unique, so a batch that
 *   arrives twice (redelivered, at two hubs, or sent again by the edge) is stored once.
 *
 * What Mosquitto 2.0.11 (Debian 12) does with a shared subscription, measured (deploy/mosquitto/
 * README.md): the messages in flight to a member that dies (unacknowledged, up to
 * max_inflight_messages) and those queued for it stay in ITS session, and it keeps getting its
 * round-robin share of new messages while it is offline; none goes to the other members. They
 * are delivered when that hub comes back with the same client id, so a dead hub must be
 * restarted (systemd Restart=always) and keep its id. A clean session, or an MQTT 5 session
 * that expires, would drop them instead: lost, since the broker had already acknowledged them
 * to the edge. Hence 3.1.1 with clean: false. And Mosquitto 2.0.11 does not restore a
 * session's $share subscriptions from its persistence file after a restart (plain ones it
 * does): a batch published after a broker restart and before a hub has subscribed again is
 * dropped. That is why sharing is not the default.
 *
 * The broker's own ACL decides who may publish where; the hub still checks that the payload
 * matches its topic and that the camera is registered here ('unregistered camera' otherwise).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { allCamerasTopic } from '@byliv/protocol';
import type { Ingest } from '../ingest/index.ts';
import { RepeatedLog } from './repeated-log.ts';

export interface ExternalBrokerOptions {
  url: string;
  ingest: Ingest;
  username?: string;
  password?: string;
  /**
   * This hub's MQTT client id, the same on every start so the broker resumes its session and
   * queue. Default: the one in `dataDir`'s hub-id file (hubClientId).
   */
  clientId?: string;
  /** Where the hub-id file is kept (the hub's data dir); used when `clientId` is not given. */
  dataDir?: string;
  /**
   * Shared-subscription group (`$share/<group>/…`), the same on every hub: each message goes
   * to one hub of the group. Default null: a plain subscription, every hub gets every message.
   */
  shareGroup?: string | null;
  /** PEM of the CA that signed the broker's certificate (mqtts://). */
  ca?: string | Buffer;
  reconnectMs?: number;
  log?: (line: string) => void;
}

/** The group name the deploy docs use (`--share-group byliv`). */
export const DEFAULT_SHARE_GROUP = 'byliv';
/** The client id of a hub given neither a client id nor a data dir (one hub per broker). */
export const LEGACY_CLIENT_ID = 'byliv-hub';
/** The file in the data dir that holds the hub's client id. */
export const HUB_ID_FILE = 'hub-id';

const TOPICS = [allCamerasTopic('counts'), allCamerasTopic('status')];

/** The topic filters a hub subscribes to: shared in `group`, or plain with null. */
export function subscriptionFilters(group: string | null): string[] {
  return group === null ? [...TOPICS] : TOPICS.map((t) => `$share/${group}/${t}`);
}

/**
 * The hub's client id, kept in `<dataDir>/hub-id`: read when the file is there, otherwise
 * made (`byliv-hub-<host>-<8 random hex>`) and written once. Stable across restarts (and
 * renames of the host) of the hub that owns the data dir; different for another data dir,
 * on this machine or another. Edit the file to choose the id (one line).
 */
export function hubClientId(dataDir: string): string {
  const path = join(dataDir, HUB_ID_FILE);
  const existing = readHubId(path);
  if (existing !== undefined) return existing;
  const host = hostname().replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'host';
  const made = `byliv-hub-${host}-${randomBytes(4).toString('hex')}`;
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': of two processes creating it at once, one wins and the other reads its id.
    writeFileSync(path, `${made}\n`, { flag: 'wx', mode: 0o644 });
    return made;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = readHubId(path);
    if (winner === undefined) throw new Error(`${path} is empty: write this hub's MQTT client id in it, or delete it`, { cause: error });
    return winner;
  }
}

function readHubId(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const id = text.trim();
  if (id === '') return undefined;
  checkClientId(id, path);
  return id;
}

function checkClientId(id: string, where: string): void {
  // MQTT allows any UTF-8; one printable line keeps it loggable and editable.
  if (!/^[\x21-\x7e]{1,256}$/.test(id)) throw new Error(`${where}: the MQTT client id must be 1–256 printable ASCII characters without spaces, got ${JSON.stringify(id)}`);
}

export class ExternalBrokerSubscriber {
  private client: MqttClient | null = null;
  private subscribedOnce!: Promise<void>;
  private readonly shareGroup: string | null;
  private clientIdResolved: string | undefined;
  private clientOptions: IClientOptions | null = null;
  private leaving = false;
  /** Messages being stored, and when the last one came (leave() waits for quiet). */
  private inProgress = 0;
  private lastMessageAt = 0;
  /** Messages stored and acknowledged so far. */
  private handled = 0;
  // A full disk fails every message alike, and the broker resends each: one line a minute, counted.
  private readonly ingestFailures = new RepeatedLog({ log: (line) => this.options.log?.(line) });

  constructor(private readonly options: ExternalBrokerOptions) {
    if (!/^(mqtts?|wss?):\/\//.test(options.url)) throw new Error(`broker URL must start with mqtt://, mqtts://, ws:// or wss://, got "${options.url}"`);
    this.shareGroup = options.shareGroup ?? null;
    // A share name is one topic level: no "/", "+" or "#" (MQTT 5 §4.8.2, Mosquitto the same for 3.1.1).
    if (this.shareGroup !== null && !/^[^/+#\s]{1,64}$/.test(this.shareGroup)) {
      throw new Error(`share group must be 1–64 characters without "/", "+", "#" or spaces, got "${this.shareGroup}"`);
    }
    if (options.clientId !== undefined) checkClientId(options.clientId, 'clientId');
  }

  /** The MQTT client id this hub connects with (made and stored on first use, see hubClientId). */
  get clientId(): string {
    this.clientIdResolved ??= this.options.clientId ?? (this.options.dataDir !== undefined ? hubClientId(this.options.dataDir) : LEGACY_CLIENT_ID);
    return this.clientIdResolved;
  }

  /** What it subscribes to. */
  get filters(): string[] {
    return subscriptionFilters(this.shareGroup);
  }

  /** Connects in the background; `subscribed()` tells when the first subscription is in place. */
  start(): void {
    const { options } = this;
    const filters = this.filters;
    const clientId = this.clientId;
    const clientOptions: IClientOptions = {
      clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: options.reconnectMs ?? 2000,
      connectTimeout: 30_000,
      username: options.username,
      password: options.password,
      ca: options.ca,
    };
    this.clientOptions = clientOptions;
    const client = connect(options.url, clientOptions);
    this.client = client;
    client.handleMessage = (packet, callback) => this.onMessage(client, packet, callback);
    const sharing = this.shareGroup === null ? 'not shared' : `share group ${this.shareGroup}`;
    this.subscribedOnce = new Promise<void>((resolve) => {
      client.on('connect', (connack) => {
        options.log?.(`connected to broker ${options.url} as ${clientId} (session ${connack.sessionPresent ? 'resumed' : 'new'}, ${sharing})`);
        if (this.leaving) return;
        // Subscribing again on a resumed session is harmless and repairs a lost subscription.
        client.subscribe(filters, { qos: 1 }, (error) => {
          // mqtt.js reports a refused filter (SUBACK 0x80) as an error carrying the SUBACK
          const granted = (error as { packet?: { granted?: number[] } } | null)?.packet?.granted;
          if (granted?.some((g) => g === 128)) {
            return options.log?.(`broker ${options.url} refused the subscription to ${filters.filter((_, i) => granted[i] === 128).join(', ')}: check the hub user's ACL`);
          }
          if (error) return options.log?.(`subscribing on ${options.url} failed: ${error.message}`);
          // A session resumed from a run in the other mode still holds that subscription (the
          // plain one, or the byliv group's), which would bring this hub every message besides
          // its share, or its share twice. Unsubscribing it keeps what is already queued.
          const stale = this.shareGroup === null ? subscriptionFilters(DEFAULT_SHARE_GROUP) : TOPICS;
          client.unsubscribe(stale, (unsubscribeError) => {
            if (unsubscribeError) options.log?.(`unsubscribing ${stale.join(', ')} on ${options.url} failed: ${unsubscribeError.message}`);
          });
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
    // Not forced: a message being stored finishes and is acknowledged first. The session
    // stays at the broker (clean: false): it queues this hub's share until it is back.
    if (client) await client.endAsync(false);
    this.ingestFailures.flush();
  }

  /**
   * Leaves the share group for good, for a hub being retired (a hub that is merely switched
   * off keeps getting its share queued at the broker until it is back): unsubscribes, so the
   * broker gives this hub's session nothing new; stores what was already queued for it until
   * nothing has come for `quietMs`; ends the connection; then connects once more with a clean
   * session under the same id, which makes the broker drop the session. Resolves with how many
   * messages it stored meanwhile.
   */
  async leave(quietMs = 5000): Promise<number> {
    const client = this.client;
    if (!client || !this.clientOptions) throw new Error('leave() needs a started subscriber');
    await this.subscribed();
    this.leaving = true;
    const before = this.handled;
    await client.unsubscribeAsync(this.filters);
    this.lastMessageAt = Date.now();
    while (this.inProgress > 0 || Date.now() - this.lastMessageAt < quietMs) await new Promise((r) => setTimeout(r, Math.min(100, quietMs)));
    const stored = this.handled - before;
    this.client = null;
    await client.endAsync(false);
    const { options } = this;
    const cleaner = connect(options.url, { ...this.clientOptions, clean: true, reconnectPeriod: 0 });
    await new Promise<void>((resolve, reject) => {
      cleaner.once('connect', () => resolve());
      cleaner.once('error', reject);
    }).finally(() => cleaner.endAsync(false));
    options.log?.(`left ${this.shareGroup === null ? 'the subscription' : `share group ${this.shareGroup}`} on ${options.url} after storing ${stored} more message(s); session ${this.clientId} ended`);
    return stored;
  }

  private onMessage(client: MqttClient, packet: IPublishPacket, callback: (error?: Error) => void): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : Buffer.from(packet.payload);
    this.inProgress++;
    this.lastMessageAt = Date.now();
    const settled = () => {
      this.inProgress--;
      this.lastMessageAt = Date.now();
    };
    const fail = (error: Error) => {
      settled();
      // No PUBACK, and drop the connection: the broker resends the message on the next one.
      this.ingestFailures.note(`ingest failed: ${error.message}`, `ingest failed, not acknowledging ${packet.topic}: ${error.message}`);
      callback(error);
      client.stream?.destroy();
    };
    this.options.ingest.handle({ topic: packet.topic, payload }).then(
      (outcome) => {
        if (outcome.kind === 'failed') return fail(outcome.error);
        settled();
        this.handled++;
        callback();
      },
      // handle() never rejects; if it ever does, the message must still not be acknowledged.
      (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
    );
  }
}
