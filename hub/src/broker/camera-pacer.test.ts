import { describe, expect, it } from 'vitest';
import { CameraPacer } from './camera-pacer.ts';

const limits = { perSecond: 10, burst: 3, maxWaitMs: 500 };

describe('CameraPacer', () => {
  it('lets a burst through, then spaces messages at the rate', () => {
    const pacer = new CameraPacer(limits);
    expect([0, 0, 0].map(() => pacer.take('a/1', 0))).toEqual([0, 0, 0]);
    expect(pacer.take('a/1', 0)).toBeCloseTo(100);
    expect(pacer.take('a/1', 0)).toBeCloseTo(200);
    expect(pacer.take('a/1', 250)).toBeCloseTo(50); // 2.5 tokens came back, 3 were promised
  });
  it('keeps cameras apart', () => {
    const pacer = new CameraPacer(limits);
    for (let i = 0; i < 8; i++) pacer.take('a/1', 0);
    expect(pacer.take('b/1', 0)).toBe(0);
  });
  it('refuses a turn beyond the longest wait and takes nothing for it', () => {
    const pacer = new CameraPacer(limits);
    const waits = Array.from({ length: 10 }, () => pacer.take('a/1', 0));
    expect(waits.slice(0, 8).every((w) => w !== null)).toBe(true);
    expect(waits.slice(8)).toEqual([null, null]); // 3 at once + 5 within 500 ms
    expect(pacer.take('a/1', 100)).toBeCloseTo(500);
  });
  it('refills to the burst and forgets idle cameras', () => {
    const pacer = new CameraPacer(limits);
    for (let i = 0; i < 5; i++) pacer.take('a/1', 0);
    pacer.sweep(100);
    expect(pacer.take('a/1', 1000)).toBe(0);
    pacer.sweep(10_000);
    expect((pacer as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(0);
  });
  it('refuses nonsense limits', () => {
    expect(() => new CameraPacer({ perSecond: 0, burst: 1, maxWaitMs: 0 })).toThrow(/pace limits/);
  });
});
