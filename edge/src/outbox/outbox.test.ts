/** The outbox against real SQLite files in a temp folder, including a killed process and a full disk. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { batchIdFor, type CountBatch } from '@byliv/protocol';
import { Outbox, outboxPath, type OutboxDrop } from './index.ts';

function sampleBatch(seq: number, camera = 'cam1'): CountBatch {
  const binStart = new Date(Date.UTC(2026, 4, 1, 12, 0) + seq * 60_000).toISOString();
  return {
    v: 1,
    batchId: batchIdFor('square', camera, binStart),
    site: 'square',
    camera,
    seq,
    binStart,
    binSeconds: 60,
    lines: { entrance: { forward: { person: seq, cyclist: 0 }, backward: { person: 1, cyclist: 2 } } },
    zones: {},
    flows: [],
    quality: { framesProcessed: 600, framesExpected: 600, gapSeconds: 0 },
  };
}

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'byliv-outbox-'));
  dirs.push(dir);
  return outboxPath(join(dir, 'data'), 'square', 'cam1');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const roomy = { maxRows: 1000, maxAgeSeconds: 86_400 };

describe('Outbox', () => {
  it('keeps batches in enqueue order until they are acked', () => {
    const box = Outbox.open(tempFile(), roomy);
    for (const seq of [0, 1, 2, 3]) box.enqueue(sampleBatch(seq));
    expect(box.depth()).toBe(4);
    const first = box.peek(2);
    expect(first.map((q) => q.batch.seq)).toEqual([0, 1]);
    expect(box.peek(2)).toEqual(first); // peeking takes nothing away
    expect(box.ack([first[0].id])).toBe(1);
    expect(box.peek(10).map((q) => q.batch.seq)).toEqual([1, 2, 3]);
    expect(box.ack(box.peek(10).map((q) => q.id))).toBe(3);
    expect(box.depth()).toBe(0);
    expect(box.peek(10)).toEqual([]);
    expect(box.ack([first[0].id])).toBe(0); // a second ack of the same row (after a resend) is harmless
    box.close();
  });

  it('gives back exactly the batch it was given', () => {
    const box = Outbox.open(tempFile(), roomy);
    box.enqueue(sampleBatch(7));
    expect(box.peek(1)[0].batch).toEqual(sampleBatch(7));
    box.close();
  });

  it('refuses an invalid batch and names the field', () => {
    const box = Outbox.open(tempFile(), roomy);
    const withTracks = { ...sampleBatch(0), tracks: [{ id: 3, box: [1, 2, 3, 4] }] } as unknown as CountBatch;
    expect(() => box.enqueue(withTracks)).toThrow(/refusing an invalid count batch:\n.*tracks/);
    expect(() => box.enqueue({ ...sampleBatch(0), seq: -1 })).toThrow(/seq:/);
    expect(box.depth()).toBe(0);
    box.close();
  });

  it('ignores a replayed batchId and does not wake listeners for it', () => {
    const box = Outbox.open(tempFile(), roomy);
    let woken = 0;
    box.onEnqueued(() => woken++);
    box.enqueue(sampleBatch(0));
    box.enqueue(sampleBatch(0));
    box.enqueue({ ...sampleBatch(0), seq: 5 }); // same bin again after a restart: same batchId
    expect(box.depth()).toBe(1);
    expect(woken).toBe(1);
    expect(box.lastSeq()).toBe(0);
    box.close();
  });

  it('lets a complete bin replace the partial one queued under its id, never the other way round', () => {
    const box = Outbox.open(tempFile(), roomy);
    const partial = { ...sampleBatch(0), partial: true as const, quality: { framesProcessed: 200, framesExpected: 600, gapSeconds: 0 } };
    box.enqueue(partial);
    const inFlight = box.peek(1)[0];
    box.enqueue(sampleBatch(0));
    expect(box.depth()).toBe(1);
    expect(box.peek(1)[0].batch).toEqual(sampleBatch(0));
    expect(box.ack([inFlight.id])).toBe(0); // the partial one's late ack leaves the complete one queued
    box.enqueue(partial);
    expect(box.peek(10).map((q) => q.batch)).toEqual([sampleBatch(0)]);
    box.close();
  });

  it('keeps queued batches, the last seq and the dropped count across a reopen', () => {
    const path = tempFile();
    const box = Outbox.open(path, { maxRows: 2, maxAgeSeconds: 86_400 });
    expect(box.lastSeq()).toBeNull();
    for (const seq of [3, 4, 5]) box.enqueue(sampleBatch(seq));
    box.close();
    const again = Outbox.open(path, { maxRows: 2, maxAgeSeconds: 86_400 });
    expect(again.peek(10).map((q) => q.batch.seq)).toEqual([4, 5]);
    expect(again.lastSeq()).toBe(5);
    expect(again.dropped()).toBe(1);
    expect(again.depth()).toBe(2);
    again.close();
  });

  it('keeps an enqueued batch when the process is killed right after enqueue', () => {
    const path = tempFile();
    const outboxModule = new URL('./index.ts', import.meta.url).pathname;
    const script = `
      import { Outbox } from ${JSON.stringify(outboxModule)};
      const box = Outbox.open(${JSON.stringify(path)}, { maxRows: 10, maxAgeSeconds: 60 });
      box.enqueue(${JSON.stringify(sampleBatch(42))});
      process.kill(process.pid, 'SIGKILL'); // no close, no exit handlers: as a crash
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const box = Outbox.open(path, roomy);
    expect(box.peek(10).map((q) => q.batch.seq)).toEqual([42]);
    expect(box.lastSeq()).toBe(42);
    box.close();
  });

  it('drops the oldest batches beyond maxRows and counts them', () => {
    const box = Outbox.open(tempFile(), { maxRows: 3, maxAgeSeconds: 86_400 });
    for (let seq = 0; seq < 5; seq++) box.enqueue(sampleBatch(seq));
    expect(box.peek(10).map((q) => q.batch.seq)).toEqual([2, 3, 4]);
    expect(box.dropped()).toBe(2);
    expect(box.depth()).toBe(3);
    box.close();
  });

  it('drops batches enqueued longer than maxAgeSeconds ago, on enqueue and on open', () => {
    const path = tempFile();
    let now = Date.UTC(2026, 4, 1, 12, 0);
    const bounds = { maxRows: 100, maxAgeSeconds: 60, now: () => now };
    const box = Outbox.open(path, bounds);
    box.enqueue(sampleBatch(0));
    now += 30_000;
    box.enqueue(sampleBatch(1));
    now += 31_000; // batch 0 is now 61 s old, batch 1 31 s
    box.enqueue(sampleBatch(2));
    expect(box.peek(10).map((q) => q.batch.seq)).toEqual([1, 2]);
    expect(box.dropped()).toBe(1);
    box.close();
    now += 3_600_000;
    const later = Outbox.open(path, bounds);
    expect(later.depth()).toBe(0);
    expect(later.dropped()).toBe(3);
    expect(later.lastSeq()).toBe(2); // seq stays monotonic even when everything was dropped
    later.close();
  });

  it('drops the oldest batches, counted and told, when the disk has no room; never refuses the newest', () => {
    const path = tempFile();
    // A 12-page cap stands in for a full disk: SQLite answers SQLITE_FULL either way.
    const box = Outbox.open(path, { maxRows: 100_000, maxAgeSeconds: 86_400, maxBytes: 12 * 4096 });
    const drops: OutboxDrop[] = [];
    box.onDropped((d) => drops.push(d));
    const total = 400;
    for (let seq = 0; seq < total; seq++) expect(box.enqueue(sampleBatch(seq))).toBe(true);
    expect(box.dropped()).toBeGreaterThan(0);
    expect(drops.every((d) => d.reason === 'disk-full')).toBe(true);
    expect(drops.reduce((n, d) => n + d.count, 0)).toBe(box.dropped());
    expect(box.depth() + box.dropped()).toBe(total);
    // What is kept is the newest, in order, and the count of the rest survives a restart.
    const kept = box.peek(total).map((q) => q.batch.seq);
    expect(kept).toEqual([...Array(box.depth()).keys()].map((i) => total - box.depth() + i));
    expect(box.lastSeq()).toBe(total - 1);
    const dropped = box.dropped();
    box.close();
    const again = Outbox.open(path, { maxRows: 100_000, maxAgeSeconds: 86_400, maxBytes: 12 * 4096 });
    expect(again.dropped()).toBe(dropped);
    again.close();
  });

  it('tells its listener about drops by the bounds too, including those made on open', () => {
    let now = 0;
    const path = tempFile();
    const box = Outbox.open(path, { maxRows: 2, maxAgeSeconds: 60, now: () => now });
    const drops: OutboxDrop[] = [];
    box.onDropped((d) => drops.push(d));
    for (const seq of [0, 1, 2]) box.enqueue(sampleBatch(seq));
    expect(drops).toEqual([{ reason: 'max-batches', count: 1, total: 1 }]);
    box.close();
    now = 61_000;
    const later = Outbox.open(path, { maxRows: 2, maxAgeSeconds: 60, now: () => now });
    const seen: OutboxDrop[] = [];
    later.onDropped((d) => seen.push(d));
    expect(seen).toEqual([{ reason: 'max-age', count: 2, total: 3 }]);
    later.close();
  });

  it('refuses a file written by another schema version, naming it', () => {
    const path = tempFile();
    Outbox.open(path, roomy).close();
    const raw = new Database(path);
    raw.pragma('user_version = 9');
    raw.close();
    expect(() => Outbox.open(path, roomy)).toThrow(new RegExp(`${path.replace(/[.]/g, '\\.')} has schema version 9`));
  });

  it('refuses nonsense bounds', () => {
    expect(() => Outbox.open(tempFile(), { maxRows: 0, maxAgeSeconds: 60 })).toThrow(/maxRows must be a positive whole number/);
  });

  it('names the file it cannot open', () => {
    const blocker = tempFile();
    execFileSync('mkdir', ['-p', blocker]); // a folder where the file should be
    expect(() => Outbox.open(blocker, roomy)).toThrow(new RegExp(`cannot open the outbox ${blocker.replace(/[.]/g, '\\.')}`));
  });
});
