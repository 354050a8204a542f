import { describe, expect, it } from 'vitest';
import ort from '../onnx-runtime/index.ts';
import { GraphBuilder } from './graph.ts';
import { optimizeGraph } from './optimize.ts';
import { encodeModel } from './proto.ts';

function model(g: GraphBuilder): Uint8Array {
  return encodeModel({ irVersion: 8, opsetVersion: 17, producerName: 'test', producerVersion: '0', graph: g.build('test') });
}

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

describe('ONNX model writer', () => {
  it('writes a graph ONNX Runtime runs: Add with an initializer, Reshape with a negative int64', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'FLOAT', [2, 3]);
    const b = g.input('b', 'FLOAT', ['N', 3]);
    const [sum] = g.node('Add', [a, b]);
    const [shifted] = g.node('Add', [sum, g.initializer('c', 'FLOAT', [3], [10, 20, 30])]);
    g.node('Reshape', [shifted, g.int64s('flat', [-1])], {}, { outputs: ['y'] });
    g.output('y', 'FLOAT', [6]);
    const out = await run(model(g), {
      a: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]),
      b: new ort.Tensor('float32', Float32Array.from([0.5, 0.5, 0.5, -1, -1, -1]), [2, 3]),
    });
    expect(out.y.dims).toEqual([6]);
    expect(Array.from(out.y.data as Float32Array)).toEqual([11.5, 22.5, 33.5, 13, 24, 35]);
  });

  it('writes float and string attributes (LeakyRelu alpha, Pad mode)', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'FLOAT', [1, 4]);
    const [padded] = g.node('Pad', [x, g.int64s('pads', [0, 1, 0, 0])], { mode: { type: 'string', value: 'edge' } });
    g.node('LeakyRelu', [padded], { alpha: { type: 'float', value: 0.25 } }, { outputs: ['y'] });
    g.output('y', 'FLOAT', [1, 5]);
    const out = await run(model(g), { x: new ort.Tensor('float32', Float32Array.from([-4, 8, -2, 1]), [1, 4]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([-1, -1, 8, -0.5, 1]);
  });
});

describe('graph clean-up passes', () => {
  /** x NCHW -> Pad 1 -> to NHWC -> to NCHW -> Conv 3x3 -> Transpose pair -> LeakyRelu; the literal shape of a converted TF op. */
  function literalGraph(): GraphBuilder {
    const g = new GraphBuilder();
    const x = g.input('x', 'FLOAT', [1, 2, 5, 5]);
    const [padded] = g.node('Pad', [x, g.int64s('pads', [0, 0, 1, 1, 0, 0, 1, 1])], { mode: { type: 'string', value: 'constant' } });
    const [nhwc] = g.node('Transpose', [padded], { perm: { type: 'ints', value: [0, 2, 3, 1] } });
    const [nchw] = g.node('Transpose', [nhwc], { perm: { type: 'ints', value: [0, 3, 1, 2] } });
    const weights = Float32Array.from({ length: 3 * 2 * 3 * 3 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
    const [conv] = g.node('Conv', [nchw, g.initializer('w', 'FLOAT', [3, 2, 3, 3], weights)], {
      kernel_shape: { type: 'ints', value: [3, 3] },
      pads: { type: 'ints', value: [0, 0, 0, 0] },
    });
    const [back] = g.node('Transpose', [conv], { perm: { type: 'ints', value: [0, 2, 3, 1] } });
    const [again] = g.node('Transpose', [back], { perm: { type: 'ints', value: [0, 3, 1, 2] } });
    g.node('LeakyRelu', [again], { alpha: { type: 'float', value: 0.1 } }, { outputs: ['y'] });
    g.output('y', 'FLOAT', [1, 3, 5, 5]);
    return g;
  }

  it('cancels inverse transposes and folds the zero Pad into the Conv, without changing the result', async () => {
    const x = new ort.Tensor('float32', Float32Array.from({ length: 50 }, (_, i) => Math.sin(i)), [1, 2, 5, 5]);
    const before = await run(model(literalGraph()), { x });
    const g = literalGraph();
    const report = optimizeGraph(g);
    expect(report).toMatchObject({ transposes: 2, pads: 1 });
    expect(g.nodes.map((n) => n.opType)).toEqual(['Conv', 'LeakyRelu']);
    expect(g.nodes[0].attributes.pads).toEqual({ type: 'ints', value: [1, 1, 1, 1] });
    const after = await run(model(g), { x });
    expect(after.y.dims).toEqual([1, 3, 5, 5]);
    expect(Array.from(after.y.data as Float32Array)).toEqual(Array.from(before.y.data as Float32Array));
  });

  it('keeps a Pad whose value is not the neutral one for its reader', () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'FLOAT', [1, 1, 4, 4]);
    const [padded] = g.node('Pad', [x, g.int64s('pads', [0, 0, 1, 1, 0, 0, 1, 1]), g.initializer('v', 'FLOAT', [], [0])]);
    g.node('MaxPool', [padded], { kernel_shape: { type: 'ints', value: [3, 3] } }, { outputs: ['y'] });
    g.output('y', 'FLOAT', [1, 1, 4, 4]);
    optimizeGraph(g);
    expect(g.nodes.map((n) => n.opType)).toEqual(['Pad', 'MaxPool']);
  });
});
