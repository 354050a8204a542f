import { describe, expect, it } from 'vitest';
import { ReadBusyError, ReadGate, readDeadline, withRequestClock } from './read-gate.ts';

const limits = { concurrent: 1, queued: 2, budgetMs: 5_000 };

describe('ReadGate', () => {
  it('admits the oldest request first, not the first read to ask', async () => {
    const gate = new ReadGate(limits);
    const now = Date.now();
    const running = await gate.enter(now + 1_000);
    const order: string[] = [];
    const newer = gate.enter(now + 3_000).then((release) => (order.push('newer request, first read'), release()));
    const older = gate.enter(now + 2_000).then((release) => (order.push('older request, second read'), release()));
    running();
    await Promise.all([newer, older]);
    expect(order).toEqual(['older request, second read', 'newer request, first read']);
  });

  it('refuses a read when the line is full, and one whose deadline passes while it waits', async () => {
    const gate = new ReadGate(limits);
    const running = await gate.enter(Date.now() + 5_000);
    const late = gate.enter(Date.now() + 20);
    const queued = gate.enter(Date.now() + 5_000);
    await expect(gate.enter(Date.now() + 5_000)).rejects.toMatchObject({ why: 'busy', retryAfterSeconds: 5 });
    await expect(late).rejects.toBeInstanceOf(ReadBusyError);
    running();
    (await queued)();
  });

  it('dates a read from the request it belongs to', async () => {
    const outside = readDeadline(limits);
    expect(Math.abs(outside - (Date.now() + 5_000))).toBeLessThan(50);
    const inside = await withRequestClock(async () => {
      const first = readDeadline(limits);
      await new Promise((r) => setTimeout(r, 30));
      return [first, readDeadline(limits)];
    });
    expect(inside[1]).toBe(inside[0]); // a later read of the same request keeps its deadline
  });
});
