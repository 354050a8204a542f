/**
 * Capturing what leaves the edge, for the privacy check of the system tests.
 *
 * WireTap: a TCP relay between the agent and its broker. The agent is pointed at the tap,
 * the tap forwards every byte both ways unchanged, and decodes a copy of what the agent sends
 * (MQTT 3.1.1 packets): each PUBLISH, and the last will inside each CONNECT, which the broker
 * publishes on the agent's behalf when it dies. Nothing the agent sends can bypass it, so it
 * sees every payload that left the edge, whichever broker is behind it; it also works with
 * the embedded broker, whose ACL rightly refuses a '#' subscription to anyone.
 *
 * BrokerCapture: a subscriber on '#' at a real Mosquitto, which sees what the broker passes on.
 *
 * checkPayloads: every captured message is on this camera's counts or status topic and parses
 * strictly (and canonically) as a CountBatch or CameraStatus.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { connect, type MqttClient } from 'mqtt';
import { CameraStatus, CountBatch, countsTopic, describeIssues, statusTopic } from '@byliv/protocol';

export interface CapturedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  /** 'will': the last will announced in a CONNECT (published by the broker if the agent dies). */
  via: 'publish' | 'will' | 'subscription';
}

const PACKET_NAMES: Record<number, string> = {
  1: 'CONNECT', 2: 'CONNACK', 3: 'PUBLISH', 4: 'PUBACK', 5: 'PUBREC', 6: 'PUBREL', 7: 'PUBCOMP',
  8: 'SUBSCRIBE', 9: 'SUBACK', 10: 'UNSUBSCRIBE', 11: 'UNSUBACK', 12: 'PINGREQ', 13: 'PINGRESP', 14: 'DISCONNECT',
};

/** Splits one direction of an MQTT byte stream into packets (fixed header + remaining length). */
class PacketReader {
  private buffered = Buffer.alloc(0);

  constructor(private readonly onPacket: (type: number, flags: number, body: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    for (;;) {
      if (this.buffered.length < 2) return;
      let length = 0;
      let multiplier = 1;
      let i = 1;
      for (;;) {
        if (i >= this.buffered.length) return; // the length itself is not complete yet
        const byte = this.buffered[i++];
        length += (byte & 0x7f) * multiplier;
        if ((byte & 0x80) === 0) break;
        multiplier *= 128;
        if (i > 4) throw new Error('malformed remaining length (more than 4 bytes)');
      }
      if (this.buffered.length < i + length) return;
      const type = this.buffered[0] >> 4;
      const flags = this.buffered[0] & 0x0f;
      const body = this.buffered.subarray(i, i + length);
      this.buffered = this.buffered.subarray(i + length);
      this.onPacket(type, flags, body);
    }
  }
}

function readString(body: Buffer, at: number): [Buffer, number] {
  if (at + 2 > body.length) throw new Error('length-prefixed field runs past the packet');
  const n = body.readUInt16BE(at);
  if (at + 2 + n > body.length) throw new Error('length-prefixed field runs past the packet');
  return [body.subarray(at + 2, at + 2 + n), at + 2 + n];
}

export class WireTap {
  readonly messages: CapturedMessage[] = [];
  /** Names of the packet types the agent sent (CONNECT, PUBLISH, …). */
  readonly packetTypes = new Set<string>();
  readonly errors: string[] = [];
  connections = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly upstreamPort: number,
  ) {}

