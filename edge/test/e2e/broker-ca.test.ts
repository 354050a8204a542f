/**
 * `byliv-edge run --ca FILE`: the real agent publishes to a real Mosquitto on TLS with a
 * self-signed certificate (made here by openssl) only when told to trust it; without --ca the
 * counts stay in the outbox. Plus the refusals of a bad --ca.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, TestBroker } from '../../src/publish/test-broker.ts';

const root = new URL('../../../', import.meta.url).pathname;
const video = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const scene = join(root, 'bench/scenes/pets09.json');
const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-ca-'));
const certfile = join(dir, 'broker.crt');
const keyfile = join(dir, 'broker.key');
let broker: TestBroker;
let seen: Collector;

function edge(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'edge/bin/byliv-edge.js'), 'run', '--source', video, '--scene', scene, '--quiet', '--max-frames', '20', '--bin-seconds', '1', '--drain-timeout', '10', ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, stderr: r.stderr };
}

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyfile, '-out', certfile], { stdio: 'ignore' });
  broker = await TestBroker.start({ tls: { certfile, keyfile } });
  seen = await Collector.connect(broker.url, { ca: readFileSync(certfile, 'utf8') });
});

afterAll(async () => {
  await seen?.close();
  await broker?.stop();
});

describe('byliv-edge run --ca', () => {
  it('keeps the counts queued when the broker certificate is not trusted', () => {
    const r = edge(['--broker', broker.url, '--data-dir', join(dir, 'untrusting')]);
    expect(r.stderr).toMatch(/self[- ]signed/i);
    expect(r.code).toBe(3);
    expect(seen.counts()).toHaveLength(0);
  });

  it('publishes every bin to the broker whose certificate --ca names', async () => {
    const r = edge(['--broker', broker.url, '--ca', certfile, '--data-dir', join(dir, 'trusting')]);
    expect(r.code, r.stderr).toBe(0);
    await seen.until(() => seen.counts().length >= 2);
    expect(seen.counts().every((b) => b.site === 'pets09' && b.camera === 'view1')).toBe(true);
  });

  it('refuses a --ca that is missing, not PEM, or given without mqtts://', () => {
    const notPem = join(dir, 'not.pem');
    writeFileSync(notPem, 'hello\n');
    expect(edge(['--broker', broker.url, '--ca', join(dir, 'nope.pem'), '--data-dir', join(dir, 'x')]).stderr).toMatch(/--ca .*nope\.pem: cannot read it \(ENOENT\)/);
    expect(edge(['--broker', broker.url, '--ca', notPem, '--data-dir', join(dir, 'x')]).stderr).toMatch(/no PEM certificate/);
    const plain = edge(['--broker', 'mqtt://127.0.0.1:1', '--ca', certfile]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/--ca only makes sense with an mqtts:\/\/ \(TLS\) --broker/);
  });
});
