import { describe, expect, it } from 'vitest';
import { prepareGraph } from './emit.ts';
import { foldConstants, fuseConvBias } from './fold.ts';
import { halfToFloat, hostTensor, transposeTensor } from './tensor.ts';
import { parseTfjsGraph } from './tfjs-graph.ts';

describe('halfToFloat', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x0000, 0],
    [0xfc00, -Infinity],
  ])('0x%s', (bits, value) => expect(halfToFloat(bits)).toBe(value));

  it('decodes NaN', () => expect(halfToFloat(0x7e00)).toBeNaN());
});

describe('transposeTensor', () => {
  it('moves axes as perm says (output axis i = input axis perm[i])', () => {
    const t = hostTensor('float32', [2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(transposeTensor(t, [1, 0]).data)).toEqual([1, 4, 2, 5, 3, 6]);
    const hwio = hostTensor('float32', [1, 2, 2, 1], [1, 2, 3, 4]);
    expect(transposeTensor(hwio, [3, 2, 0, 1]).shape).toEqual([1, 2, 1, 2]);
  });
});

/** A model.json in TF.js's format with the given nodes and weights (float16-quantised floats). */
function model(nodes: object[], weights: { name: string; shape: number[]; dtype: 'float32' | 'int32'; values: number[] }[]) {
  const chunks: Buffer[] = [];
  for (const w of weights) {
    if (w.dtype === 'int32') chunks.push(Buffer.from(Int32Array.from(w.values).buffer));
    else {
      const halves = new Uint16Array(w.values.length);
      // Only values exactly representable in float16 are used here; encode via a lookup of known bits.
      const bits: Record<number, number> = { 0: 0x0000, 1: 0x3c00, 2: 0x4000, 0.5: 0x3800, [-1]: 0xbc00 };
      w.values.forEach((v, i) => (halves[i] = bits[v]));
      chunks.push(Buffer.from(halves.buffer));
    }
  }
  const json = {
    format: 'graph-model',
    modelTopology: { node: nodes },
    weightsManifest: [{
      paths: ['w.bin'],
      weights: weights.map((w) => ({
        name: w.name, shape: w.shape, dtype: w.dtype,
        ...(w.dtype === 'float32' ? { quantization: { dtype: 'float16', original_dtype: 'float32' } } : {}),
      })),
    }],
    signature: { outputs: { 'out:0': {} } },
  };
  return { json, weights: Buffer.concat(chunks) };
}

const constNode = (name: string, dtype = 'DT_INT32') => ({ name, op: 'Const', attr: { dtype: { type: dtype } } });

describe('parseTfjsGraph + foldConstants', () => {
  it('dequantises float16 weights and folds SparseToDense over empty indices into shape arithmetic', () => {
    // The pattern NanoDet's head uses for its reshape targets: [1,80,-1] + SparseToDense(no indices) = [1,80,-1].
    const { json, weights } = model(
      [
        { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '1' }, { size: '80' }, { size: '2' }, { size: '2' }] } } } },
        constNode('where', 'DT_INT64'), constNode('dense_shape', 'DT_INT64'), constNode('values', 'DT_INT64'), constNode('zero', 'DT_INT64'),
        constNode('target', 'DT_INT64'), constNode('scale', 'DT_FLOAT'),
        { name: 'std', op: 'SparseToDense', input: ['where', 'dense_shape', 'values', 'zero'], attr: {} },
        { name: 'shape', op: 'AddV2', input: ['target', 'std'], attr: {} },
        { name: 'flat', op: 'Reshape', input: ['x', 'shape'], attr: {} },
        { name: 'out', op: 'Mul', input: ['flat', 'scale'], attr: {} },
      ],
      [
        { name: 'where', shape: [0, 1], dtype: 'int32', values: [] },
        { name: 'dense_shape', shape: [1], dtype: 'int32', values: [3] },
        { name: 'values', shape: [0], dtype: 'int32', values: [] },
        { name: 'zero', shape: [], dtype: 'int32', values: [0] },
        { name: 'target', shape: [3], dtype: 'int32', values: [1, 80, -1] },
        { name: 'scale', shape: [2], dtype: 'float32', values: [0.5, -1] },
      ],
    );
    const graph = parseTfjsGraph(json, weights, 'tiny.json');
    expect(Array.from(graph.consts.get('scale:0')!.data)).toEqual([0.5, -1]);
    expect(graph.consts.get('target:0')!.dtype).toBe('int64'); // TF.js stores int64 as int32
    expect(graph.inputs).toEqual([{ name: 'x', shape: [1, 80, 2, 2] }]);
    foldConstants(graph);
    expect(graph.nodes.map((n) => n.op)).toEqual(['Placeholder', 'Reshape', 'Mul']);
    expect(Array.from(graph.consts.get('shape:0')!.data)).toEqual([1, 80, -1]);
  });

  it('names the file and the weight when the weight data is short', () => {
    const { json, weights } = model([constNode('a', 'DT_FLOAT')], [{ name: 'a', shape: [4], dtype: 'float32', values: [1, 1, 1, 1] }]);
    expect(() => parseTfjsGraph(json, weights.subarray(0, 6), 'short.json')).toThrow(/short\.json: weightsManifest weights\[0\] \(a\): weight data ends/);
    expect(() => parseTfjsGraph({ modelTopology: {} }, weights, 'broken.json')).toThrow(/broken\.json: modelTopology\.node/);
  });

  it('fuses a conv bias Add into the Conv2D and refuses ops it cannot convert', () => {
    const { json, weights } = model(
      [
        { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '1' }, { size: '4' }, { size: '4' }, { size: '1' }] } } } },
        constNode('filter', 'DT_FLOAT'), constNode('bias', 'DT_FLOAT'),
        { name: 'conv', op: 'Conv2D', input: ['x', 'filter'], attr: { strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: Buffer.from('VALID').toString('base64') } } },
        { name: 'out', op: 'Add', input: ['conv', 'bias'], attr: {} },
      ],
      [
        { name: 'filter', shape: [1, 1, 1, 2], dtype: 'float32', values: [1, 2] },
        { name: 'bias', shape: [2], dtype: 'float32', values: [0.5, 1] },
      ],
    );
    const graph = fuseConvBias(parseTfjsGraph(json, weights));
    expect(graph.nodes.map((n) => `${n.op}(${n.inputs.join(',')})`)).toEqual(['Placeholder()', 'Conv2D(x:0,filter:0,bias:0)']);
    expect(graph.outputs).toEqual(['conv:0']);

    const odd = parseTfjsGraph(json, weights);
    odd.nodes[1].op = 'Softplus';
    expect(() => prepareGraph(odd)).toThrow(/does not support: Softplus/);
  });
});
