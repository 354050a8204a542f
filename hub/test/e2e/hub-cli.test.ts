/**
 * The hub as a process, through its CLI: register cameras, issue a token, start on free
 * ports, publish real batches over MQTT QoS 1, then read the SQLite file and the API, and
 * stop it with SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { countsTopic, CountSummary } from '@byliv/protocol';
import { makeBatch, tempDir } from '../fixtures.ts';
import { connectClient, publishOutcome } from '../mqtt.ts';

const bin = resolve(import.meta.dirname, '../../bin/byliv-hub.js');
const dir = tempDir();
let hub: ChildProcess;
let ready: { mqttPort: number; httpPort: number; broker: string };
let cam1: { username: string; password: string };
let token: string;
let stderr = '';

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  cam1 = JSON.parse(cli('camera', 'add', '--site', 'park', '--camera', 'cam1', '--data-dir', dir.path).stdout);
  cli('camera', 'add', '--site', 'park', '--camera', 'cam2', '--data-dir', dir.path);
  token = JSON.parse(cli('token', 'create', '--role', 'planner', '--data-dir', dir.path).stdout).token;
  hub = spawn(process.execPath, [bin, 'start', '--data-dir', dir.path, '--mqtt-port', '0', '--http-port', '0', '--mqtt-host', '127.0.0.1', '--http-host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [line] = await Promise.race([
    new Promise<string[]>((ok) => createInterface({ input: hub.stdout! }).once('line', (l) => ok([l]))),
    new Promise<never>((_, fail) => hub.once('exit', (code) => fail(new Error(`hub exited (${code}) before it was ready: ${stderr}`)))),
  ]);
  ready = JSON.parse(line);
});

afterAll(() => {
  if (hub.exitCode === null) hub.kill('SIGKILL');
  dir.remove();
});

const spec = [
  { seq: 0, binStart: '2025-05-01T10:00:00Z', lines: { l1: [3, 1, 2, 0] as [number, number, number, number] }, zones: { z1: { entries: 2, exits: 1, personSeconds: 10.5, occupancyMax: 2 } } },
  { seq: 1, binStart: '2025-05-01T10:01:00Z', lines: { l1: [0, 0, 4, 1] as [number, number, number, number] }, zones: { z1: { entries: 1, exits: 2, personSeconds: 3.25, occupancyMax: 3 } }, gapSeconds: 20 },
  { seq: 2, binStart: '2025-05-01T10:02:00Z', lines: { l1: [1, 0, 0, 0] as [number, number, number, number] }, zones: { z1: { personSeconds: 0.125, occupancyMax: 1 } } },
];
const batches = spec.map(makeBatch);

describe('byliv-hub start (embedded broker) as a process', () => {
  it('prints one ready line with the ports it listens on', () => {
    expect(ready).toMatchObject({ ready: true, broker: 'embedded' });
    expect(ready.mqttPort).toBeGreaterThan(0);
    expect(ready.httpPort).toBeGreaterThan(0);
    expect(cam1.username).toBe('park/cam1');
  });

  it('takes valid batches once, dead-letters the rest, and refuses a wrong password', async () => {
    const url = `mqtt://127.0.0.1:${ready.mqttPort}`;
    const client = await connectClient(url, cam1);
    const topic = countsTopic('park', 'cam1');
    for (const b of batches) expect(await publishOutcome(client, topic, JSON.stringify(b))).toBe('acked');
    expect(await publishOutcome(client, topic, JSON.stringify(batches[0]))).toBe('acked'); // duplicate
    expect(await publishOutcome(client, topic, '{"v":1,"batchId":')).toBe('acked'); // malformed: acked, dead letter
    expect(await publishOutcome(client, 'byliv/v1/park/cam1/frames', JSON.stringify(batches[0]))).toBe('closed'); // wrong topic
    const again = await connectClient(url, cam1);
    expect(await publishOutcome(again, countsTopic('park', 'cam2'), JSON.stringify({ ...batches[0], camera: 'cam2' }))).toBe('closed');
    await expect(connectClient(url, { ...cam1, password: 'not-it' })).rejects.toMatchObject({ code: 4 });
    await client.endAsync(true);
    await again.endAsync(true);

    const db = new Database(join(dir.path, 'hub.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT batch_id FROM count_bins ORDER BY seq').pluck().all()).toEqual(batches.map((b) => `park/cam1/${b.batchId}`)); // the key is scoped by camera
      const letters = db.prepare('SELECT topic, reason FROM dead_letters ORDER BY id').all() as { topic: string; reason: string }[];
      expect(letters.map((l) => l.topic)).toEqual([topic, 'byliv/v1/park/cam1/frames', 'byliv/v1/park/cam2/counts']);
      expect(letters[0].reason).toMatch(/^payload is not JSON/);
      expect(letters[1].reason).toBe('topic not allowed for camera park/cam1');
      expect(letters[2].reason).toBe('topic not allowed for camera park/cam1');
    } finally {
      db.close();
    }
  });

  it('serves the summary over the API, the same as `byliv-hub summary` on the file', async () => {
    const res = await fetch(`http://127.0.0.1:${ready.httpPort}/api/v1/summary?camera=cam1`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const api = CountSummary.parse(await res.json());
    // by hand from the specs above: frames 600+600+600, seconds 60+40+60, lines over classes
    expect(api).toEqual({
      frames: 1800,
      seconds: 160,
      lines: { l1: { forward: 5, backward: 7 } },
      // The fixture's batches carry empty dwell histograms: no ended visit to summarise.
      zones: { z1: { entries: 3, exits: 3, personSeconds: 13.875, maxOccupancy: 3, visits: 0, dwellHistogram: [0, 0, 0, 0, 0, 0, 0, 0, 0], stayingVisits: 0, medianDwellSeconds: null } },
    });
    const fromCli = cli('summary', '--camera', 'cam1', '--site', 'park', '--data-dir', dir.path);
    expect(fromCli.status).toBe(0);
    expect(JSON.parse(fromCli.stdout)).toEqual(api);
    expect((await fetch(`http://127.0.0.1:${ready.httpPort}/api/v1/summary?camera=cam1`)).status).toBe(401);
  });

  it('stops cleanly on SIGTERM (exit 0)', async () => {
    const exit = new Promise<number | null>((ok) => hub.once('exit', (code) => ok(code)));
    hub.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('answers a bad flag with the usage and exit 2', () => {
    const r = cli('start', '--mqtt-port', 'eighty');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--mqtt-port must be a port number/);
    expect(r.stderr).toMatch(/usage:/);
    expect(cli('camera', 'add', '--site', 'park').status).toBe(2);
    expect(cli('token', 'create', '--role', 'boss').stderr).toMatch(/--role must be one of admin, planner, researcher/);
    const tiles = cli('start', '--tile-url', 'tiles.example/{z}/{x}.png');
    expect(tiles.status).toBe(2);
    expect(tiles.stderr).toMatch(/--tile-url must be an http\(s\) URL with \{z\}, \{x\} and \{y\}/);
    const lights = cli('start', '--traffic-light-yellow', '0.4', '--traffic-light-red', '0.3');
    expect(lights.status).toBe(2);
    expect(lights.stderr).toMatch(/--traffic-light-yellow \(0.4\) must be below --traffic-light-red \(0.3\)/);
    expect(cli('start', '--traffic-light-red', 'lots').stderr).toMatch(/--traffic-light-red is a share of the municipal average/);
  });
});
