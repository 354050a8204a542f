/**
 * Graph rewrites on the TF.js graph before it becomes ONNX: topological order, constant
 * folding (everything computed only from Const: SparseToDense over empty indices, shape
 * arithmetic, transposes of weights), and fusing a convolution's bias Add into the Conv2D.
 */
import { attrString, nodeOf, type TfGraph, type TfNode } from './tfjs-graph.ts';
import { broadcastBinary, hostTensor, intValues, sizeOf, transposeTensor, type HostTensor } from './tensor.ts';

/** Nodes ordered so every node comes after the producers of its inputs. */
export function topoSort(graph: TfGraph): TfNode[] {
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: TfNode[] = [];
  const visit = (node: TfNode): void => {
    const s = state.get(node.name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`graph has a cycle through ${node.name}`);
    state.set(node.name, 'visiting');
    // Recursion depth is the graph's depth: a few hundred nodes for these detectors.
    for (const input of node.inputs) {
      if (graph.consts.has(input)) continue;
      const producer = byName.get(nodeOf(input));
      if (!producer) throw new Error(`node ${node.name}: input ${input} is produced by no node`);
      visit(producer);
    }
    state.set(node.name, 'done');
    order.push(node);
  };
  for (const n of graph.nodes) visit(n);
  return order;
}

function foldNode(node: TfNode, args: HostTensor[]): HostTensor | undefined {
  switch (node.op) {
    case 'Identity':
      return args[0];
    case 'Transpose':
      return transposeTensor(args[0], intValues(args[1]));
    case 'Add':
    case 'AddV2':
      return broadcastBinary(args[0], args[1], (x, y) => x + y);
    case 'Sub':
      return broadcastBinary(args[0], args[1], (x, y) => x - y);
    case 'Mul':
      return broadcastBinary(args[0], args[1], (x, y) => x * y);
    case 'Cast': {
      const to = node.attr.DstT?.type;
      const dtype = to === 'DT_FLOAT' ? 'float32' : to === 'DT_INT64' ? 'int64' : to === 'DT_INT32' ? 'int32' : undefined;
      if (!dtype) return undefined;
      return hostTensor(dtype, args[0].shape, dtype === 'float32' ? args[0].data : args[0].data.map(Math.trunc));
    }
    case 'Reshape': {
      const shape = intValues(args[1]);
      const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const resolved = shape.map((d) => (d === -1 ? args[0].data.length / known : d));
      return hostTensor(args[0].dtype, resolved, args[0].data);
    }
    case 'SparseToDense': {
      // (sparse_indices, output_shape, sparse_values, default_value)
      const [indices, outShape, values, fallback] = args;
      const shape = intValues(outShape);
      const dense = hostTensor(values.dtype, shape, new Array<number>(sizeOf(shape)).fill(fallback.data[0]));
      const rank = shape.length;
      const count = indices.shape.length === 0 ? 1 : indices.shape[0];
      for (let k = 0; k < count; k++) {
        let flat = 0;
        for (let a = 0; a < rank; a++) flat = flat * shape[a] + indices.data[indices.shape.length === 2 ? k * rank + a : k];
        dense.data[flat] = values.data.length === 1 ? values.data[0] : values.data[k];
      }
      return dense;
    }
    default:
      return undefined;
  }
}

/** Replaces every foldable node whose inputs are all constant by its value. Returns the graph changed in place. */
export function foldConstants(graph: TfGraph): TfGraph {
  const kept: TfNode[] = [];
  const outputs = new Set(graph.outputs);
  for (const node of topoSort(graph)) {
    const output = `${node.name}:0`;
    const allConst = node.inputs.length > 0 && node.inputs.every((i) => graph.consts.has(i));
    const value = allConst && !outputs.has(output) ? foldNode(node, node.inputs.map((i) => graph.consts.get(i)!)) : undefined;
    if (value) graph.consts.set(output, value);
    else kept.push(node);
  }
  graph.nodes = kept;
  return graph;
}

/** How many nodes read each tensor (graph outputs count as a reader). */
export function consumerCounts(graph: TfGraph): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) counts.set(i, (counts.get(i) ?? 0) + 1);
  for (const o of graph.outputs) counts.set(o, (counts.get(o) ?? 0) + 1);
  return counts;
}

/**
 * Conv2D followed by Add/AddV2/BiasAdd of a 1-D constant becomes one Conv2D with a third
 * (bias) input, so the ONNX Conv carries its bias and the transposes around it can cancel.
 */
export function fuseConvBias(graph: TfGraph): TfGraph {
  const counts = consumerCounts(graph);
  const byOutput = new Map(graph.nodes.map((n) => [`${n.name}:0`, n]));
  const removed = new Set<string>();
  const renamed = new Map<string, string>();
  for (const add of graph.nodes) {
    if (!['Add', 'AddV2', 'BiasAdd'].includes(add.op) || add.inputs.length !== 2) continue;
    const convIndex = add.inputs.findIndex((i) => byOutput.get(i)?.op === 'Conv2D');
    if (convIndex < 0) continue;
    const conv = byOutput.get(add.inputs[convIndex])!;
    const bias = graph.consts.get(add.inputs[1 - convIndex]);
    const filter = graph.consts.get(conv.inputs[1]);
    if (!bias || !filter || conv.inputs.length !== 2 || counts.get(add.inputs[convIndex]) !== 1) continue;
    // A 1-D constant broadcasts over the last axis, which is the channel axis only for NHWC.
    const nhwc = (attrString(conv, 'data_format') ?? 'NHWC') === 'NHWC';
    if (!nhwc || bias.shape.length !== 1 || bias.shape[0] !== filter.shape[3]) continue;
    conv.inputs = [...conv.inputs, add.inputs[1 - convIndex]];
    removed.add(add.name);
    renamed.set(`${add.name}:0`, `${conv.name}:0`);
  }
  graph.nodes = graph.nodes.filter((n) => !removed.has(n.name));
  for (const n of graph.nodes) n.inputs = n.inputs.map((i) => renamed.get(i) ?? i);
  graph.outputs = graph.outputs.map((o) => renamed.get(o) ?? o);
  return graph;
}
