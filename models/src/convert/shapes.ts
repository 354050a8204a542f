/**
 * Static shape inference over the (folded) TF.js graph at its declared input size. The
 * converter needs the shapes for what ONNX wants relative and TF wrote absolute: resize
 * factors (TF gives the output size) and group counts of convolutions.
 */
import { attrInts, attrString, type TfGraph, type TfNode } from './tfjs-graph.ts';
import { topoSort } from './fold.ts';
import { intValues } from './tensor.ts';

export type Shapes = Map<string, number[]>;

function windowOut(size: number, kernel: number, stride: number, dilation: number, padding: string, before = 0, after = 0): number {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'SAME') return Math.ceil(size / stride);
  return Math.floor((size + before + after - effective) / stride) + 1;
}

/** NHWC/NCHW spatial output shape of Conv2D/MaxPool. */
function spatialOp(node: TfNode, input: number[], kernelHW: [number, number], channelsOut: number): number[] {
  const nhwc = (attrString(node, 'data_format') ?? 'NHWC') === 'NHWC';
  const strides = attrInts(node, 'strides') ?? [1, 1, 1, 1];
  const dilations = attrInts(node, 'dilations') ?? [1, 1, 1, 1];
  const padding = attrString(node, 'padding') ?? 'VALID';
  const explicit = attrInts(node, 'explicit_paddings') ?? [];
  const [hAxis, wAxis] = nhwc ? [1, 2] : [2, 3];
  const h = windowOut(input[hAxis], kernelHW[0], strides[hAxis], dilations[hAxis], padding, explicit[hAxis * 2], explicit[hAxis * 2 + 1]);
  const w = windowOut(input[wAxis], kernelHW[1], strides[wAxis], dilations[wAxis], padding, explicit[wAxis * 2], explicit[wAxis * 2 + 1]);
  return nhwc ? [input[0], h, w, channelsOut] : [input[0], channelsOut, h, w];
}

function broadcast(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const pa = [...new Array<number>(rank - a.length).fill(1), ...a];
  const pb = [...new Array<number>(rank - b.length).fill(1), ...b];
  return pa.map((d, i) => (d === 1 ? pb[i] : d));
}

/** Shape of every tensor in the graph (constants included), keyed by tensor name. */
export function inferShapes(graph: TfGraph): Shapes {
  const shapes: Shapes = new Map();
  for (const [name, t] of graph.consts) shapes.set(name, t.shape);
  const constInts = (name: string): number[] => {
    const t = graph.consts.get(name);
    if (!t) throw new Error(`expected a constant for ${name}`);
    return intValues(t);
  };
  for (const node of topoSort(graph)) {
    const ins = node.inputs.map((i) => {
      const s = shapes.get(i);
      if (!s) throw new Error(`node ${node.name}: no shape for input ${i}`);
      return s;
    });
    const set = (shape: number[], index = 0) => shapes.set(`${node.name}:${index}`, shape);
    switch (node.op) {
      case 'Placeholder':
        set(graph.inputs.find((p) => p.name === node.name)!.shape);
        break;
      case 'Identity':
      case 'LeakyRelu':
      case 'Relu':
      case 'Sigmoid':
        set(ins[0]);
        break;
      case 'Add':
      case 'AddV2':
      case 'Sub':
      case 'Mul':
      case 'BiasAdd':
        set(broadcast(ins[0], ins[1]));
        break;
      case 'Pad':
      case 'PadV2': {
        const p = constInts(node.inputs[1]);
        set(ins[0].map((d, i) => d + p[2 * i] + p[2 * i + 1]));
        break;
      }
      case 'Transpose': {
        const perm = constInts(node.inputs[1]);
        set(perm.map((p) => ins[0][p]));
        break;
      }
      case 'Conv2D': {
        const [kh, kw, , co] = ins[1];
        set(spatialOp(node, ins[0], [kh, kw], co));
        break;
      }
      case 'MaxPool': {
        const k = attrInts(node, 'ksize') ?? [];
        const nhwc = (attrString(node, 'data_format') ?? 'NHWC') === 'NHWC';
        set(spatialOp(node, ins[0], nhwc ? [k[1], k[2]] : [k[2], k[3]], nhwc ? ins[0][3] : ins[0][1]));
        break;
      }
      case 'ConcatV2': {
        const rank = ins[0].length;
        const axis = (constInts(node.inputs[node.inputs.length - 1])[0] + rank) % rank;
        const out = [...ins[0]];
        out[axis] = ins.slice(0, -1).reduce((sum, s) => sum + s[axis], 0);
        set(out);
        break;
      }
      case 'ResizeBilinear': {
        const [h, w] = constInts(node.inputs[1]);
        set([ins[0][0], h, w, ins[0][3]]);
        break;
      }
      case 'SplitV': {
        const rank = ins[0].length;
        const axis = (constInts(node.inputs[2])[0] + rank) % rank;
        const sizes = constInts(node.inputs[1]);
        const known = sizes.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
        sizes.forEach((s, k) => {
          const out = [...ins[0]];
          out[axis] = s === -1 ? ins[0][axis] - known : s;
          set(out, k);
        });
        break;
      }
      case 'Reshape': {
        const target = constInts(node.inputs[1]);
        const total = ins[0].reduce((a, b) => a * b, 1);
        const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
        set(target.map((d) => (d === -1 ? total / known : d)));
        break;
      }
      default:
        throw new Error(`node ${node.name}: no shape rule for op ${node.op}`);
    }
  }
  return shapes;
}
