/**
 * How fast a backlog drains for each publish window, on a real Mosquitto, directly and through
 * a proxy that delays each direction (a mobile uplink). Prints a table; asserts nothing.
 *   npx tsx edge/src/publish/measure-window.ts [batches=1000] [oneWayDelayMs=25]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchIdFor, type CountBatch } from '@byliv/protocol';
import { Outbox } from '../outbox/index.ts';
import { Publisher } from './publisher.ts';
import { freePort, TestBroker } from './test-broker.ts';

const batches = Number(process.argv[2] ?? 1000);
const oneWayDelayMs = Number(process.argv[3] ?? 25);

function batch(seq: number): CountBatch {
  const binStart = new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString();
  return {
    v: 1, batchId: batchIdFor('bench', 'cam', binStart), site: 'bench', camera: 'cam', seq, binStart, binSeconds: 60,
    lines: { a: { forward: { person: 3, cyclist: 1 }, backward: { person: 2, cyclist: 0 } } },
    zones: {}, flows: [], quality: { framesProcessed: 600, framesExpected: 600, gapSeconds: 0 },
  };
}

/** Forwards TCP to `target`, holding every chunk `delayMs` in each direction, order kept. */
async function delayProxy(target: number, delayMs: number): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const relay = (from: Socket, to: Socket) => from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
  const server = createServer((client) => {
    const upstream = tcpConnect(target, '127.0.0.1');
    relay(client, upstream);
    relay(upstream, client);
    const close = () => setTimeout(() => (client.destroy(), upstream.destroy()), delayMs);
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

async function drainSeconds(port: number, window: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'byliv-window-'));
  const outbox = Outbox.open(join(dir, 'outbox.sqlite'), { maxRows: 1_000_000, maxAgeSeconds: 86_400 });
  for (let seq = 0; seq < batches; seq++) outbox.enqueue(batch(seq));
  let connected!: () => void;
  const ready = new Promise<void>((r) => (connected = r));
  const publisher = new Publisher({ url: `mqtt://127.0.0.1:${port}`, clientId: `bench-${window}`, site: 'bench', camera: 'cam', outbox, window, onEvent: (e) => e.kind === 'connected' && connected() });
  const started = performance.now();
  publisher.start();
  await ready;
  const result = await publisher.drain(600_000);
  const seconds = (performance.now() - started) / 1000;
  await publisher.stop();
  outbox.close();
  rmSync(dir, { recursive: true, force: true });
  if (result.queued !== 0) throw new Error(`window ${window}: ${result.queued} left`);
  return seconds;
}

const broker = await TestBroker.start();
const proxy = await delayProxy(broker.port, oneWayDelayMs);
console.log(`${batches} queued batches, Mosquitto on localhost; "delayed" adds ${oneWayDelayMs} ms each way`);
console.log('window | direct s | batches/s | delayed s | batches/s');
for (const window of [1, 2, 4, 8, 16, 32]) {
  const direct = await drainSeconds(broker.port, window);
  const delayed = await drainSeconds(proxy.port, window);
  console.log(`${String(window).padStart(6)} | ${direct.toFixed(2).padStart(8)} | ${(batches / direct).toFixed(0).padStart(9)} | ${delayed.toFixed(2).padStart(9)} | ${(batches / delayed).toFixed(0).padStart(9)}`);
}
proxy.server.close();
await broker.stop();
