/**
 * Builds an ONNX graph node by node with unique tensor names, then emits it in topological
 * order with unused nodes and initializers dropped.
 */
import type { AttributeValue, DataTypeName, GraphData, NodeData, TensorData, ValueInfoData } from './proto.ts';

/** A node while the graph is being built and optimised (inputs/attributes may be rewritten). */
export interface BuildNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

export class GraphBuilder {
  nodes: BuildNode[] = [];
  readonly initializers = new Map<string, TensorData>();
  readonly inputs: ValueInfoData[] = [];
  outputs: ValueInfoData[] = [];
  private readonly names = new Set<string>();

  /** A tensor or node name not used yet, derived from `base`. */
  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = clean;
    for (let k = 1; this.names.has(name); k++) name = `${clean}_${k}`;
    this.names.add(name);
    return name;
  }

  input(name: string, elemType: DataTypeName, shape: ValueInfoData['shape']): string {
    this.names.add(name);
    this.inputs.push({ name, elemType, shape });
    return name;
  }

  output(name: string, elemType: DataTypeName, shape: ValueInfoData['shape']): void {
    this.outputs.push({ name, elemType, shape });
  }

  initializer(base: string, dataType: DataTypeName, dims: readonly number[], values: TensorData['values']): string {
    const name = this.unique(base);
    this.initializers.set(name, { name, dataType, dims, values });
    return name;
  }

  int64s(base: string, values: readonly number[]): string {
    return this.initializer(base, 'INT64', [values.length], values);
  }

  /** Adds a node; returns its output tensor names (`outputs` gives their count or exact names). */
  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, opts: { name?: string; outputs?: number | string[] } = {}): string[] {
    const name = this.unique(opts.name ?? opType);
    const outputs = Array.isArray(opts.outputs)
      ? opts.outputs.map((o) => (this.names.add(o), o))
      : Array.from({ length: opts.outputs ?? 1 }, (_, k) => this.unique(k === 0 ? `${name}_out` : `${name}_out${k}`));
    this.nodes.push({ name, opType, inputs, outputs, attributes });
    return outputs;
  }

  /** Nodes in topological order, unused nodes and initializers removed. */
  build(name: string): GraphData {
    const producer = new Map<string, BuildNode>();
    for (const n of this.nodes) for (const o of n.outputs) producer.set(o, n);
    const order: BuildNode[] = [];
    const done = new Set<BuildNode>();
    const inProgress = new Set<BuildNode>();
    const usedInitializers = new Set<string>();
    const inputNames = new Set(this.inputs.map((i) => i.name));
    // Depth-first from the outputs: only what they need is kept, producers before consumers.
    const need = (tensor: string): void => {
      if (tensor === '' || inputNames.has(tensor)) return;
      if (this.initializers.has(tensor)) {
        usedInitializers.add(tensor);
        return;
      }
      const p = producer.get(tensor);
      if (!p) throw new Error(`graph ${name}: tensor ${tensor} has no producer`);
      if (done.has(p)) return;
      if (inProgress.has(p)) throw new Error(`graph ${name}: cycle through node ${p.name}`);
      inProgress.add(p);
      for (const i of p.inputs) need(i);
      inProgress.delete(p);
      done.add(p);
      order.push(p);
    };
    for (const o of this.outputs) need(o.name);
    const nodes: NodeData[] = order.map((n) => ({ ...n }));
    const initializers = [...this.initializers.values()].filter((t) => usedInitializers.has(t.name));
    return { name, nodes, initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
