/**
 * Clean-up passes over a GraphBuilder before it is written. The converter emits each TF op
 * literally (an NHWC Conv2D becomes Transpose -> Conv -> Transpose); these passes remove what
 * that leaves behind, so ONNX Runtime sees a plain NCHW network.
 */
import type { BuildNode, GraphBuilder } from './graph.ts';
import type { TensorData } from './proto.ts';

function permOf(node: BuildNode): number[] {
  const attr = node.attributes.perm;
  if (attr?.type !== 'ints') throw new Error(`Transpose ${node.name} has no perm`);
  return [...attr.value];
}

function producers(g: GraphBuilder): Map<string, BuildNode> {
  const map = new Map<string, BuildNode>();
  for (const n of g.nodes) for (const o of n.outputs) map.set(o, n);
  return map;
}

function consumers(g: GraphBuilder): Map<string, BuildNode[]> {
  const map = new Map<string, BuildNode[]>();
  for (const n of g.nodes) for (const i of n.inputs) map.set(i, [...(map.get(i) ?? []), n]);
  return map;
}

/** Points every reader of `from` at `to`; graph outputs are kept by an Identity instead. */
function replaceUses(g: GraphBuilder, from: string, to: string): void {
  for (const n of g.nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
  if (g.outputs.some((o) => o.name === from)) {
    g.nodes.push({ name: g.unique('keep_output'), opType: 'Identity', inputs: [to], outputs: [from], attributes: {} });
  }
}

/** Transpose(Transpose(x)) -> one Transpose, or nothing when the two perms cancel. */
export function cancelTransposes(g: GraphBuilder): number {
  let removed = 0;
  for (let changed = true; changed; ) {
    changed = false;
    const prod = producers(g);
    for (const t of g.nodes) {
      if (t.opType !== 'Transpose') continue;
      const inner = prod.get(t.inputs[0]);
      if (inner?.opType !== 'Transpose') continue;
      const outer = permOf(t);
      const first = permOf(inner);
      const combined = outer.map((p) => first[p]);
      t.inputs = [inner.inputs[0]];
      if (combined.every((p, i) => p === i)) {
        g.nodes = g.nodes.filter((n) => n !== t);
        replaceUses(g, t.outputs[0], inner.inputs[0]);
        removed++;
      } else {
        t.attributes.perm = { type: 'ints', value: combined };
      }
      changed = true;
      break;
    }
  }
  return removed;
}

function constValues(g: GraphBuilder, name: string | undefined): TensorData['values'] | undefined {
  return name ? g.initializers.get(name)?.values : undefined;
}

/**
 * Pad(constant) feeding only Convs (value 0) or MaxPools (value -inf or lower than any
 * activation) is folded into their `pads`, on the two spatial axes of NCHW. Saves a copy of
 * every feature map.
 */
export function foldPads(g: GraphBuilder): number {
  let folded = 0;
  const cons = consumers(g);
  for (const pad of [...g.nodes]) {
    if (pad.opType !== 'Pad') continue;
    const mode = pad.attributes.mode;
    if (mode && !(mode.type === 'string' && mode.value === 'constant')) continue;
    const pads = constValues(g, pad.inputs[1]);
    if (!pads || pads.length !== 8) continue;
    const [n0, c0, t, l, n1, c1, b, r] = Array.from(pads);
    if (n0 || c0 || n1 || c1) continue;
    const value = constValues(g, pad.inputs[2])?.[0] ?? 0;
    const readers = cons.get(pad.outputs[0]) ?? [];
    if (readers.length === 0 || g.outputs.some((o) => o.name === pad.outputs[0])) continue;
    const foldable = readers.every(
      (n) => (n.opType === 'Conv' && value === 0) || (n.opType === 'MaxPool' && value <= -3.0e38),
    );
    if (!foldable) continue;
    for (const reader of readers) {
      const current = reader.attributes.pads?.type === 'ints' ? reader.attributes.pads.value : [0, 0, 0, 0];
      if (reader.attributes.auto_pad) continue;
      reader.attributes.pads = { type: 'ints', value: [current[0] + t, current[1] + l, current[2] + b, current[3] + r] };
      reader.inputs = reader.inputs.map((i) => (i === pad.outputs[0] ? pad.inputs[0] : i));
    }
    folded++;
  }
  return folded;
}

/** Identity nodes that only rename a tensor are dropped (kept where they produce a graph output). */
export function removeIdentities(g: GraphBuilder): number {
  let removed = 0;
  const outputNames = new Set(g.outputs.map((o) => o.name));
  const prod = producers(g);
  const inputNames = new Set(g.inputs.map((i) => i.name));
  for (const id of [...g.nodes]) {
    if (id.opType !== 'Identity') continue;
    const source = id.inputs[0];
    if (!outputNames.has(id.outputs[0])) {
      g.nodes = g.nodes.filter((n) => n !== id);
      replaceUses(g, id.outputs[0], source);
      removed++;
      continue;
    }
    // A graph output: let the producer write it directly when nothing else reads its tensor.
    const p = prod.get(source);
    const otherReaders = g.nodes.some((n) => n !== id && n.inputs.includes(source));
    if (p && !otherReaders && !outputNames.has(source) && !inputNames.has(source)) {
      p.outputs = p.outputs.map((o) => (o === source ? id.outputs[0] : o));
      g.nodes = g.nodes.filter((n) => n !== id);
      removed++;
    }
  }
  return removed;
}

/** Drops nodes whose outputs nothing reads (left behind by the other passes). */
export function removeDeadNodes(g: GraphBuilder): number {
  const before = g.nodes.length;
  const needed = new Set(g.outputs.map((o) => o.name));
  const live = new Set<BuildNode>();
  // Nodes are in emission order (producers first), so one backward sweep finds all live ones.
  for (let k = g.nodes.length - 1; k >= 0; k--) {
    const n = g.nodes[k];
    if (!n.outputs.some((o) => needed.has(o))) continue;
    live.add(n);
    for (const i of n.inputs) needed.add(i);
  }
  g.nodes = g.nodes.filter((n) => live.has(n));
  return before - g.nodes.length;
}

/** All passes, in an order where each one's result feeds the next. */
export function optimizeGraph(g: GraphBuilder): { transposes: number; pads: number; identities: number } {
  const transposes = cancelTransposes(g);
  removeDeadNodes(g);
  const pads = foldPads(g);
  const identities = removeIdentities(g);
  removeDeadNodes(g);
  return { transposes, pads, identities };
}
