/**
 * Turns a prepared TF.js graph into an ONNX model: a raw-pixel front end (uint8 NHWC in,
 * normalised float NCHW to the original placeholder), one converter per TF op, named
 * outputs, then the clean-up passes.
 */
import { GraphBuilder } from '../onnx/graph.ts';
import { optimizeGraph } from '../onnx/optimize.ts';
import { encodeModel, type Dim } from '../onnx/proto.ts';
import { foldConstants, fuseConvBias, topoSort } from './fold.ts';
import { OP_CONVERTERS, TO_NCHW, type EmitContext } from './ops.ts';
import { inferShapes, type Shapes } from './shapes.ts';
import { intValues } from './tensor.ts';
import type { TfGraph } from './tfjs-graph.ts';

export const OPSET_VERSION = 17;
export const IR_VERSION = 8;

export interface PreparedGraph {
  graph: TfGraph;
  /** Static shapes at the graph's declared input size. */
  shapes: Shapes;
}

/** Folds constants, fuses conv biases and infers static shapes. Mutates `graph`. */
export function prepareGraph(graph: TfGraph): PreparedGraph {
  const unsupported = [...new Set(graph.nodes.map((n) => n.op))].filter(
    (op) => !(op in OP_CONVERTERS) && !['Placeholder', 'SparseToDense', 'Cast'].includes(op),
  );
  if (unsupported.length > 0) throw new Error(`TF.js graph uses ops the converter does not support: ${unsupported.join(', ')}`);
  foldConstants(graph);
  fuseConvBias(graph);
  return { graph, shapes: inferShapes(graph) };
}

export interface EmitOptions {
  /** Name of the ONNX input (uint8 NHWC pixels). */
  inputName: string;
  /** Layout of the TF graph's own placeholder. */
  placeholderLayout: 'NCHW' | 'NHWC';
  /** Per-channel normalisation applied in the graph: (pixel - mean) / std, in the pixel channel order. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** Whether H and W of the ONNX input are symbolic. The batch is always symbolic ("N"). */
  dynamicSize: boolean;
  /** Graph outputs in order: which TF tensor, its ONNX name and its shape (strings = symbolic). */
  outputs: { tfName: string; name: string; shape: Dim[] }[];
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export interface EmitResult {
  model: Uint8Array;
  /** What the clean-up passes removed (for the conversion report). */
  optimised: { transposes: number; pads: number; identities: number };
  nodeCount: number;
}

export function emitOnnx({ graph, shapes }: PreparedGraph, opts: EmitOptions): EmitResult {
  if (graph.inputs.length !== 1) throw new Error(`expected one graph input, found ${graph.inputs.length}`);
  const placeholder = graph.inputs[0];
  const [c, h, w] = opts.placeholderLayout === 'NCHW'
    ? [placeholder.shape[1], placeholder.shape[2], placeholder.shape[3]]
    : [placeholder.shape[3], placeholder.shape[1], placeholder.shape[2]];
  if (c !== 3) throw new Error(`placeholder ${placeholder.name}: expected 3 channels, shape is [${placeholder.shape.join(',')}]`);

  const g = new GraphBuilder();
  const defined = new Map<string, string>();
  const ctx: EmitContext = {
    g,
    graph,
    shapes,
    define: (tfName, onnxName) => void defined.set(tfName, onnxName),
    tensor(tfName) {
      const known = defined.get(tfName);
      if (known) return known;
      const value = graph.consts.get(tfName);
      if (!value) throw new Error(`TF tensor ${tfName} was used before it was converted`);
      const dataType = value.dtype === 'float32' ? 'FLOAT' : value.dtype === 'int64' ? 'INT64' : 'INT32';
      const name = g.initializer(tfName.replace(/:0$/, ''), dataType, value.shape, value.data);
      defined.set(tfName, name);
      return name;
    },
    constInts(tfName) {
      const value = graph.consts.get(tfName);
      if (!value) throw new Error(`expected ${tfName} to be a constant`);
      return intValues(value);
    },
    shape(tfName) {
      const s = shapes.get(tfName);
      if (!s) throw new Error(`no static shape for ${tfName}`);
      return s;
    },
  };

  // Front end: raw uint8 pixels -> (x - mean) / std -> the layout the TF graph was traced with.
  const images = g.input(opts.inputName, 'UINT8', ['N', opts.dynamicSize ? 'H' : h, opts.dynamicSize ? 'W' : w, 3]);
  const [asFloat] = g.node('Cast', [images], { to: { type: 'int', value: 1 } }, { name: 'preprocess/cast' });
  const [centred] = g.node('Sub', [asFloat, g.initializer('preprocess/mean', 'FLOAT', [3], [...opts.mean])], {}, { name: 'preprocess/sub_mean' });
  let [normalised] = g.node('Div', [centred, g.initializer('preprocess/std', 'FLOAT', [3], [...opts.std])], {}, { name: 'preprocess/div_std' });
  if (opts.placeholderLayout === 'NCHW') {
    [normalised] = g.node('Transpose', [normalised], { perm: { type: 'ints', value: TO_NCHW } }, { name: 'preprocess/to_nchw' });
  }
  ctx.define(`${placeholder.name}:0`, normalised);

  for (const node of topoSort(graph)) {
    if (node.op === 'Placeholder') continue;
    const convert = OP_CONVERTERS[node.op];
    if (!convert) throw new Error(`node ${node.name}: no converter for op ${node.op}`);
    convert(node, ctx);
  }
  for (const o of opts.outputs) {
    g.node('Identity', [ctx.tensor(o.tfName)], {}, { name: `output/${o.name}`, outputs: [o.name] });
    g.output(o.name, 'FLOAT', o.shape);
  }
  const optimised = optimizeGraph(g);
  const built = g.build('byliv_converted');
  const model = encodeModel({
    irVersion: IR_VERSION,
    opsetVersion: OPSET_VERSION,
    producerName: 'byliv-models',
    producerVersion: opts.producerVersion,
    docString: opts.docString,
    metadata: opts.metadata,
    graph: built,
  });
  return { model, optimised, nodeCount: built.nodes.length };
}