  /** Listens on a free loopback port and relays each connection to `upstreamPort`. */
  static async start(upstreamPort: number): Promise<WireTap> {
    const server = createServer();
    const tap = new WireTap(server, upstreamPort);
    server.on('connection', (client) => tap.relay(client));
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok());
    });
    return tap;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  private relay(client: Socket): void {
    const n = ++this.connections;
    const upstream = tcpConnect(this.upstreamPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    const reader = new PacketReader((type, flags, body) => this.decode(n, type, flags, body));
    client.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        this.errors.push(`connection ${n}: ${(error as Error).message}`);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    // Either side gone: so is the other, as if the agent were connected straight to the broker.
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }

  private decode(connection: number, type: number, flags: number, body: Buffer): void {
    this.packetTypes.add(PACKET_NAMES[type] ?? `type ${type}`);
    try {
      if (type === 1) this.decodeConnect(body);
      if (type === 3) {
        const [topic, at] = readString(body, 0);
        const qos = (flags >> 1) & 3;
        const payload = body.subarray(at + (qos > 0 ? 2 : 0));
        this.messages.push({ topic: topic.toString('utf8'), payload: payload.toString('utf8'), retain: (flags & 1) === 1, via: 'publish' });
      }
    } catch (error) {
      this.errors.push(`connection ${connection}, ${PACKET_NAMES[type]}: ${(error as Error).message}`);
    }
  }

  private decodeConnect(body: Buffer): void {
    let [protocol, at] = readString(body, 0);
    const level = body[at];
    const flags = body[at + 1];
    if (protocol.toString() !== 'MQTT' || level !== 4) throw new Error(`expected MQTT 3.1.1, got ${protocol.toString()} level ${level}`);
    at += 4; // level, flags, keepalive
    [, at] = readString(body, at); // client id
    if (flags & 0x04) {
      const [topic, next] = readString(body, at);
      const [payload] = readString(body, next);
      this.messages.push({ topic: topic.toString('utf8'), payload: payload.toString('utf8'), retain: (flags & 0x20) !== 0, via: 'will' });
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

/** A '#' subscriber at Mosquitto with a persistent session, resubscribing on every connection. */
export class BrokerCapture {
  readonly messages: CapturedMessage[] = [];
  subscriptions = 0;

  private constructor(private readonly client: MqttClient) {
    client.on('connect', () =>
      client.subscribe('#', { qos: 1 }, (error) => {
        if (!error) this.subscriptions++;
      }),
    );
    client.on('message', (topic, payload, packet) => this.messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain, via: 'subscription' }));
    client.on('error', () => undefined);
  }

  static async connect(url: string, username: string, password: string): Promise<BrokerCapture> {
    const client = connect(url, { username, password, clientId: `byliv-system-capture-${process.pid}`, clean: false, reconnectPeriod: 100, resubscribe: false });
    const capture = new BrokerCapture(client);
    const started = Date.now();
    while (capture.subscriptions === 0) {
      if (Date.now() - started > 30_000) throw new Error(`capture subscriber: no SUBACK from ${url} within 30 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return capture;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

export interface CheckedPayloads {
  counts: CountBatch[];
  statuses: CameraStatus[];
}

/**
 * The privacy check: every message is on this camera's counts or status topic and is exactly
 * a strict CountBatch or CameraStatus (parsing changes nothing: no field added, none missing).
 * Throws naming the first message that is anything else.
 */
export function checkPayloads(messages: readonly CapturedMessage[], site: string, camera: string): CheckedPayloads {
  const counts = countsTopic(site, camera);
  const status = statusTopic(site, camera);
  const out: CheckedPayloads = { counts: [], statuses: [] };
  messages.forEach((m, i) => {
    const where = `message ${i} (${m.via}) on "${m.topic}"`;
    if (m.topic !== counts && m.topic !== status) throw new Error(`${where}: only ${counts} and ${status} may carry anything from this camera`);
    let json: unknown;
    try {
      json = JSON.parse(m.payload);
    } catch {
      throw new Error(`${where}: not JSON: ${m.payload.slice(0, 80)}`);
    }
    const schema = m.topic === counts ? CountBatch : CameraStatus;
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`${where}: not a strict ${m.topic === counts ? 'CountBatch' : 'CameraStatus'}:\n${describeIssues(parsed.error)}`);
    if (JSON.stringify(parsed.data) !== JSON.stringify(json)) throw new Error(`${where}: not in the schema's canonical form: ${m.payload.slice(0, 200)}`);
    if (m.topic === counts) out.counts.push(parsed.data as CountBatch);
    else out.statuses.push(parsed.data as CameraStatus);
  });
  return out;
}
