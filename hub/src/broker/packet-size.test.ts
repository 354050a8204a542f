import { describe, expect, it } from 'vitest';
import { PacketSizeMeter } from './packet-size.ts';

/** A packet: type byte, remaining length (variable-length, 7 bits a byte), body. */
function packet(type: number, bodyLength: number): Buffer {
  const length: number[] = [];
  let n = bodyLength;
  do {
    length.push((n % 128) | (n >= 128 ? 0x80 : 0));
    n = Math.floor(n / 128);
  } while (n > 0);
  return Buffer.concat([Buffer.from([type, ...length]), Buffer.alloc(bodyLength, 7)]);
}

/** Feeds the stream in pieces of `size` bytes; the first verdict, and how many bytes had been fed by then. */
function meter(max: number, stream: Buffer, size: number): { verdict: string | null; fed: number } {
  const m = new PacketSizeMeter(max);
  for (let i = 0; i < stream.length; i += size) {
    const verdict = m.feed(stream.subarray(i, i + size));
    if (verdict) return { verdict, fed: Math.min(i + size, stream.length) };
  }
  return { verdict: null, fed: stream.length };
}

describe('packet size meter', () => {
  const stream = Buffer.concat([packet(0x10, 30), packet(0x32, 200), packet(0xc0, 0), packet(0x32, 16_381), packet(0xe0, 0)]);

  it.each([1, 2, 3, 7, 100, 5000, stream.length])('follows packets of 0 to 16 381 body bytes split into %i-byte pieces', (size) => {
    expect(meter(16_384, stream, size)).toEqual({ verdict: null, fed: stream.length });
  });

  it('refuses a packet one byte over the limit (type + 2 length bytes + body), and one exactly at it passes', () => {
    expect(meter(16_383, stream, 3).verdict).toBe('packet of 16384 bytes is over the limit of 16383');
    expect(meter(16_384, packet(0x32, 16_381), 64).verdict).toBe(null);
    expect(meter(16_384, packet(0x32, 16_382), 64).verdict).toBe('packet of 16385 bytes is over the limit of 16384');
  });

  it('says so when the header arrives, before any of the body', () => {
    const huge = Buffer.concat([packet(0x10, 12), Buffer.from([0x32, 0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(1024)]);
    const { verdict, fed } = meter(327_680, huge, 1);
    expect(verdict).toBe('packet of 268435460 bytes is over the limit of 327680');
    expect(fed).toBe(14 + 5);
  });

  it('refuses a remaining length longer than 4 bytes, and keeps refusing', () => {
    const m = new PacketSizeMeter(1000);
    expect(m.feed(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))).toMatch(/malformed/);
    expect(m.feed(packet(0xc0, 0))).toMatch(/malformed/);
  });
});
