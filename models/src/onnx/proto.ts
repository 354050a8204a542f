/**
 * The subset of onnx.proto (ModelProto and what it contains) that the converter writes,
 * as plain TypeScript data, and its encoding to bytes. Field numbers follow
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
 */
import { ProtoWriter } from './protobuf.ts';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7 } as const;
export type DataTypeName = keyof typeof DataType;

export interface TensorData {
  name: string;
  dataType: DataTypeName;
  dims: readonly number[];
  /** Values in row-major order; INT64 values are written from plain numbers. */
  values: Float32Array | Int32Array | Uint8Array | readonly number[];
}

export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'tensor'; value: TensorData };

export interface NodeData {
  name: string;
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, AttributeValue>;
}

/** A dimension is a fixed size or a symbolic name (dynamic). */
export type Dim = number | string;

export interface ValueInfoData {
  name: string;
  elemType: DataTypeName;
  shape: readonly Dim[];
}

export interface GraphData {
  name: string;
  nodes: readonly NodeData[];
  initializers: readonly TensorData[];
  inputs: readonly ValueInfoData[];
  outputs: readonly ValueInfoData[];
}

export interface ModelData {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
  graph: GraphData;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

/** Little-endian raw bytes of the tensor values (ONNX's raw_data is always little endian). */
export function tensorRawData(t: TensorData): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.values.length !== count) {
    throw new Error(`tensor ${t.name}: ${t.values.length} values for dims [${t.dims.join(',')}]`);
  }
  switch (t.dataType) {
    case 'FLOAT': {
      const out = new Uint8Array(count * 4);
      const view = new DataView(out.buffer);
      for (let i = 0; i < count; i++) view.setFloat32(i * 4, t.values[i], true);
      return out;
    }
    case 'INT32': {
      const out = new Uint8Array(count * 4);
      const view = new DataView(out.buffer);
      for (let i = 0; i < count; i++) view.setInt32(i * 4, t.values[i], true);
      return out;
    }
    case 'INT64': {
      const out = new Uint8Array(count * 8);
      const view = new DataView(out.buffer);
      for (let i = 0; i < count; i++) view.setBigInt64(i * 8, BigInt(t.values[i]), true);
      return out;
    }
    case 'UINT8':
      return Uint8Array.from(t.values);
  }
}

export function encodeTensor(t: TensorData): Uint8Array {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, DataType[t.dataType]);
  w.string(8, t.name);
  w.bytes(9, tensorRawData(t));
  return w.finish();
}

function encodeAttribute(name: string, attr: AttributeValue): Uint8Array {
  const w = new ProtoWriter().string(1, name);
  switch (attr.type) {
    case 'float':
      w.float(2, attr.value);
      break;
    case 'int':
      w.int(3, attr.value);
      break;
    case 'string':
      w.string(4, attr.value);
      break;
    case 'tensor':
      w.bytes(5, encodeTensor(attr.value));
      break;
    case 'floats':
      for (const v of attr.value) w.float(7, v);
      break;
    case 'ints':
      for (const v of attr.value) w.int(8, v);
      break;
  }
  w.int(20, ATTRIBUTE_TYPE[attr.type]);
  return w.finish();
}

export function encodeNode(n: NodeData): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [key, attr] of Object.entries(n.attributes ?? {})) w.bytes(5, encodeAttribute(key, attr));
  return w.finish();
}

function encodeValueInfo(v: ValueInfoData): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d);
    shape.bytes(1, dim.finish());
  }
  const tensorType = new ProtoWriter().int(1, DataType[v.elemType]).bytes(2, shape.finish());
  const type = new ProtoWriter().bytes(1, tensorType.finish());
  return new ProtoWriter().string(1, v.name).bytes(2, type.finish()).finish();
}

export function encodeGraph(g: GraphData): Uint8Array {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.bytes(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.bytes(5, encodeTensor(t));
  for (const i of g.inputs) w.bytes(11, encodeValueInfo(i));
  for (const o of g.outputs) w.bytes(12, encodeValueInfo(o));
  return w.finish();
}

/** Serialised ModelProto, ready to write to a .onnx file or hand to InferenceSession.create. */
export function encodeModel(m: ModelData): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion);
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.bytes(7, encodeGraph(m.graph));
  w.bytes(8, new ProtoWriter().string(1, '').int(2, m.opsetVersion).finish());
  for (const [key, value] of Object.entries(m.metadata ?? {})) {
    w.bytes(14, new ProtoWriter().string(1, key).string(2, value).finish());
  }
  return w.finish();
}
