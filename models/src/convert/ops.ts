/**
 * One converter per TF op: each reads its TF node and appends the equivalent ONNX nodes
 * (opset 17). NHWC ops are emitted as Transpose -> NCHW op -> Transpose; the optimiser then
 * cancels the transposes against the ones the TF graph already has around them.
 */
import type { GraphBuilder } from '../onnx/graph.ts';
import { attrBool, attrFloat, attrInts, attrString, type TfGraph, type TfNode } from './tfjs-graph.ts';
import { transposeTensor } from './tensor.ts';
import type { Shapes } from './shapes.ts';

export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

export interface EmitContext {
  g: GraphBuilder;
  graph: TfGraph;
  shapes: Shapes;
  /** ONNX tensor holding a TF tensor; constants become initializers on first use. */
  tensor(tfName: string): string;
  /** Records which ONNX tensor carries a TF tensor. */
  define(tfName: string, onnxName: string): void;
  constInts(tfName: string): number[];
  shape(tfName: string): number[];
}

type OpConverter = (node: TfNode, ctx: EmitContext) => void;

const out = (node: TfNode, index = 0): string => `${node.name}:${index}`;

function isNhwc(node: TfNode): boolean {
  return (attrString(node, 'data_format') ?? 'NHWC') === 'NHWC';
}

/** Runs `emit` on NCHW data for an NHWC node, transposing in and out. */
function inNchw(node: TfNode, ctx: EmitContext, input: string, emit: (nchw: string) => string): void {
  if (!isNhwc(node)) {
    ctx.define(out(node), emit(input));
    return;
  }
  const [nchw] = ctx.g.node('Transpose', [input], { perm: { type: 'ints', value: TO_NCHW } }, { name: `${node.name}/to_nchw` });
  const result = emit(nchw);
  const [nhwc] = ctx.g.node('Transpose', [result], { perm: { type: 'ints', value: TO_NHWC } }, { name: `${node.name}/to_nhwc` });
  ctx.define(out(node), nhwc);
}

/** Spatial (H, W) entries of a 4-element NHWC/NCHW attribute list. */
function spatial(node: TfNode, values: number[]): [number, number] {
  return isNhwc(node) ? [values[1], values[2]] : [values[2], values[3]];
}

/** ONNX `pads`/`auto_pad` for TF's padding attribute. */
function padding(node: TfNode): Record<string, { type: 'ints'; value: number[] } | { type: 'string'; value: string }> {
  const mode = attrString(node, 'padding') ?? 'VALID';
  if (mode === 'SAME') return { auto_pad: { type: 'string', value: 'SAME_UPPER' } }; // TF puts the odd pixel at the end
  if (mode === 'EXPLICIT') {
    const p = attrInts(node, 'explicit_paddings') ?? [];
    const [h, w] = isNhwc(node) ? [1, 2] : [2, 3];
    return { pads: { type: 'ints', value: [p[2 * h], p[2 * w], p[2 * h + 1], p[2 * w + 1]] } };
  }
  return { pads: { type: 'ints', value: [0, 0, 0, 0] } };
}

const conv2d: OpConverter = (node, ctx) => {
  const filter = ctx.graph.consts.get(node.inputs[1]);
  if (!filter) throw new Error(`Conv2D ${node.name}: only constant filters are supported`);
  const channelsPerGroup = filter.shape[2];
  const inShape = ctx.shape(node.inputs[0]);
  const channelsIn = isNhwc(node) ? inShape[3] : inShape[1];
  const weights = transposeTensor(filter, [3, 2, 0, 1]); // HWIO -> OIHW
  const w = ctx.g.initializer(`${node.name}/weights`, 'FLOAT', weights.shape, weights.data);
  const inputs = [w];
  if (node.inputs[2]) inputs.push(ctx.tensor(node.inputs[2]));
  const attrs = {
    strides: { type: 'ints' as const, value: spatial(node, attrInts(node, 'strides') ?? [1, 1, 1, 1]) },
    dilations: { type: 'ints' as const, value: spatial(node, attrInts(node, 'dilations') ?? [1, 1, 1, 1]) },
    kernel_shape: { type: 'ints' as const, value: [filter.shape[0], filter.shape[1]] },
    group: { type: 'int' as const, value: channelsIn / channelsPerGroup },
    ...padding(node),
  };
  if (!Number.isInteger(attrs.group.value)) {
    throw new Error(`Conv2D ${node.name}: ${channelsIn} input channels do not split into groups of ${channelsPerGroup}`);
  }
  inNchw(node, ctx, ctx.tensor(node.inputs[0]), (x) => ctx.g.node('Conv', [x, ...inputs], attrs, { name: node.name })[0]);
};

const maxPool: OpConverter = (node, ctx) => {
  const attrs = {
    kernel_shape: { type: 'ints' as const, value: spatial(node, attrInts(node, 'ksize') ?? []) },
    strides: { type: 'ints' as const, value: spatial(node, attrInts(node, 'strides') ?? [1, 1, 1, 1]) },
    ...padding(node),
  };
  inNchw(node, ctx, ctx.tensor(node.inputs[0]), (x) => ctx.g.node('MaxPool', [x], attrs, { name: node.name })[0]);
};

