import { describe, expect, it } from 'vitest';
import { CountBatch } from '@byliv/protocol';
import { sampleHistory, loadSampleHistory, SAMPLE_SITE } from './index.ts';
import { openTestStore } from '../../test/stores.ts';

const DAY = 86_400_000;
const fromMs = Date.parse('2026-09-07T00:00:00Z');
const toMs = fromMs + 42 * DAY;
const installedAtMs = fromMs + 21 * DAY;
const batches = [...sampleHistory({ fromMs, toMs, installedAtMs })];

/** Share of the bench zone's visits that lasted 30 s or more (histogram bins from index 3 on). */
function stayShare(list: CountBatch[]): number {
  let stays = 0;
  let all = 0;
  for (const b of list) {
    const h = b.zones['bench-zone'].dwellHistogram;
    stays += h.slice(3).reduce((s, x) => s + x, 0);
    all += h.reduce((s, x) => s + x, 0);
  }
  return stays / all;
}

describe('sample history', () => {
  it('is deterministic and every batch is valid under the protocol', () => {
    expect([...sampleHistory({ fromMs, toMs, installedAtMs })]).toEqual(batches);
    for (const b of batches) expect(() => CountBatch.parse(b)).not.toThrow();
    expect(new Set(batches.map((b) => b.batchId)).size).toBe(batches.length);
  });

  it('has a two-day outage with no batches and one hour seen by half', () => {
    // 42 days of 96 bins, less two days of outage.
    expect(batches.length).toBe(40 * 96);
    const starts = batches.map((b) => Date.parse(b.binStart));
    const gaps = starts.slice(1).map((s, i) => s - starts[i]).filter((d) => d > 900_000);
    expect(gaps).toEqual([2 * DAY + 900_000]);
    const half = batches.filter((b) => b.quality.framesProcessed * 2 === b.quality.framesExpected);
    expect(half).toHaveLength(4);
  });

  it('has more staying visits on the bench zone after the benches arrive', () => {
    const before = batches.filter((b) => Date.parse(b.binStart) < installedAtMs);
    const after = batches.filter((b) => Date.parse(b.binStart) >= installedAtMs);
    expect(stayShare(before)).toBeLessThan(0.25);
    expect(stayShare(after)).toBeGreaterThan(0.35);
  });

  it('loads into a store once: a second load stores nothing new', async () => {
    const { store, dispose } = await openTestStore();
    try {
      const now = new Date('2026-11-20T10:30:00Z');
      const first = await loadSampleHistory(store, { now, weeks: 2 });
      expect(first.stored).toBeGreaterThan(1000);
      expect(first.duplicates).toBe(0);
      const second = await loadSampleHistory(store, { now, weeks: 2 });
      expect(second).toMatchObject({ stored: 0, duplicates: first.stored });
      expect((await store.cameras.sites()).find((s) => s.site === SAMPLE_SITE)?.name).toMatch(/eksempeldata/);
      expect((await store.scenes.current(SAMPLE_SITE, 'cam1'))?.scene.zones[0].installation).toBe('eksempel-baenke');
    } finally {
      await dispose();
    }
  });
});
