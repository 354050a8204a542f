/**
 * Test support (not exported by the package): a real Mosquitto process on a free local port,
 * and a subscriber that records every message and checks each one against the wire contract.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { CameraStatus, CountBatch, describeIssues, parseTopic } from '@byliv/protocol';

export const MOSQUITTO = process.env.BYLIV_MOSQUITTO ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.BYLIV_MOSQUITTO_PASSWD ?? '/usr/bin/mosquitto_passwd';

export function mosquittoMissing(binary: string): Error {
  return new Error(
    `mosquitto was not found at ${binary}: the publisher tests need a real MQTT broker. ` +
      `Install it (Debian/Ubuntu: sudo apt-get install mosquitto) or set BYLIV_MOSQUITTO to its path.`,
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface TestBrokerOptions {
  binary?: string;
  /** When given, anonymous clients are refused and only these user → password pairs get in. */
  users?: Record<string, string>;
  /** PEM files: the listener then speaks MQTT over TLS only (mqtts://). */
  tls?: { certfile: string; keyfile: string };
}

export class TestBroker {
  private child: ChildProcess | null = null;
  private stderr = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly binary: string,
    private users: Record<string, string> | undefined,
    private readonly tls: TestBrokerOptions['tls'],
  ) {}

  static async start(options: TestBrokerOptions = {}): Promise<TestBroker> {
    const binary = options.binary ?? MOSQUITTO;
    if (!existsSync(binary)) throw mosquittoMissing(binary);
    const broker = new TestBroker(await freePort(), mkdtempSync(join(tmpdir(), 'byliv-mosquitto-')), binary, options.users, options.tls);
    await broker.launch();
    return broker;
  }

  get url(): string {
    return `${this.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${this.port}`;
  }

  private writeConfig(): string {
    const lines = [`listener ${this.port} 127.0.0.1`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning'];
    // As root, mosquitto would switch to its own user and lose access to our temp folder.
    if (process.getuid?.() === 0) lines.push('user root');
    if (this.tls) lines.push(`certfile ${this.tls.certfile}`, `keyfile ${this.tls.keyfile}`);
    if (this.users) {
      lines.push('allow_anonymous false', `password_file ${this.writePasswords()}`);
    } else {
      lines.push('allow_anonymous true');
    }
    const path = join(this.dir, 'mosquitto.conf');
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  }

  private writePasswords(): string {
    const path = join(this.dir, 'passwords');
    writeFileSync(path, '', { mode: 0o600 });
    for (const [user, password] of Object.entries(this.users ?? {})) execFileSync(MOSQUITTO_PASSWD, ['-b', path, user, password]);
    return path;
  }

  private async launch(): Promise<void> {
    const config = this.writeConfig();
    this.stderr = '';
    const child = spawn(this.binary, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`mosquitto exited (${code ?? signal}) before listening on ${this.port}: ${this.stderr.trim()}`))),
    );
    const listening = (async () => {
      for (;;) {
        if (await canConnect(this.port)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await Promise.race([listening, exited]);
    exited.catch(() => undefined);
  }

  /** An unclean death: SIGKILL, nothing flushed, every connection cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
  }

  /** Starts again on the same port, with the same (or new) users. */
  async restart(users = this.users): Promise<void> {
    await this.kill();
    this.users = users;
    await this.launch();
  }

  /** Rewrites the password file and has the running broker reload it (SIGHUP), without a restart. */
  reloadUsers(users: Record<string, string>): void {
    if (!this.users) throw new Error('this broker was started without a password file');
    this.users = users;
    this.writePasswords();
    this.child?.kill('SIGHUP');
  }

  /** SIGSTOP: the socket stays open but the broker answers nothing (no PUBACK). */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.thaw();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface Captured {
  topic: string;
  payload: string;
  retain: boolean;
}

/**
 * Subscribes to `#` and records every message. Resubscribes itself on each connection, and
 * `subscriptions` counts the SUBACKs, so a test can wait until it listens again after a restart.
 */
export class Collector {
  readonly messages: Captured[] = [];
  subscriptions = 0;
  private waiters: (() => void)[] = [];

  private constructor(private readonly client: MqttClient) {
    client.on('connect', () => {
      client.subscribe('#', { qos: 1 }, (error) => {
        if (!error) this.subscriptions++;
        this.notify();
      });
    });
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, payload: payload.toString(), retain: packet.retain });
      this.notify();
    });
  }

  static async connect(url: string, auth: { username?: string; password?: string; ca?: string } = {}): Promise<Collector> {
    const client = connect(url, { ...auth, clientId: `collector-${process.pid}-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 50, resubscribe: false });
    const collector = new Collector(client);
    await collector.until(() => collector.subscriptions >= 1);
    return collector;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves once `condition` holds; re-checked on every message and subscription. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
      check();
    });
  }

  on(kind: 'counts' | 'status'): Captured[] {
    return this.messages.filter((m) => parseTopic(m.topic)?.kind === kind);
  }

  counts(): CountBatch[] {
    return this.on('counts').map((m) => CountBatch.parse(JSON.parse(m.payload)));
  }

  statuses(): CameraStatus[] {
    return this.on('status').map((m) => CameraStatus.parse(JSON.parse(m.payload)));
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * The privacy check on the wire: every captured message is on a Byliv topic and parses
 * strictly as what that topic carries. Throws naming the first message that does not.
 */
export function checkEveryPayload(messages: readonly Captured[]): void {
  messages.forEach((m, i) => {
    const topic = parseTopic(m.topic);
    if (!topic) throw new Error(`message ${i} on ${m.topic}: not a Byliv topic`);
    const schema = topic.kind === 'counts' ? CountBatch : CameraStatus;
    let json: unknown;
    try {
      json = JSON.parse(m.payload);
    } catch {
      throw new Error(`message ${i} on ${m.topic}: not JSON: ${m.payload.slice(0, 80)}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`message ${i} on ${m.topic}: not a strict ${topic.kind} payload:\n${describeIssues(parsed.error)}`);
    // Equal after parsing: defaults filled in by the schema would mean the payload was not canonical.
    if (JSON.stringify(parsed.data) !== JSON.stringify(json)) throw new Error(`message ${i} on ${m.topic}: payload is not the schema's own form`);
  });
}
