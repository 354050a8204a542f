/**
 * Issue 15 rows 3 and 13 with a real Mosquitto configured only by `byliv-hub broker-config`
 * (its byliv.conf, byliv.acl and byliv.passwd, paths and ports chosen by its options): a camera
 * that connects with the hub's client id cannot take the hub's session (no batch is lost), and a
 * rotated camera password, once broker-config has run again and Mosquitto reloaded, closes the
 * old session and refuses the old password. Skipped only when mosquitto is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import { countsTopic } from '@byliv/protocol';
import { createHub, type Hub } from '../../src/app.ts';
import { mosquittoAcl, mosquittoConf } from '../../src/broker/mosquitto-config.ts';
import { makeBatch, tempDir } from '../fixtures.ts';
import { canConnect, freePort } from '../net.ts';
import { connectClient, publish, until } from '../mqtt.ts';

const MOSQUITTO = process.env.BYLIV_MOSQUITTO ?? '/usr/sbin/mosquitto';
const missing = !existsSync(MOSQUITTO);
if (missing) console.warn(`SKIPPED mosquitto-accounts tests: no mosquitto at ${MOSQUITTO}`);
const bin = resolve(import.meta.dirname, '../../bin/byliv-hub.js');
const deploy = resolve(import.meta.dirname, '../../../deploy/mosquitto');

const dir = tempDir('byliv-mosquitto-accounts-');
const dataDir = join(dir.path, 'hub');
const etc = join(dir.path, 'etc');
let hubPort: number;
let cameraPort: number;
let ca: Buffer;
let mosquitto: ChildProcess;
let mosquittoLog = '';
let hub: Hub;
const hubLines: string[] = [];
const clients: MqttClient[] = [];
const cams: Record<string, { username: string; password: string }> = {};

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`byliv-hub ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
const brokerConfig = () => JSON.parse(cli('broker-config', '--out', etc, '--etc-dir', etc, '--persistence-dir', `${dir.path}/`, '--hub-port', String(hubPort), '--camera-port', String(cameraPort), '--data-dir', dataDir)) as { hubPasswords: Record<string, string>; cameras: number };

async function camera(name: string, options: Record<string, unknown> = {}): Promise<MqttClient> {
  const client = await connectClient(`mqtts://127.0.0.1:${cameraPort}`, { ...cams[name], ca, servername: 'localhost', ...options });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  if (missing) return;
  [hubPort, cameraPort] = [await freePort(), await freePort()];
  for (const cam of ['cam1', 'cam2']) cams[cam] = JSON.parse(cli('camera', 'add', '--site', 'park', '--camera', cam, '--data-dir', dataDir));
  const config = brokerConfig();
  mkdirSync(join(etc, 'certs'), { recursive: true });
  const certfile = join(etc, 'certs/byliv-broker.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(etc, 'certs/byliv-broker.key'), '-out', certfile], { stdio: 'ignore' });
  ca = readFileSync(certfile);
  // As root, mosquitto would switch to its own user and lose access to the temp folder.
  const conf = join(dir.path, 'run.conf');
  writeFileSync(conf, `include_dir ${join(dir.path, 'conf.d')}\n${process.getuid?.() === 0 ? 'user root\n' : ''}log_dest stderr\n`);
  mkdirSync(join(dir.path, 'conf.d'));
  writeFileSync(join(dir.path, 'conf.d/byliv.conf'), readFileSync(join(etc, 'byliv.conf')));
  mosquitto = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  mosquitto.stderr!.on('data', (d: Buffer) => (mosquittoLog += d.toString()));
  await until(async () => {
    if (mosquitto.exitCode !== null) throw new Error(`mosquitto exited (${mosquitto.exitCode}): ${mosquittoLog}`);
    return (await canConnect(hubPort)) && (await canConnect(cameraPort));
  }, 'mosquitto listening');
  hub = createHub({ dataDir, httpPort: 0, httpHost: '127.0.0.1', broker: { url: `mqtt://127.0.0.1:${hubPort}`, username: 'byliv-hub', password: config.hubPasswords['byliv-hub'], reconnectMs: 200 }, log: (l) => hubLines.push(l) });
  await hub.start();
  await hub.subscribed();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await hub?.stop().catch(() => undefined);
  mosquitto?.kill('SIGKILL');
  if (process.env.BYLIV_KEEP_TEST_DIR) console.log(dir.path, mosquittoLog);
  else dir.remove();
});

const batch = (seq: number, camera: string) => makeBatch({ camera, seq, binStart: new Date(Date.UTC(2025, 4, 1, 10, seq)).toISOString(), lines: { l1: [1, 0, 0, 0] } });

describe('shipped files', () => {
  it('deploy/mosquitto holds what broker-config writes for one hub with the default paths', () => {
    expect(readFileSync(join(deploy, 'mosquitto.conf'), 'utf8')).toBe(mosquittoConf());
    expect(readFileSync(join(deploy, 'acl'), 'utf8')).toBe(mosquittoAcl());
  });
});

describe.skipIf(missing)('Mosquitto configured by byliv-hub broker-config', () => {
  it("a camera connecting with the hub's client id takes no session but its own: every batch is stored, the hub stays connected", async () => {
    const hubClientId = hubLines.find((l) => l.startsWith('connected to broker'))!.match(/ as (\S+) /)![1];
    const cam1 = await camera('cam1');
    const intruders: MqttClient[] = [];
    for (const clientId of ['byliv-hub', hubClientId]) intruders.push(await camera('cam2', { clientId, clean: false }));
    for (let seq = 0; seq < 40; seq++) await publish(cam1, countsTopic('park', 'cam1'), JSON.stringify(batch(seq, 'cam1')));
    // And the intruder itself may still publish its own counts.
    await publish(intruders[1], countsTopic('park', 'cam2'), JSON.stringify(batch(0, 'cam2')));
    await until(async () => (await hub.store.bins.count()) >= 41, 'all 41 batches', 20, 10_000);
    expect((await hub.store.bins.batches({ site: 'park', camera: 'cam1' })).map((b) => b.seq)).toEqual([...Array(40).keys()]);
    expect(hubLines.filter((l) => l.startsWith('connected to broker'))).toHaveLength(1);
  });

  it('a rotated password, after broker-config and a reload, closes the live session and the old password is refused', async () => {
    const old = await camera('cam1');
    await publish(old, countsTopic('park', 'cam1'), JSON.stringify(batch(50, 'cam1')));
    expect(() => cli('camera', 'add', '--site', 'park', '--camera', 'cam1', '--data-dir', dataDir)).toThrow(/already registered.*--rotate-password/);
    const rotated = JSON.parse(cli('camera', 'add', '--site', 'park', '--camera', 'cam1', '--rotate-password', '--data-dir', dataDir)) as { username: string; password: string };
    // A rerun keeps the hub's password (the hub is still connected with it).
    expect(brokerConfig().hubPasswords).toEqual({});
    const closed = new Promise<void>((ok) => old.once('close', () => ok()));
    mosquitto.kill('SIGHUP');
    await closed;
    await expect(camera('cam1')).rejects.toMatchObject({ code: 5 });
    const fresh = await camera('cam1', { password: rotated.password });
    await publish(fresh, countsTopic('park', 'cam1'), JSON.stringify(batch(51, 'cam1')));
    await until(async () => (await hub.store.bins.batches({ site: 'park', camera: 'cam1' })).some((b) => b.seq === 51), 'the new session\'s batch');
    expect(hubLines.filter((l) => l.startsWith('connected to broker'))).toHaveLength(1);
  });

  it('camera remove, after broker-config and a reload, closes the session; the counts stay', async () => {
    const client = await camera('cam2');
    const stored = await hub.store.bins.count();
    cli('camera', 'remove', '--site', 'park', '--camera', 'cam2', '--data-dir', dataDir);
    expect(brokerConfig().cameras).toBe(1);
    const closed = new Promise<void>((ok) => client.once('close', () => ok()));
    mosquitto.kill('SIGHUP');
    await closed;
    await expect(camera('cam2')).rejects.toMatchObject({ code: 5 });
    expect(await hub.store.bins.count()).toBe(stored);
  });
});
