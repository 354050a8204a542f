import { describe, expect, it } from 'vitest';
import { evaluateMot } from './evaluate.ts';
import type { MotBox } from './gt.ts';

/** A 10×10 box with its top-left corner at (x, y). */
const box = (frame: number, id: number, x: number, y = 0): MotBox => ({ frame, id, left: x, top: y, width: 10, height: 10, score: 1 });
const span = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

// Two people, five frames: GT 1 stands at x=0, GT 2 at x=100.
const gt: MotBox[] = [...span(1, 5).map((f) => box(f, 1, 0)), ...span(1, 5).map((f) => box(f, 2, 100))];

describe('evaluateMot on a hand-made sequence', () => {
  it('counts one switch, one false positive and two misses as worked out by hand', () => {
    const hyp: MotBox[] = [
      // GT 1 is followed by hypothesis 10 in frames 1-2, then by 11 from frame 3: one switch.
      box(1, 10, 0), box(2, 10, 0),
      box(3, 11, 2), // 2 px off: intersection 8×10 = 80, union 120, IoU 2/3
      box(4, 11, 0), box(5, 11, 0),
      // GT 2 is followed by 20 in frames 1-3 and lost in frames 4-5: two misses.
      box(1, 20, 100), box(2, 20, 100), box(3, 20, 100),
      // Nobody at x=300: one false positive.
      box(2, 30, 300),
    ];
    const m = evaluateMot(gt, hyp);
    // Frame by frame:
    //   f1: 1-10, 2-20          f2: 1-10, 2-20, 30 unmatched (FP)
    //   f3: 1-11 (switch: last was 10), 2-20
    //   f4: 1-11, 2 missed (FN) f5: 1-11, 2 missed (FN)
    // matches 8, FP 1, FN 2, IDSW 1, numGT 10 → MOTA = 1 − (2 + 1 + 1)/10 = 0.6
    expect(m).toMatchObject({ numGt: 10, numHyp: 9, matches: 8, fp: 1, fn: 2, idsw: 1, gtIds: 2, hypIds: 4 });
    expect(m.mota).toBeCloseTo(0.6, 12);
    // MOTP (mean IoU of matches) = (7 × 1 + 2/3) / 8 = 0.958333…
    expect(m.motp).toBeCloseTo((7 + 2 / 3) / 8, 12);
    // Identity: frames each pair coincides: (1,10)=2, (1,11)=3, (2,20)=3, 30 nobody.
    // Best one-to-one: 1↔11 (3) + 2↔20 (3) → IDTP 6; IDFN = 10 − 6 = 4; IDFP = 9 − 6 = 3.
    // IDF1 = 2·6 / (2·6 + 3 + 4) = 12/19; IDP = 6/9; IDR = 6/10.
    expect(m).toMatchObject({ idtp: 6, idfp: 3, idfn: 4 });
    expect(m.idf1).toBeCloseTo(12 / 19, 12);
    expect(m.idp).toBeCloseTo(6 / 9, 12);
    expect(m.idr).toBeCloseTo(0.6, 12);
  });

  it('gives MOTA 1 and IDF1 1 for perfect tracking, whatever the hypothesis ids are', () => {
    const hyp = gt.map((b) => ({ ...b, id: b.id + 40 }));
    const m = evaluateMot(gt, hyp);
    expect(m).toMatchObject({ mota: 1, motp: 1, idf1: 1, idp: 1, idr: 1, fp: 0, fn: 0, idsw: 0, matches: 10 });
  });

  it('gives MOTA 0 and IDF1 0 for an empty hypothesis', () => {
    const m = evaluateMot(gt, []);
    expect(m).toMatchObject({ mota: 0, idf1: 0, idr: 0, fn: 10, fp: 0, idsw: 0, matches: 0, idtp: 0, idfn: 10, idfp: 0 });
    expect(m.idp).toBeNaN(); // nothing claimed, so precision is undefined
    expect(m.motp).toBeNaN();
  });

  it('charges a swap of two identities as one switch per person', () => {
    // The tracker follows both people but exchanges their labels from frame 3 on.
    const hyp = gt.map((b) => ({ ...b, id: b.frame < 3 ? b.id : 3 - b.id }));
    const m = evaluateMot(gt, hyp);
    expect(m).toMatchObject({ idsw: 2, fp: 0, fn: 0, matches: 10 });
    expect(m.mota).toBeCloseTo(1 - 2 / 10, 12);
    // Each GT shares 2 frames with one label and 3 with the other: IDTP = 3 + 3 = 6, IDF1 = 12/20.
    expect(m.idtp).toBe(6);
    expect(m.idf1).toBeCloseTo(0.6, 12);
  });

  it('does not count a switch when a person is lost and found again by the same hypothesis', () => {
    const hyp = gt.filter((b) => !(b.id === 1 && b.frame === 3)).map((b) => ({ ...b, id: b.id + 10 }));
    const m = evaluateMot(gt, hyp);
    expect(m).toMatchObject({ idsw: 0, fn: 1, fp: 0, idtp: 9 });
  });

  it('keeps the previous frame\'s correspondence while it stays above the threshold', () => {
    const g = [box(1, 1, 0), box(2, 1, 0)];
    // Frame 2: hypothesis 5 drifted 2 px (IoU 2/3), hypothesis 6 sits exactly on the person.
    const hyp = [box(1, 5, 0), box(2, 5, 2), box(2, 6, 0)];
    const m = evaluateMot(g, hyp);
    // A plain min-cost match would take 6 and count a switch; CLEAR-MOT keeps 5.
    expect(m).toMatchObject({ idsw: 0, fp: 1, matches: 2 });
    expect(m.motp).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });

  it('matches at IoU 0.5 exactly and not below', () => {
    // A 20×10 hypothesis over a 10×10 person: intersection 100, union 200, IoU exactly 0.5.
    const wide = (width: number): MotBox => ({ ...box(1, 2, 0), width });
    expect(evaluateMot([box(1, 1, 0)], [wide(20)]).matches).toBe(1);
    const below = evaluateMot([box(1, 1, 0)], [wide(20.5)]);
    expect(below).toMatchObject({ matches: 0, fp: 1, fn: 1, mota: -1 });
  });

  it('pairs people so that as many as possible are matched', () => {
    // GT 1 at x=0, GT 2 at x=4. Hypothesis 8 at x=3: IoU 70/130 = 0.54 with GT 1 and
    // 90/110 = 0.82 with GT 2. Hypothesis 9 at x=6: IoU 80/120 = 0.67 with GT 2, 40/160 with GT 1.
    // "Best IoU first" would give 8 to GT 2 and leave GT 1 unmatched; CLEAR-MOT matches both.
    const m = evaluateMot([box(1, 1, 0), box(1, 2, 4)], [box(1, 8, 3), box(1, 9, 6)]);
    expect(m).toMatchObject({ matches: 2, fp: 0, fn: 0 });
    expect(m.motp).toBeCloseTo((70 / 130 + 80 / 120) / 2, 12);
  });

  it('finds the identity matching that explains the most frames, not the greedy one', () => {
    // GT 1 at x=0 in frames 1-5, GT 2 at x=100 in frames 1-5.
    // Hypothesis A is on GT 1 in frames 1-3, then on GT 2 in frames 4-5; B is on GT 1 in 4-5.
    const hyp = [
      ...span(1, 3).map((f) => box(f, 7, 0)),
      ...span(4, 5).map((f) => box(f, 7, 100)),
      ...span(4, 5).map((f) => box(f, 8, 0)),
    ];
    const m = evaluateMot(gt, hyp);
    // Greedy would take 1↔A (3 frames) and leave nothing for GT 2: IDTP 3.
    // Best: 1↔B (2) + 2↔A (2) = 4. IDF1 = 8 / (10 + 7).
    expect(m.idtp).toBe(4);
    expect(m.idf1).toBeCloseTo(8 / 17, 12);
  });
});

