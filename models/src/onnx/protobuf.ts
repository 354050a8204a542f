/**
 * A minimal protocol-buffers writer: just the wire types ONNX needs (varint, 64-bit is never
 * used, length-delimited, fixed32). Written here so the converter has no protobuf dependency.
 *
 * Encoding reference: https://protobuf.dev/programming-guides/encoding/
 */

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** Bytes of an unsigned or signed integer as a protobuf varint (negatives as 64-bit two's complement). */
export function encodeVarint(value: number | bigint): Uint8Array {
  let v: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`varint: ${value} is not a safe integer`);
    v = BigInt(value);
  } else {
    v = value;
  }
  if (v < 0n) v = BigInt.asUintN(64, v);
  if (v >= 1n << 64n) throw new RangeError(`varint: ${value} does not fit in 64 bits`);
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return Uint8Array.from(bytes);
}

/**
 * Builds one message. Fields are appended in call order; nested messages are written by
 * encoding them first and adding the bytes with `bytes()`.
 */
export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  private tag(field: number, wireType: number): void {
    this.push(encodeVarint((field << 3) | wireType));
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.push(encodeVarint(value));
    return this;
  }

  /** float field (fixed32, little endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setFloat32(0, value, true);
    this.push(buf);
    return this;
  }

  /** bytes field, or an embedded message already encoded. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.push(encodeVarint(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Concatenated bytes of everything written so far. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
