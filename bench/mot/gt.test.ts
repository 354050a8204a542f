import { describe, expect, it } from 'vitest';
import { formatMot, iou, parseMot, trajectories } from './gt.ts';

describe('parseMot', () => {
  it('reads MOTChallenge lines, skipping blanks and comments', () => {
    const boxes = parseMot('# tracks\n2,7,10.5,20,30,60,0.9,-1,-1,-1\n\n1,7,10,20,30,60,0.8,-1,-1,-1\r\n1,3,0,0,5,5\n', 't.txt');
    expect(boxes).toHaveLength(3);
    expect(boxes[0]).toEqual({ frame: 2, id: 7, left: 10.5, top: 20, width: 30, height: 60, score: 0.9 });
    expect(boxes[2].score).toBe(1); // six columns: no score given
    const [three, seven] = trajectories(boxes);
    expect(three.id).toBe(3);
    expect(seven.boxes.map((b) => b.frame)).toEqual([1, 2]);
  });

  it('round-trips through formatMot', () => {
    const boxes = parseMot('1,1,1.5,2,3,4,1,-1,-1,-1\n', 'a');
    expect(parseMot(formatMot(boxes), 'b')).toEqual(boxes);
  });

  it.each([
    ['1,2,3,4,5', /t\.txt:1: expected at least 6/],
    ['1,2,x,4,5,6', /t\.txt:1: left \(column 3\) is not a number: "x"/],
    ['0,2,3,4,5,6', /frame must be a whole number >= 1/],
    ['1,2.5,3,4,5,6', /id must be a whole number/],
    ['1,2,3,4,-5,6', /must not be negative/],
    ['1,2,3,4,5,6\n1,2,3,4,5,6', /t\.txt:2: a second box for id 2 in frame 1/],
  ])('rejects %j with a message naming the line', (text, message) => {
    expect(() => parseMot(text, 't.txt')).toThrow(message);
  });
});

describe('iou', () => {
  const b = (left: number, top: number, width: number, height: number) => ({ frame: 1, id: 1, left, top, width, height, score: 1 });
  it('is 1 for the same box, 0 for disjoint or touching boxes, and the area ratio otherwise', () => {
    expect(iou(b(0, 0, 10, 10), b(0, 0, 10, 10))).toBe(1);
    expect(iou(b(0, 0, 10, 10), b(10, 0, 10, 10))).toBe(0);
    expect(iou(b(0, 0, 10, 10), b(5, 0, 10, 10))).toBeCloseTo(50 / 150, 12);
  });
});
