import { afterEach, describe, expect, it } from 'vitest';
import { countsTopic } from '@byliv/protocol';
import { createHub, type Hub } from '../app.ts';
import { addCamera } from '../admin.ts';
import { rawSql } from '../store/testing.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { connectClient, publishOutcome } from '../../test/mqtt.ts';
import { testStoreLocation } from '../../test/stores.ts';
import { RepeatedLog } from './repeated-log.ts';

describe('RepeatedLog', () => {
  it('writes a line once per window per key, then says how many were held back', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RepeatedLog({ log: (l) => lines.push(l), windowMs: 60_000, now: () => now });
    for (let i = 0; i < 1000; i++) log.note('disk full', `ingest failed on topic ${i}: disk full`);
    log.note('other', 'another failure');
    expect(lines).toEqual(['ingest failed on topic 0: disk full', 'another failure']);
    now = 61_000;
    log.note('disk full', 'ingest failed on topic x: disk full');
    expect(lines[2]).toBe('ingest failed on topic x: disk full (and 999 more like it in the 61 s before)');
    log.note('disk full', 'again');
    log.flush();
    expect(lines[3]).toBe('disk full: repeated 1 more time(s) in the last 0 s');
  });
});

let hub: Hub | undefined;
let dispose: (() => Promise<void>) | undefined;
afterEach(async () => {
  await hub?.stop();
  await dispose?.();
});

describe('embedded broker on a failing store (issue 15 row 14: 9,687 identical lines in 4 min)', () => {
  it('logs the same ingest failure once, however often cameras resend', async () => {
    const location = await testStoreLocation();
    dispose = location.dispose;
    const lines: string[] = [];
    hub = createHub({ dataDir: location.dataDir, database: location.database, mqttPort: 0, httpPort: 0, mqttHost: '127.0.0.1', httpHost: '127.0.0.1', log: (l) => lines.push(l) });
    const { mqttPort } = await hub.start();
    const creds = await addCamera(hub.store, 'park', 'cam1');
    // Every write now fails the same way, as on a full disk.
    await rawSql(hub.store).run('ALTER TABLE count_bins RENAME TO count_bins_away');
    for (let seq = 0; seq < 20; seq++) {
      const client = await connectClient(`mqtt://127.0.0.1:${mqttPort}`, creds);
      const batch = makeBatch({ seq, binStart: new Date(Date.UTC(2025, 4, 1, 10, seq)).toISOString() });
      expect(await publishOutcome(client, countsTopic('park', 'cam1'), JSON.stringify(batch))).toBe('closed');
      await client.endAsync(true);
    }
    expect(lines.filter((l) => l.startsWith('ingest failed')).length).toBe(1);
    await rawSql(hub.store).run('ALTER TABLE count_bins_away RENAME TO count_bins');
  });
});
