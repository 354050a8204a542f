import { describe, expect, it } from 'vitest';
import { chooseInputSize, chooseInputSizes } from './input-size.ts';

const dynamic = { width: 416, height: 416, dynamicSize: true };

describe('fine pass input size', () => {
  it.each([
    [{ width: 768, height: 576 }, { width: 512, height: 384 }],
    // Wide frames keep a short side of 320 (the model's training size), not 288 or 160.
    [{ width: 1920, height: 1080 }, { width: 576, height: 320 }],
    [{ width: 1080, height: 1920 }, { width: 320, height: 576 }],
    [{ width: 1242, height: 375 }, { width: 1056, height: 320 }],
    [{ width: 640, height: 640 }, { width: 512, height: 512 }],
    // A small camera is never upscaled past its own size (rounded to the stride).
    [{ width: 320, height: 240 }, { width: 320, height: 256 }],
  ])('keeps the aspect ratio of a %j camera in multiples of 32', (source, expected) => {
    expect(chooseInputSize(dynamic, source)).toEqual(expected);
  });
  it('takes another long side when asked', () => {
    expect(chooseInputSize(dynamic, { width: 832, height: 640 }, undefined, 416)).toEqual({ width: 416, height: 320 });
  });
  it('uses the fixed size of a model that takes only one', () => {
    expect(chooseInputSize({ ...dynamic, dynamicSize: false }, { width: 768, height: 576 })).toEqual({ width: 416, height: 416 });
  });
  it('does what the operator asked', () => {
    expect(chooseInputSize(dynamic, { width: 768, height: 576 }, { width: 416, height: 320 })).toEqual({ width: 416, height: 320 });
  });
});

describe('fine and coarse passes', () => {
  it.each([
    [{ width: 768, height: 576 }, { width: 512, height: 384 }, { width: 320, height: 256 }],
    [{ width: 1242, height: 375 }, { width: 1056, height: 320 }, { width: 672, height: 192 }],
    [{ width: 1920, height: 1080 }, { width: 576, height: 320 }, { width: 352, height: 192 }],
  ])('a %j camera gets %j and a coarse %j', (source, fine, coarse) => {
    expect(chooseInputSizes(dynamic, source)).toEqual({ fine, coarse });
  });
  it('scales the coarse pass from an operator-chosen fine size', () => {
    expect(chooseInputSizes(dynamic, { width: 768, height: 576 }, { requested: { width: 640, height: 480 } })).toEqual({ fine: { width: 640, height: 480 }, coarse: { width: 416, height: 288 } });
  });
  it('runs one pass when asked, or when the model takes one size only', () => {
    expect(chooseInputSizes(dynamic, { width: 768, height: 576 }, { scales: 1 })).toEqual({ fine: { width: 512, height: 384 } });
    expect(chooseInputSizes({ ...dynamic, dynamicSize: false }, { width: 768, height: 576 })).toEqual({ fine: { width: 416, height: 416 } });
  });
  it('drops a coarse pass that would not be smaller than the fine one', () => {
    expect(chooseInputSizes(dynamic, { width: 40, height: 30 })).toEqual({ fine: { width: 32, height: 32 } });
  });
});
