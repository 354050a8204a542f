/**
 * Reads a TF.js graph model (model.json + weight shards) into plain data: the op nodes, the
 * constant tensors (float16/uint8 quantised weights dequantised to float32), the graph
 * inputs and outputs. Needs no TF.js at run time.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { halfToFloat, sizeOf, type HostDType, type HostTensor } from './tensor.ts';

/** One attribute value as TF.js writes it in model.json (a subset of tensorflow.AttrValue). */
export interface TfAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { i?: (string | number)[]; f?: number[]; s?: string[] };
  shape?: { dim?: { size?: string | number }[]; unknownRank?: boolean };
  tensor?: unknown;
}

export interface TfNode {
  name: string;
  op: string;
  /** Data inputs as `node:outputIndex` (control inputs `^x` dropped). */
  inputs: string[];
  attr: Record<string, TfAttr>;
}

export interface TfGraph {
  nodes: TfNode[];
  /** Constant values by tensor name (`node:0`). */
  consts: Map<string, HostTensor>;
  /** Placeholders with their declared shapes (-1 for unknown dims). */
  inputs: { name: string; shape: number[] }[];
  /** Graph output tensor names (`node:0`), in the order model.json's signature lists them. */
  outputs: string[];
}

/** `node` -> `node:0`; `node:1` unchanged. */
export function tensorName(ref: string): string {
  return /:\d+$/.test(ref) ? ref : `${ref}:0`;
}

export function nodeOf(tensor: string): string {
  return tensor.replace(/:\d+$/, '');
}

export function attrString(node: TfNode, key: string): string | undefined {
  const s = node.attr[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
}

export function attrInts(node: TfNode, key: string): number[] | undefined {
  return node.attr[key]?.list?.i?.map(Number);
}

export function attrFloat(node: TfNode, key: string): number | undefined {
  return node.attr[key]?.f;
}

export function attrBool(node: TfNode, key: string): boolean | undefined {
  return node.attr[key]?.b;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number };
}

interface ModelJson {
  format?: string;
  modelTopology: { node: { name: string; op: string; input?: string[]; attr?: Record<string, TfAttr> }[] };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  signature?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
}

function fail(source: string, field: string, message: string): never {
  throw new Error(`${source}: ${field}: ${message}`);
}

function checkModelJson(json: unknown, source: string): ModelJson {
  const m = json as Partial<ModelJson> | null;
  if (!m || typeof m !== 'object') fail(source, '(root)', 'expected a JSON object');
  if (m.format !== undefined && m.format !== 'graph-model') {
    fail(source, 'format', `expected "graph-model", got ${JSON.stringify(m.format)}`);
  }
  if (!Array.isArray(m.modelTopology?.node)) fail(source, 'modelTopology.node', 'expected an array of nodes');
  if (!Array.isArray(m.weightsManifest)) fail(source, 'weightsManifest', 'expected an array of weight groups');
  return m as ModelJson;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };

