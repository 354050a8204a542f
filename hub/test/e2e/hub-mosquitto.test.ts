/**
 * External-broker mode against a real Mosquitto, configured from deploy/mosquitto/ (the
 * example mosquitto.conf with its paths and ports rewritten, and the ACL file as it is):
 * cameras publish over TLS with their `byliv-hub camera add` credentials, the hub subscribes
 * on the loopback listener with a persistent session. Skipped only when mosquitto is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import { countsTopic, statusTopic } from '@byliv/protocol';
import { createHub, type Hub } from '../../src/app.ts';
import { addCamera } from '../../src/admin.ts';
import { openStore } from '../../src/store/index.ts';
import { rawSql } from '../../src/store/testing.ts';
import { makeBatch, tempDir } from '../fixtures.ts';
import { canConnect, freePort } from '../net.ts';
import { connectClient, publish, publishOutcome, until } from '../mqtt.ts';
import { testStoreLocation } from '../stores.ts';

const MOSQUITTO = process.env.BYLIV_MOSQUITTO ?? '/usr/sbin/mosquitto';
const MOSQUITTO_PASSWD = process.env.BYLIV_MOSQUITTO_PASSWD ?? '/usr/bin/mosquitto_passwd';
const deploy = resolve(import.meta.dirname, '../../../deploy/mosquitto');
const missing = !existsSync(MOSQUITTO);
if (missing) console.warn(`SKIPPED hub-mosquitto tests: no mosquitto at ${MOSQUITTO} (apt-get install mosquitto, or set BYLIV_MOSQUITTO)`);

const dir = tempDir('byliv-hub-mosquitto-');
const HUB_PASSWORD = 'hub-secret-for-tests';
let mosquitto: ChildProcess;
let mosquittoLog = '';
let hubPort: number;
let cameraPort: number;
let ca: Buffer;
let hub: Hub;
/** The hub's store: a data dir, and a PostgreSQL database with BYLIV_TEST_STORE=postgres. */
let location: Awaited<ReturnType<typeof testStoreLocation>> | undefined;
const cams: Record<string, { username: string; password: string }> = {};
const clients: MqttClient[] = [];

function startHub(): Hub {
  return createHub({ dataDir: location!.dataDir, database: location!.database, httpPort: 0, httpHost: '127.0.0.1', broker: { url: `mqtt://127.0.0.1:${hubPort}`, username: 'byliv-hub', password: HUB_PASSWORD, reconnectMs: 200 } });
}

async function camera(name: string): Promise<MqttClient> {
  const client = await connectClient(`mqtts://127.0.0.1:${cameraPort}`, { ...cams[name], ca, servername: 'localhost' });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  if (missing) return;
  [hubPort, cameraPort] = [await freePort(), await freePort()];
  const keyfile = join(dir.path, 'broker.key');
  const certfile = join(dir.path, 'broker.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', keyfile, '-out', certfile], { stdio: 'ignore' });
  ca = readFileSync(certfile);

  // Cameras are registered at the hub first (`byliv-hub camera add`, on the hub's store); Mosquitto gets the same credentials (deploy/mosquitto/README.md).
  location = await testStoreLocation();
  const store = await openStore({ dataDir: location.dataDir, database: location.database });
  try {
    for (const cam of ['cam1', 'cam2', 'cam9']) cams[cam] = await addCamera(store, 'park', cam);
    // park/cam9 exists in Mosquitto only: the hub forgets it
    await rawSql(store).run("DELETE FROM cameras WHERE camera = 'cam9'");
  } finally {
    await store.close();
  }
  const passwords = join(dir.path, 'passwd');
  writeFileSync(passwords, '', { mode: 0o600 });
  execFileSync(MOSQUITTO_PASSWD, ['-b', passwords, 'byliv-hub', HUB_PASSWORD]);
  for (const c of Object.values(cams)) execFileSync(MOSQUITTO_PASSWD, ['-b', passwords, c.username, c.password]);

  const conf = readFileSync(join(deploy, 'mosquitto.conf'), 'utf8')
    .replaceAll('/etc/mosquitto/byliv.passwd', passwords)
    .replaceAll('/etc/mosquitto/byliv.acl', join(deploy, 'acl'))
    .replaceAll('/var/lib/mosquitto/', `${dir.path}/`)
    .replaceAll('/etc/mosquitto/certs/byliv-broker.crt', certfile)
    .replaceAll('/etc/mosquitto/certs/byliv-broker.key', keyfile)
    .replace(/^listener 1883 127\.0\.0\.1$/m, `listener ${hubPort} 127.0.0.1`)
    .replace(/^listener 8883$/m, `listener ${cameraPort} 127.0.0.1`);
  // As root, mosquitto would switch to its own user and lose access to the temp folder.
  writeFileSync(join(dir.path, 'mosquitto.conf'), conf + (process.getuid?.() === 0 ? 'user root\n' : '') + 'log_dest stderr\n');
  mosquitto = spawn(MOSQUITTO, ['-c', join(dir.path, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  mosquitto.stderr!.on('data', (d: Buffer) => (mosquittoLog += d.toString()));
  await until(async () => {
    if (mosquitto.exitCode !== null) throw new Error(`mosquitto exited (${mosquitto.exitCode}): ${mosquittoLog}`);
    return (await canConnect(hubPort)) && (await canConnect(cameraPort));
  }, 'mosquitto listening');

  hub = startHub();
  await hub.start();
  await hub.subscribed();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true)));
  await hub?.stop().catch(() => undefined);
  mosquitto?.kill('SIGKILL');
  if (process.env.BYLIV_KEEP_TEST_DIR) console.log(dir.path, location?.dataDir, location?.database, mosquittoLog);
  else {
    dir.remove();
    await location?.dispose();
  }
});

