import { describe, expect, it } from 'vitest';
import { FloodSampler } from './flood-sampler.ts';

const t0 = Date.parse('2025-05-07T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);
const limits = { keepPerWindow: 3, windowMs: 60_000, maxSenders: 100 };

function offerMany(sampler: FloodSampler, sender: string, n: number, second: number) {
  return Array.from({ length: n }, (_, i) => sampler.offer(sender, `byliv/v1/${sender}/counts`, `bad ${i}`, at(second)));
}

describe('dead-letter flood sampler', () => {
  it('keeps the first of a window, counts the rest, and reports the flood once its window is over', () => {
    const sampler = new FloodSampler(limits);
    const verdicts = offerMany(sampler, 'park/cam1', 10, 0);
    expect(verdicts.map((v) => v.keep)).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(verdicts.slice(0, 3).every((v) => !v.quiet)).toBe(true); // not flooding before: logged one by one
    expect(sampler.reports(at(59))).toEqual([]);
    expect(sampler.reports(at(60))).toEqual([
      { sender: 'park/cam1', topic: 'byliv/v1/park/cam1/counts', fromMs: t0, toMs: t0 + 60_000, kept: 3, dropped: 7, lastReason: 'bad 9' },
    ]);
    expect(sampler.reports(at(61))).toEqual([]); // once
  });

  it('does not report a window that kept everything', () => {
    const sampler = new FloodSampler(limits);
    offerMany(sampler, 'park/cam1', 3, 0);
    expect(sampler.reports(at(120))).toEqual([]);
  });

  it('keeps a sender that floods on and on quiet: its reports are the only lines', () => {
    const sampler = new FloodSampler(limits);
    offerMany(sampler, 'park/cam1', 10, 0);
    const second = offerMany(sampler, 'park/cam1', 10, 61); // the next window: its first 3 kept, but quietly
    expect(second.filter((v) => v.keep)).toHaveLength(3);
    expect(second.every((v) => v.quiet)).toBe(true);
    const reports = sampler.reports(at(130));
    expect(reports.map((r) => [r.kept, r.dropped])).toEqual([[3, 7], [3, 7]]);
    // it stopped: after a window without a flood, it is logged one by one again
    expect(sampler.reports(at(200))).toEqual([]);
    expect(sampler.offer('park/cam1', 't', 'bad', at(300)).quiet).toBe(false);
  });

  it('counts each sender on its own', () => {
    const sampler = new FloodSampler(limits);
    offerMany(sampler, 'park/cam1', 10, 0);
    expect(offerMany(sampler, 'park/cam2', 3, 1).every((v) => v.keep && !v.quiet)).toBe(true);
    expect(sampler.reports(at(120)).map((r) => r.sender)).toEqual(['park/cam1']);
  });

  it('reports open floods at once with all (the hub stopping), and a forgotten sender’s flood too', () => {
    const sampler = new FloodSampler({ ...limits, maxSenders: 2 });
    offerMany(sampler, 'a/1', 5, 0);
    offerMany(sampler, 'b/1', 5, 1);
    offerMany(sampler, 'c/1', 1, 2); // a/1 is forgotten: its flood goes to the reports
    expect(sampler.reports(at(3), { all: true }).map((r) => [r.sender, r.dropped, r.toMs - r.fromMs])).toEqual([['a/1', 2, 2000], ['b/1', 2, 2000]]);
  });
});