const pad: OpConverter = (node, ctx) => {
  const p = ctx.constInts(node.inputs[1]); // [[before, after] per axis]
  const rank = p.length / 2;
  const pads = [...Array.from({ length: rank }, (_, i) => p[2 * i]), ...Array.from({ length: rank }, (_, i) => p[2 * i + 1])];
  const inputs = [ctx.tensor(node.inputs[0]), ctx.g.int64s(`${node.name}/pads`, pads)];
  if (node.op === 'PadV2') {
    const value = ctx.graph.consts.get(node.inputs[2]);
    if (!value) throw new Error(`PadV2 ${node.name}: constant_values must be a constant`);
    inputs.push(ctx.g.initializer(`${node.name}/value`, 'FLOAT', [], [value.data[0]]));
  }
  const [y] = ctx.g.node('Pad', inputs, { mode: { type: 'string', value: 'constant' } }, { name: node.name });
  ctx.define(out(node), y);
};

const transpose: OpConverter = (node, ctx) => {
  const perm = ctx.constInts(node.inputs[1]);
  ctx.define(out(node), ctx.g.node('Transpose', [ctx.tensor(node.inputs[0])], { perm: { type: 'ints', value: perm } }, { name: node.name })[0]);
};

const binary = (onnxOp: string): OpConverter => (node, ctx) => {
  const [y] = ctx.g.node(onnxOp, [ctx.tensor(node.inputs[0]), ctx.tensor(node.inputs[1])], {}, { name: node.name });
  ctx.define(out(node), y);
};

const unary = (onnxOp: string): OpConverter => (node, ctx) => {
  ctx.define(out(node), ctx.g.node(onnxOp, [ctx.tensor(node.inputs[0])], {}, { name: node.name })[0]);
};

const leakyRelu: OpConverter = (node, ctx) => {
  const alpha = attrFloat(node, 'alpha') ?? 0.2; // TF's default
  ctx.define(out(node), ctx.g.node('LeakyRelu', [ctx.tensor(node.inputs[0])], { alpha: { type: 'float', value: alpha } }, { name: node.name })[0]);
};

const concat: OpConverter = (node, ctx) => {
  const values = node.inputs.slice(0, -1);
  const rank = ctx.shape(values[0]).length;
  const axis = (ctx.constInts(node.inputs[node.inputs.length - 1])[0] + rank) % rank;
  ctx.define(out(node), ctx.g.node('Concat', values.map((v) => ctx.tensor(v)), { axis: { type: 'int', value: axis } }, { name: node.name })[0]);
};

/**
 * TF gives the output size; ONNX gets the scale factor instead, so the resize follows the
 * input when the graph runs at another input size.
 */
const resize: OpConverter = (node, ctx) => {
  const [, inH, inW] = ctx.shape(node.inputs[0]);
  const [outH, outW] = ctx.constInts(node.inputs[1]);
  const scales = ctx.g.initializer(`${node.name}/scales`, 'FLOAT', [4], [1, 1, outH / inH, outW / inW]);
  const transform = attrBool(node, 'align_corners') ? 'align_corners' : attrBool(node, 'half_pixel_centers') ? 'half_pixel' : 'asymmetric';
  const attrs = {
    mode: { type: 'string' as const, value: 'linear' },
    coordinate_transformation_mode: { type: 'string' as const, value: transform },
  };
  inNchw(node, ctx, ctx.tensor(node.inputs[0]), (x) => ctx.g.node('Resize', [x, '', scales], attrs, { name: node.name })[0]);
};

const splitV: OpConverter = (node, ctx) => {
  const inShape = ctx.shape(node.inputs[0]);
  const axis = (ctx.constInts(node.inputs[2])[0] + inShape.length) % inShape.length;
  const count = ctx.constInts(node.inputs[1]).length;
  const sizes = Array.from({ length: count }, (_, k) => ctx.shape(out(node, k))[axis]);
  const outputs = ctx.g.node('Split', [ctx.tensor(node.inputs[0]), ctx.g.int64s(`${node.name}/sizes`, sizes)], { axis: { type: 'int', value: axis } }, { name: node.name, outputs: count });
  outputs.forEach((o, k) => ctx.define(out(node, k), o));
};

/**
 * The batch entry of a reshape target becomes 0 ("copy from the input"), which keeps the
 * batch dimension dynamic; TF.js graphs are traced at batch 1.
 */
const reshape: OpConverter = (node, ctx) => {
  const target = ctx.constInts(node.inputs[1]);
  const inShape = ctx.shape(node.inputs[0]);
  if (target.length > 0 && target[0] === inShape[0] && target[0] !== -1) target[0] = 0;
  const shape = ctx.g.int64s(`${node.name}/shape`, target);
  ctx.define(out(node), ctx.g.node('Reshape', [ctx.tensor(node.inputs[0]), shape], {}, { name: node.name })[0]);
};

const identity: OpConverter = (node, ctx) => ctx.define(out(node), ctx.tensor(node.inputs[0]));

export const OP_CONVERTERS: Record<string, OpConverter> = {
  Conv2D: conv2d,
  MaxPool: maxPool,
  Pad: pad,
  PadV2: pad,
  Transpose: transpose,
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  LeakyRelu: leakyRelu,
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  ConcatV2: concat,
  ResizeBilinear: resize,
  SplitV: splitV,
  Reshape: reshape,
  Identity: identity,
};
