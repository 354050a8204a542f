import { describe, expect, it } from 'vitest';
import { chooseInputSize } from './input-size.ts';

const dynamic = { width: 416, height: 416, dynamicSize: true };

describe('model input size', () => {
  it.each([
    [{ width: 768, height: 576 }, { width: 512, height: 384 }],
    [{ width: 1920, height: 1080 }, { width: 512, height: 288 }],
    [{ width: 1080, height: 1920 }, { width: 288, height: 512 }],
    [{ width: 640, height: 640 }, { width: 512, height: 512 }],
  ])('keeps the aspect ratio of a %j camera in multiples of 32', (source, expected) => {
    expect(chooseInputSize(dynamic, source)).toEqual(expected);
  });
  it('takes another long side when asked', () => {
    expect(chooseInputSize(dynamic, { width: 768, height: 576 }, undefined, 416)).toEqual({ width: 416, height: 320 });
  });
  it('uses the fixed size of a model that takes only one', () => {
    expect(chooseInputSize({ ...dynamic, dynamicSize: false }, { width: 768, height: 576 })).toEqual({ width: 416, height: 416 });
  });
  it('does what the operator asked', () => {
    expect(chooseInputSize(dynamic, { width: 768, height: 576 }, { width: 512, height: 384 })).toEqual({ width: 512, height: 384 });
  });
});
