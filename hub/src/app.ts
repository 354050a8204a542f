/**
 * The hub, wired in one place: the SQLite store, ingest, the MQTT side (the embedded broker
 * by default, or a subscriber to an external broker) and the HTTP API. `start()` and `stop()`.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { openStore, scheduleCompaction, type CompactionSchedule, type HubStore, type RetentionPolicy } from './store/index.ts';
import { Ingest, type FloodLimits, type IngestOutcome } from './ingest/index.ts';
import { EmbeddedBroker, ExternalBrokerSubscriber } from './broker/index.ts';
import type { PaceLimits } from './broker/camera-pacer.ts';
import { createApi, type ApiOptions } from './api/index.ts';

export interface HubConfig {
  /** Holds hub.sqlite (created when missing) and the hub's own id. */
  dataDir: string;
  /** postgres://… to use PostgreSQL (several hubs share one) instead of the SQLite file. */
  database?: string;
  /** Embedded broker port (default 1883; 0 picks a free one). Ignored with `broker`. */
  mqttPort?: number;
  mqttHost?: string;
  /** PEM files' contents: the embedded broker then listens with TLS only. */
  mqttTls?: { cert: string | Buffer; key: string | Buffer };
  /** HTTP API port (default 8080; 0 picks a free one). */
  httpPort?: number;
  httpHost?: string;
  /** External-broker mode: subscribe here instead of running the embedded broker. */
  broker?: {
    url: string;
    username?: string;
    password?: string;
    /** Default: the hub's own, in dataDir/hub-id (hubClientId). */
    clientId?: string;
    /** `$share/<group>/…` shared with the other hubs of the group; default none (every hub gets every batch). */
    shareGroup?: string | null;
    ca?: string | Buffer;
    reconnectMs?: number;
  };
  /** Researcher export threshold (default 5). */
  suppressBelow?: number;
  citation?: string;
  /** The data owner's licence for exports (default CC BY 4.0). */
  licence?: string;
  maxPayloadBytes?: number;
  /** Dead letters kept per camera and minute before the rest are only counted (default DEAD_LETTER_FLOOD_LIMITS). */
  deadLetterFloods?: FloodLimits;
  /** SQLite synchronous mode (default FULL: an acknowledged batch survives a power loss). */
  synchronous?: 'FULL' | 'NORMAL';
  /** The dashboard's settings: see ApiOptions. */
  dashboard?: Pick<ApiOptions, 'trafficLights' | 'tileUrl' | 'dashboardDir' | 'secureCookies' | 'trustedProxies'>;
  /** Roll old bins up into hours and days (see store/retention.ts); none when left out. */
  retention?: RetentionPolicy;
  /** How often compaction runs (default hourly; the first run a minute after the start). */
  compactEveryMs?: number;
  clock?: () => Date;
  /** Embedded broker: how often live camera sessions are checked for a rotated or removed account (default 5000 ms). */
  credentialCheckMs?: number;
  /** Embedded broker: each camera's publish rate (default DEFAULT_PACE_LIMITS, broker/camera-pacer.ts). */
  cameraPace?: PaceLimits;
  log?: (line: string) => void;
  onIngest?: (outcome: IngestOutcome) => void;
}

export interface HubAddresses {
  /** null in external-broker mode */
  mqttPort: number | null;
  mqttTls: boolean;
  httpPort: number;
  broker: string;
}

export interface Hub {
  /** Open once `start()` has resolved. */
  readonly store: HubStore;
  start(): Promise<HubAddresses>;
  /** Resolves when the external broker subscription is in place (at once with the embedded broker). */
  subscribed(): Promise<void>;
  stop(): Promise<void>;
}

export { hubDatabasePath } from './store/index.ts';

export function createHub(config: HubConfig): Hub {
  const log = config.log ?? (() => undefined);
  let store: HubStore | null = null;
  let embedded: EmbeddedBroker | null = null;
  let external: ExternalBrokerSubscriber | null = null;
  let http: ServerType | null = null;
  let compaction: CompactionSchedule | null = null;
  let ingest: Ingest | null = null;
  let floodReports: ReturnType<typeof setInterval> | null = null;

  return {
    get store() {
      if (!store) throw new Error('the hub is not started');
      return store;
    },
    async start() {
      try {
        store = await openStore({ dataDir: config.dataDir, database: config.database, synchronous: config.synchronous });
        ingest = new Ingest({
          store,
          clock: config.clock,
          maxPayloadBytes: config.maxPayloadBytes,
          floodLimits: config.deadLetterFloods,
          log,
          onOutcome: (outcome, message) => {
            // A flooding camera's letters are not logged one by one: its flood report is one line.
            if (outcome.kind === 'dead-letter' && !outcome.quiet) log(`dead letter on ${message.topic}: ${outcome.reason.split('\n')[0]}`);
            config.onIngest?.(outcome);
          },
        });
        const reporting = ingest;
        // A flood that has stopped is reported without waiting for the next message.
        floodReports = setInterval(() => void reporting.reportFloods().catch((error: Error) => log(`dead letters: flood report not written: ${error.message}`)), 10_000);
        floodReports.unref();
        if (config.broker) {
          external = new ExternalBrokerSubscriber({ ...config.broker, dataDir: config.dataDir, ingest, log });
          external.start();
        } else {
          embedded = await EmbeddedBroker.start({ store, ingest, port: config.mqttPort ?? 1883, host: config.mqttHost, tls: config.mqttTls, credentialCheckMs: config.credentialCheckMs, paceLimits: config.cameraPace, log });
        }
        const app = createApi({ store, clock: config.clock, suppressBelow: config.suppressBelow, citation: config.citation, licence: config.licence, log, ...config.dashboard });
        if (config.retention) compaction = scheduleCompaction(store.retention, config.retention, { everyMs: config.compactEveryMs, clock: config.clock, log });
        http = await new Promise<ServerType>((resolve, reject) => {
          const server = serve({ fetch: app.fetch, port: config.httpPort ?? 8080, hostname: config.httpHost ?? '0.0.0.0' }, () => resolve(server));
          server.once('error', reject);
        });
        return {
          mqttPort: embedded?.port ?? null,
          mqttTls: Boolean(embedded && config.mqttTls),
          httpPort: (http.address() as AddressInfo).port,
          broker: config.broker ? config.broker.url.replace(/\/\/[^@/]*@/, '//') : 'embedded',
        };
      } catch (error) {
        await this.stop();
        throw error;
      }
    },
    subscribed() {
      return external ? external.subscribed() : Promise.resolve();
    },
    async stop() {
      // Stop taking messages first, so nothing is acknowledged that is not stored.
      await embedded?.stop();
      await external?.stop();
      embedded = external = null;
      if (floodReports) clearInterval(floodReports);
      floodReports = null;
      // What was counted and not kept is reported before the store closes.
      await ingest?.reportFloods({ all: true }).catch((error: Error) => log(`dead letters: flood report not written: ${error.message}`));
      ingest = null;
      if (http) {
        const server = http;
        http = null;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
      }
      await compaction?.stop();
      compaction = null;
      const open = store;
      store = null;
      await open?.close();
    },
  };
}