const batch = (seq: number, camera = 'cam1') => makeBatch({ camera, seq, binStart: new Date(Date.UTC(2025, 4, 1, 10, seq)).toISOString(), lines: { l1: [seq, 0, 1, 0] } });

describe.skipIf(missing)('hub with an external Mosquitto (deploy/mosquitto config and ACL)', () => {
  it('stores valid batches once; dead-letters malformed, mismatched and unregistered ones; the ACL drops foreign topics', async () => {
    const cam1 = await camera('cam1');
    const cam9 = await camera('cam9');
    const own = countsTopic('park', 'cam1');
    for (const seq of [0, 1, 2]) await publish(cam1, own, JSON.stringify(batch(seq)));
    await publish(cam1, own, JSON.stringify(batch(0))); // duplicate
    await publish(cam1, own, 'not json at all');
    await publish(cam1, own, JSON.stringify(batch(3, 'cam2'))); // a cam2 batch on cam1's topic
    await publish(cam1, countsTopic('park', 'cam2'), JSON.stringify(batch(4, 'cam2'))); // ACL: Mosquitto acks and drops it
    await publish(cam9, countsTopic('park', 'cam9'), JSON.stringify(batch(5, 'cam9'))); // allowed by Mosquitto, unknown to the hub
    await publish(cam1, own, JSON.stringify(batch(9))); // sentinel: everything before it has been handled when it is stored
    await until(async () => (await hub.store.bins.count()) >= 4, 'the sentinel batch');

    expect((await hub.store.bins.batches({ site: 'park' })).map((b) => b.seq)).toEqual([0, 1, 2, 9]);
    const reasons = (await hub.store.deadLetters.list()).reverse().map((d) => [d.topic, d.reason.split('\n')[0]]);
    expect(reasons).toEqual([
      [own, 'payload is not JSON: Unexpected token \'o\', "not json at all" is not valid JSON'],
      [own, 'payload is for park/cam2 but was published on the topic of park/cam1'],
      [countsTopic('park', 'cam9'), 'unregistered camera park/cam9'],
    ]);
  });

  it('refuses a wrong camera password at the broker', async () => {
    await expect(connectClient(`mqtts://127.0.0.1:${cameraPort}`, { ...cams.cam1, password: 'wrong', ca, servername: 'localhost' })).rejects.toMatchObject({ code: 5 });
  });

  it('loses nothing while the hub is down: Mosquitto queues for its persistent session, the restarted hub takes it all', async () => {
    await hub.stop();
    const cam1 = await camera('cam1');
    for (const seq of [20, 21, 22]) await publish(cam1, countsTopic('park', 'cam1'), JSON.stringify(batch(seq)));
    const status = { v: 1, site: 'park', camera: 'cam1', state: 'online', at: '2025-05-01T10:30:00Z', outboxDepth: 0 };
    await publish(cam1, statusTopic('park', 'cam1'), JSON.stringify(status), { retain: true });
    hub = startHub();
    await hub.start();
    await until(async () => (await hub.store.bins.count()) >= 7 && (await hub.store.statuses.latest('park', 'cam1')) !== undefined, 'the queued batches and status');
    expect((await hub.store.bins.batches({ site: 'park' })).map((b) => b.seq)).toEqual([0, 1, 2, 9, 20, 21, 22]);
    expect((await hub.store.statuses.latest('park', 'cam1'))?.status).toEqual(status);

    // Restarting again: the retained status comes back on subscribe but is kept once.
    await hub.stop();
    hub = startHub();
    await hub.start();
    await hub.subscribed();
    await publish(cam1, countsTopic('park', 'cam1'), JSON.stringify(batch(30)));
    await until(async () => (await hub.store.bins.count()) >= 8, 'batch 30');
    expect((await rawSql(hub.store).get<{ n: number }>('SELECT COUNT(*) AS n FROM camera_status'))!.n).toBe(1);
  });

  it('closes a camera whose packet is over max_packet_size; a payload under it but over 256 KiB reaches the hub as a dead letter with its size', async () => {
    const cam2 = await camera('cam2');
    const own = countsTopic('park', 'cam2');
    expect(await publishOutcome(cam2, own, Buffer.alloc(1024 * 1024, ' '))).toBe('closed');
    const again = await camera('cam2');
    await publish(again, own, Buffer.alloc(300 * 1024, ' '));
    await until(async () => (await hub.store.deadLetters.list(1))[0]?.size === 300 * 1024, 'the dead letter');
    expect((await hub.store.deadLetters.list(1))[0].reason).toMatch(/^payload too large: 307200 bytes/);
  });
});
