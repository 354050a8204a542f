/**
 * Host tensors: the constant values the converter reads from a TF.js graph, folds, and
 * writes into ONNX initializers. Integer tensors keep their TF dtype name (int64 shapes are
 * stored as int32 by TF.js) but hold their values in an Int32Array.
 */

export type HostDType = 'float32' | 'int32' | 'int64' | 'bool';

export interface HostTensor {
  dtype: HostDType;
  shape: number[];
  data: Float32Array | Int32Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function hostTensor(dtype: HostDType, shape: number[], values: ArrayLike<number>): HostTensor {
  const data = dtype === 'float32' ? Float32Array.from(values) : Int32Array.from(values);
  if (data.length !== sizeOf(shape)) {
    throw new Error(`tensor of shape [${shape.join(',')}] needs ${sizeOf(shape)} values, got ${data.length}`);
  }
  return { dtype, shape, data };
}

/** Values of a small integer tensor (perm, paddings, axis, sizes) as plain numbers. */
export function intValues(t: HostTensor): number[] {
  return Array.from(t.data);
}

function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

/** N-dimensional transpose: output axis i is input axis perm[i]. */
export function transposeTensor(t: HostTensor, perm: readonly number[]): HostTensor {
  if (perm.length !== t.shape.length) {
    throw new Error(`transpose: perm [${perm.join(',')}] does not match rank ${t.shape.length}`);
  }
  const outShape = perm.map((p) => t.shape[p]);
  const inStrides = strides(t.shape);
  const stepPerOutAxis = perm.map((p) => inStrides[p]);
  const data = t.dtype === 'float32' ? new Float32Array(t.data.length) : new Int32Array(t.data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let a = 0; a < index.length; a++) src += index[a] * stepPerOutAxis[a];
    data[o] = t.data[src];
    // odometer increment over the output index
    for (let a = index.length - 1; a >= 0; a--) {
      if (++index[a] < outShape[a]) break;
      index[a] = 0;
    }
  }
  return { dtype: t.dtype, shape: outShape, data };
}

/** Elementwise binary op with numpy broadcasting. */
export function broadcastBinary(a: HostTensor, b: HostTensor, fn: (x: number, y: number) => number): HostTensor {
  const rank = Math.max(a.shape.length, b.shape.length);
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const as = pad(a.shape);
  const bs = pad(b.shape);
  const outShape = as.map((d, i) => {
    if (d === bs[i] || bs[i] === 1) return d;
    if (d === 1) return bs[i];
    throw new Error(`broadcast: shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] do not match`);
  });
  const aStr = strides(as).map((s, i) => (as[i] === 1 ? 0 : s));
  const bStr = strides(bs).map((s, i) => (bs[i] === 1 ? 0 : s));
  const n = sizeOf(outShape);
  const data = a.dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < n; o++) {
    let ia = 0;
    let ib = 0;
    for (let k = 0; k < rank; k++) {
      ia += index[k] * aStr[k];
      ib += index[k] * bStr[k];
    }
    data[o] = fn(a.data[ia], b.data[ib]);
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < outShape[k]) break;
      index[k] = 0;
    }
  }
  return { dtype: a.dtype, shape: outShape, data };
}

/** IEEE 754 half-precision bits to a float. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