/** Decodes the concatenated weight bytes of all groups, in manifest order. */
function decodeWeights(specs: WeightSpec[], weights: Uint8Array, source: string): Map<string, HostTensor> {
  const view = new DataView(weights.buffer, weights.byteOffset, weights.byteLength);
  const out = new Map<string, HostTensor>();
  let offset = 0;
  for (const [i, spec] of specs.entries()) {
    const count = sizeOf(spec.shape);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const width = DTYPE_BYTES[stored];
    if (!width) fail(source, `weightsManifest weights[${i}] (${spec.name})`, `unsupported stored dtype ${stored}`);
    if (offset + count * width > weights.byteLength) {
      fail(source, `weightsManifest weights[${i}] (${spec.name})`, 'weight data ends before this tensor');
    }
    let data: Float32Array | Int32Array;
    if (spec.dtype === 'float32') {
      data = new Float32Array(count);
      const q = spec.quantization;
      for (let k = 0; k < count; k++) {
        const at = offset + k * width;
        if (stored === 'float32') data[k] = view.getFloat32(at, true);
        else if (stored === 'float16') data[k] = halfToFloat(view.getUint16(at, true));
        else {
          // affine quantisation: value = q * scale + min
          const raw = stored === 'uint8' ? view.getUint8(at) : view.getUint16(at, true);
          data[k] = raw * (q?.scale ?? 1) + (q?.min ?? 0);
        }
      }
    } else if (spec.dtype === 'int32' || spec.dtype === 'bool') {
      data = new Int32Array(count);
      for (let k = 0; k < count; k++) {
        data[k] = width === 4 ? view.getInt32(offset + k * 4, true) : view.getUint8(offset + k);
      }
    } else {
      fail(source, `weightsManifest weights[${i}] (${spec.name})`, `unsupported dtype ${spec.dtype}`);
    }
    out.set(spec.name, { dtype: spec.dtype as HostDType, shape: [...spec.shape], data });
    offset += count * width;
  }
  if (offset !== weights.byteLength) {
    fail(source, 'weightsManifest', `manifest describes ${offset} bytes but the weights hold ${weights.byteLength}`);
  }
  return out;
}

const TF_DTYPES: Record<string, HostDType> = { DT_FLOAT: 'float32', DT_INT32: 'int32', DT_INT64: 'int64', DT_BOOL: 'bool' };

/**
 * Parses a TF.js graph model. `weights` are all shards of all weight groups concatenated in
 * manifest order; `source` names the model in error messages.
 */
export function parseTfjsGraph(json: unknown, weights: Uint8Array, source = 'model.json'): TfGraph {
  const m = checkModelJson(json, source);
  const specs = m.weightsManifest.flatMap((g) => g.weights);
  const values = decodeWeights(specs, weights, source);
  const nodes: TfNode[] = [];
  const consts = new Map<string, HostTensor>();
  const inputs: TfGraph['inputs'] = [];
  for (const [i, n] of m.modelTopology.node.entries()) {
    if (typeof n.name !== 'string' || typeof n.op !== 'string') {
      fail(source, `modelTopology.node[${i}]`, 'expected name and op strings');
    }
    const attr = n.attr ?? {};
    if (n.op === 'Const') {
      const value = values.get(n.name);
      if (!value) fail(source, `modelTopology.node[${i}] (${n.name})`, 'Const without weights');
      // TF.js stores int64 as int32; keep the graph's dtype so ONNX gets int64 where TF had it.
      const declared = attr.dtype?.type ? TF_DTYPES[attr.dtype.type] : undefined;
      consts.set(tensorName(n.name), declared && value.dtype !== 'float32' ? { ...value, dtype: declared } : value);
      continue;
    }
    if (n.op === 'Placeholder') {
      const dims = attr.shape?.shape?.dim ?? [];
      inputs.push({ name: n.name, shape: dims.map((d) => (d.size === undefined ? -1 : Number(d.size))) });
    }
    nodes.push({
      name: n.name,
      op: n.op,
      inputs: (n.input ?? []).filter((x) => !x.startsWith('^')).map(tensorName),
      attr,
    });
  }
  const outputs = Object.keys(m.signature?.outputs ?? {}).map(tensorName);
  if (outputs.length === 0) fail(source, 'signature.outputs', 'the graph declares no outputs');
  return { nodes, consts, inputs, outputs };
}

/** Reads model.json and the weight shards it names (paths relative to model.json). */
export async function loadTfjsGraph(modelJsonPath: string): Promise<TfGraph> {
  const json: unknown = JSON.parse(await readFile(modelJsonPath, 'utf8'));
  const m = checkModelJson(json, modelJsonPath);
  const dir = path.dirname(modelJsonPath);
  const shards = await Promise.all(m.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))));
  return parseTfjsGraph(json, Buffer.concat(shards), modelJsonPath);
}
