/**
 * The embedded MQTT broker (aedes) on a TCP port, with Byliv's rules:
 * - authentication: each camera's MQTT username and password against the cameras table;
 * - ACL: a camera publishes only to its own counts/status topics and subscribes only under them;
 * - ingest happens IN authorizePublish, which aedes runs before it writes the PUBACK
 *   (lib/handlers/publish.js: authorizePublish, then enqueuePublish writes the PUBACK), so a
 *   batch is committed to SQLite before the edge hears it arrived and deletes it.
 * A malformed payload on an allowed topic is acknowledged (resending it would not make it
 * valid, and the edge would retry it forever) and kept as a dead letter. A publish to a topic
 * the camera does not own is refused: MQTT 3.1.1 then closes the connection (no PUBACK), and
 * the attempt is a dead letter too. A store failure closes the connection without a PUBACK,
 * so the edge keeps the batch and sends it again.
 * A packet over maxPacketBytes closes the connection as soon as its header is read
 * (packet-guard.ts), before aedes would have buffered it whole.
 * A camera's client id must be its username ("site/camera"): aedes hands a session to whoever
 * connects with its client id, so otherwise one camera could take another's session. The hub
 * itself never connects here (it ingests in process), so no other id is needed.
 * Each camera's publishes are paced (camera-pacer.ts): past its rate a message's ingest and
 * PUBACK wait their turn, so a camera publishing too fast slows down instead of crowding out
 * the others; one that does not wait for PUBACKs is cut off.
 * Live sessions are checked against the store every credentialCheckMs: a camera whose password
 * was rotated or that was removed (`byliv-hub camera add --rotate-password`, `camera remove`,
 * from any process sharing the store) is disconnected, and its old password no longer connects.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { HubStore } from '../store/index.ts';
import type { Ingest } from '../ingest/index.ts';
import { hashPassword, verifyPassword } from '../auth/index.ts';
import { mayPublish, maySubscribe, type CameraIdentity } from './acl.ts';
import { PacketSizeGuard } from './packet-guard.ts';
import { RepeatedLog } from './repeated-log.ts';
import { CameraPacer, DEFAULT_PACE_LIMITS, type PaceLimits } from './camera-pacer.ts';

/**
 * Room for a packet's topic and headers on top of the ingest's payload limit. A payload over
 * that limit but in a packet under this one is read and dead-lettered with its size ("payload
 * too large"); beyond it, the connection is closed. deploy/mosquitto/mosquitto.conf's
 * max_packet_size is the default: 256 KiB + 64 KiB.
 */
export const PACKET_HEADROOM_BYTES = 64 * 1024;

