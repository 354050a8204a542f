import { describe, expect, it } from 'vitest';
import { encodeVarint, ProtoWriter } from './protobuf.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeVarint', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [150, '9601'],
    [300, 'ac02'],
    [2 ** 32, '8080808010'],
    [Number.MAX_SAFE_INTEGER, 'ffffffffffffff0f'],
  ])('%d -> %s', (value, expected) => {
    expect(hex(encodeVarint(value))).toBe(expected);
  });

  it('writes negative numbers as 64-bit two\'s complement (10 bytes)', () => {
    expect(hex(encodeVarint(-1))).toBe('ffffffffffffffffff01');
    expect(hex(encodeVarint(-2n))).toBe('feffffffffffffffff01');
  });

  it('refuses values that are not exact integers or do not fit in 64 bits', () => {
    expect(() => encodeVarint(1.5)).toThrow(/not a safe integer/);
    expect(() => encodeVarint(2n ** 64n)).toThrow(/64 bits/);
  });
});

describe('ProtoWriter', () => {
  it('encodes the protobuf guide examples', () => {
    // https://protobuf.dev/programming-guides/encoding/ : field 1 = 150, field 2 = "testing"
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('089601');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('120774657374696e67');
  });

  it('writes floats as little-endian fixed32 and nests messages by length', () => {
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('150000803f');
    const inner = new ProtoWriter().int(1, 150).finish();
    expect(hex(new ProtoWriter().bytes(3, inner).finish())).toBe('1a03089601');
  });

  it('concatenates fields in call order', () => {
    expect(hex(new ProtoWriter().int(1, 1).int(1, 2).string(16, '').finish())).toBe('080108028201' + '00');
  });
});
