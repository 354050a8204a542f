import type { ModelInput } from '@byliv/models';
import { describe, expect, it } from 'vitest';
import { inputData } from './preprocess.ts';

const input = (extra: Partial<ModelInput>): ModelInput => ({
  name: 'images', width: 2, height: 1, layout: 'NHWC', pixelFormat: 'bgr24', dtype: 'uint8', dynamicBatch: true, dynamicSize: false, ...extra,
});

// A 2 x 1 frame: pixel 0 = (10, 20, 30), pixel 1 = (40, 50, 60) in the manifest's channel order.
const frame = () => Uint8Array.from([10, 20, 30, 40, 50, 60]);
const other = () => Uint8Array.from([1, 2, 3, 4, 5, 6]);

describe('inputData', () => {
  it('passes a single uint8 NHWC frame through without copying', () => {
    const f = frame();
    const got = inputData([f], input({}), 2, 1);
    expect(got.dtype).toBe('uint8');
    expect(got.data).toBe(f);
    expect(got.dims).toEqual([1, 1, 2, 3]);
  });

  it('concatenates a uint8 NHWC batch', () => {
    const got = inputData([frame(), other()], input({}), 2, 1);
    expect([...got.data]).toEqual([10, 20, 30, 40, 50, 60, 1, 2, 3, 4, 5, 6]);
    expect(got.dims).toEqual([2, 1, 2, 3]);
  });

  it('makes planes for uint8 NCHW', () => {
    const got = inputData([frame(), other()], input({ layout: 'NCHW' }), 2, 1);
    expect([...got.data]).toEqual([10, 40, 20, 50, 30, 60, 1, 4, 2, 5, 3, 6]);
    expect(got.dims).toEqual([2, 3, 1, 2]);
  });

  it('normalises float32 NCHW with per-channel mean and std', () => {
    const got = inputData([frame()], input({ dtype: 'float32', layout: 'NCHW', mean: [10, 20, 30], std: [2, 5, 10] }), 2, 1);
    expect(got.dtype).toBe('float32');
    expect([...got.data]).toEqual([0, 15, 0, 6, 0, 3]);
    expect(got.dims).toEqual([1, 3, 1, 2]);
  });

  it('normalises float32 NHWC, and without mean/std passes raw values as floats', () => {
    expect([...inputData([frame()], input({ dtype: 'float32', mean: [0, 0, 0], std: [255, 255, 255] }), 2, 1).data].map((v) => Math.round(v * 255))).toEqual([10, 20, 30, 40, 50, 60]);
    expect([...inputData([frame()], input({ dtype: 'float32' }), 2, 1).data]).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('names the frame whose size is wrong', () => {
    expect(() => inputData([frame(), Uint8Array.from([1, 2, 3])], input({}), 2, 1)).toThrow(/frame 1 of the batch has 3 bytes, expected 2 x 1 x 3 = 6/);
  });
});