export interface EmbeddedBrokerOptions {
  store: HubStore;
  ingest: Ingest;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** PEM certificate chain and key: the listener then speaks MQTT over TLS only (mqtts://). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Default: the ingest's payload limit + PACKET_HEADROOM_BYTES. */
  maxPacketBytes?: number;
  /** How often live sessions are checked against the cameras' current passwords. Default 5000. */
  credentialCheckMs?: number;
  /** Per-camera publish rate; default DEFAULT_PACE_LIMITS. */
  paceLimits?: PaceLimits;
  log?: (line: string) => void;
}

const IDENTIFIER_REJECTED = 2;
const BAD_USERNAME_OR_PASSWORD = 4;

function authError(message: string, returnCode = BAD_USERNAME_OR_PASSWORD): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export class EmbeddedBroker {
  private readonly cameras = new WeakMap<Client, CameraIdentity>();
  /** Connected cameras and the password hash each was let in with (what the credential check compares). */
  private readonly live = new Map<Client, { username: string; passwordHash: string }>();
  private credentialTimer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  // Checked for unknown usernames too, so the answer takes as long whether the user exists or not.
  private readonly decoyHash = hashPassword('decoy');
  // A full disk fails every batch alike, and every camera resends: one line a minute, counted.
  private readonly ingestFailures = new RepeatedLog({ log: (line) => this.options.log?.(line) });
  private readonly pacer: CameraPacer;
  private readonly paceCutOffs = new RepeatedLog({ log: (line) => this.options.log?.(line) });

  private constructor(
    private readonly options: EmbeddedBrokerOptions,
    private readonly aedes: Aedes,
    private readonly server: Server,
  ) {
    this.pacer = new CameraPacer(options.paceLimits ?? DEFAULT_PACE_LIMITS);
  }

  static async start(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
    let broker: EmbeddedBroker | undefined;
    const aedes = await Aedes.createBroker({
      authenticate: (client, username, password, done) => void broker!.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => broker!.authorizePublish(client, packet, done),
      authorizeSubscribe: (client, sub, done) => broker!.authorizeSubscribe(client, sub, done),
    });
    const maxPacketBytes = options.maxPacketBytes ?? options.ingest.maxPayloadBytes + PACKET_HEADROOM_BYTES;
    const handle = (socket: Socket) => void aedes.handle(new PacketSizeGuard(socket, maxPacketBytes));
    const server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handle) : createServer(handle);
    broker = new EmbeddedBroker(options, aedes, server);
    server.on('tlsClientError', (error) => options.log?.(`mqtt TLS handshake failed: ${error.message}`));
    aedes.on('clientError', (client, error) => options.log?.(`mqtt client ${client?.id ?? '?'}: ${error.message}`));
    aedes.on('connectionError', (client, error) => options.log?.(`mqtt connection ${client?.id ?? '?'}: ${error.message}`));
    aedes.on('error' as 'closed', ((error: Error) => options.log?.(`mqtt broker: ${error.message}`)) as () => void);
    aedes.on('clientDisconnect', (client) => broker!.live.delete(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '0.0.0.0', () => {
        server.off('error', reject);
        resolve();
      });
    });
    broker.credentialTimer = setInterval(() => {
      broker!.pacer.sweep(Date.now());
      void broker!.checkCredentials();
    }, options.credentialCheckMs ?? 5000);
    broker.credentialTimer.unref();
    return broker;
  }

  /**
   * Disconnects every live camera whose account was removed or whose password changed since it
   * connected. Runs on a timer; also callable after a change made in this process.
   */
  checkCredentials(): Promise<void> {
    this.checking ??= (async () => {
      try {
        if (this.live.size === 0) return;
        const current = await this.options.store.cameras.passwordHashes();
        for (const [client, { username, passwordHash }] of this.live) {
          if (client.closed) {
            this.live.delete(client);
            continue;
          }
          const now = current.get(username);
          if (now === passwordHash) continue;
          this.live.delete(client);
          this.options.log?.(`mqtt: closed the session of ${username}: ${now === undefined ? 'the camera was removed' : 'its password was changed'}`);
          client.close();
        }
      } catch (error) {
        this.options.log?.(`mqtt: credential check failed: ${(error as Error).message}`);
      }
    })().finally(() => (this.checking = null));
    return this.checking;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting, disconnects every client and closes the broker. */
  async stop(): Promise<void> {
    if (this.credentialTimer) clearInterval(this.credentialTimer);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await closed;
    this.ingestFailures.flush();
  }

  private async authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): Promise<void> {
    try {
      if (!username || !password) return done(authError('a camera username and password are required'), false);
      if (client.id !== username) {
        this.options.log?.(`mqtt: refused client id ${JSON.stringify(client.id)} for username ${JSON.stringify(username)}: a camera's client id must be its username`);
        return done(authError(`client id ${client.id} is not the username ${username}`, IDENTIFIER_REJECTED), false);
      }
      const camera = await this.options.store.cameras.byUsername(username);
      const ok = await verifyPassword(password.toString('utf8'), camera?.passwordHash ?? (await this.decoyHash));
      if (!camera || !ok) {
        this.options.log?.(`mqtt: refused credentials for username ${JSON.stringify(username)}`);
        return done(authError(`bad username or password for ${username}`), false);
      }
      this.cameras.set(client, { site: camera.site, camera: camera.camera, username });
      this.live.set(client, { username, passwordHash: camera.passwordHash });
      done(null, true);
    } catch (error) {
      // e.g. the store is closed: refuse rather than crash; the camera retries later
      done(Object.assign(new Error((error as Error).message), { returnCode: 3 }) as AuthenticateError, false);
    }
  }

  private authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const camera = client ? this.cameras.get(client) : undefined;
    if (!camera) {
      // Only a will left by a client the broker no longer knows: nobody to hold to an ACL.
      // The dead letter is written before the refusal, so it is stored in the order things happened.
      void this.options.ingest.deadLetter({ topic: packet.topic, payload, sender: null }, 'message from a client that is not an authenticated camera').then(() => done(new Error('not an authenticated camera')));
      return;
    }
    if (!mayPublish(camera, packet.topic)) {
      void this.options.ingest
        .deadLetter({ topic: packet.topic, payload, sender: camera.username }, `topic not allowed for camera ${camera.site}/${camera.camera}`)
        .then(() => done(new Error(`camera ${camera.site}/${camera.camera} may not publish to ${packet.topic}`)));
      return;
    }
    const wait = this.pacer.take(camera.username, Date.now());
    if (wait === null) {
      // No PUBACK and the connection closes: an agent keeps the message and resends it later.
      this.paceCutOffs.note(`pace ${camera.username}`, `camera ${camera.username} publishes faster than ${this.pacer.limits.perSecond}/s without waiting for acknowledgements; connection closed`);
      return done(new Error(`camera ${camera.username} is publishing too fast`));
    }
    if (wait > 0) {
      setTimeout(() => this.ingestPublish(camera, packet, payload, done), wait);
      return;
    }
    this.ingestPublish(camera, packet, payload, done);
  }

  private ingestPublish(camera: CameraIdentity, packet: PublishPacket, payload: Buffer, done: (error?: Error | null) => void): void {
    // Batches arriving together are committed together (Ingest.submit); the PUBACK waits for the commit.
    this.options.ingest.submit({ topic: packet.topic, payload, sender: camera.username }).then((outcome) => {
      if (outcome.kind === 'failed') {
        this.ingestFailures.note(`ingest failed: ${outcome.error.message}`, `ingest failed, not acknowledging ${packet.topic}: ${outcome.error.message}`);
        return done(outcome.error);
      }
      // A dead letter is acknowledged but never kept as the topic's retained message.
      if (outcome.kind === 'dead-letter') packet.retain = false;
      done(null);
    });
  }

  private authorizeSubscribe(client: Client, sub: Subscription, done: (error: Error | null, sub?: Subscription | null) => void): void {
    const camera = this.cameras.get(client);
    // null grants nothing: the SUBACK says 0x80 for this filter, the connection stays.
    done(null, camera && maySubscribe(camera, sub.topic) ? sub : null);
  }
}
