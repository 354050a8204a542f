/**
 * Follows an MQTT byte stream packet by packet and says when one is too large, as soon as its
 * fixed header (type byte, then the remaining length in 1–4 bytes of 7 bits) has arrived: the
 * payload is skipped over, never collected. The broker's own parser (mqtt-packet) would buffer
 * a whole packet, up to the protocol's 256 MiB, before anyone saw its size. Pure: bytes in, a
 * verdict out.
 */
const MAX_LENGTH_BYTES = 4;

export class PacketSizeMeter {
  private phase: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private verdict: string | null = null;

  constructor(readonly maxBytes: number) {}

  /** null while every packet so far fits; otherwise why the connection must be closed (and it stays so). */
  feed(chunk: Uint8Array): string | null {
    let i = 0;
    while (this.verdict === null && i < chunk.length) {
      if (this.phase === 'body') {
        const skip = Math.min(this.bodyLeft, chunk.length - i);
        i += skip;
        this.bodyLeft -= skip;
        if (this.bodyLeft === 0) this.phase = 'type';
      } else if (this.phase === 'type') {
        i++;
        this.phase = 'length';
        this.length = 0;
        this.lengthBytes = 0;
      } else {
        const byte = chunk[i++];
        this.length += (byte & 0x7f) * 128 ** this.lengthBytes;
        this.lengthBytes++;
        if (byte & 0x80) {
          if (this.lengthBytes === MAX_LENGTH_BYTES) this.verdict = 'malformed packet: its remaining length runs over 4 bytes';
          continue;
        }
        const total = 1 + this.lengthBytes + this.length;
        if (total > this.maxBytes) this.verdict = `packet of ${total} bytes is over the limit of ${this.maxBytes}`;
        this.bodyLeft = this.length;
        this.phase = this.length === 0 ? 'type' : 'body';
      }
    }
    return this.verdict;
  }
}