describe('identity matching against brute force', () => {
  /** Small deterministic generator (mulberry32), so a failure can be replayed. */
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** Best IDTP over every one-to-one assignment of GT ids to hypothesis ids (or none). */
  function bruteIdtp(gt: MotBox[], hyp: MotBox[]): number {
    const gtIds = [...new Set(gt.map((b) => b.id))];
    const hypIds = [...new Set(hyp.map((b) => b.id))];
    const overlap = (g: number, h: number) =>
      gt.filter((a) => a.id === g && hyp.some((b) => b.id === h && b.frame === a.frame && b.left === a.left)).length;
    let best = 0;
    const walk = (i: number, used: Set<number>, sum: number): void => {
      if (i === gtIds.length) return void (best = Math.max(best, sum));
      walk(i + 1, used, sum);
      for (const h of hypIds) {
        if (used.has(h)) continue;
        used.add(h);
        walk(i + 1, used, sum + overlap(gtIds[i], h));
        used.delete(h);
      }
    };
    walk(0, new Set(), 0);
    return best;
  }

  it('finds the best IDTP on 200 random small sequences', () => {
    const next = rng(7);
    for (let round = 0; round < 200; round++) {
      // 3 people on separate spots (x = 0, 100, 200), 6 frames; the tracker covers each
      // box with probability 0.8 under one of 4 labels, and adds stray boxes at x = 300.
      const g: MotBox[] = [];
      const h: MotBox[] = [];
      for (let f = 1; f <= 6; f++) {
        const labels = [0, 1, 2, 3].sort(() => next() - 0.5);
        for (let p = 0; p < 3; p++) {
          g.push(box(f, p + 1, 100 * p));
          if (next() < 0.8) h.push(box(f, 10 + labels[p], 100 * p));
        }
        if (next() < 0.2) h.push(box(f, 10 + labels[3], 300));
      }
      const m = evaluateMot(g, h);
      expect(m.idtp, `round ${round}`).toBe(bruteIdtp(g, h));
      expect(m.matches + m.fn).toBe(g.length);
      expect(m.matches + m.fp).toBe(h.length);
    }
  });
});
