/**
 * Cuts ffmpeg's raw byte stream into whole frames. Pipe reads arrive in arbitrary chunk
 * sizes, so a frame may span several chunks and a chunk may hold several frames.
 */
export class FrameSplitter {
  private current: Uint8Array;
  private filled = 0;

  constructor(readonly frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0) throw new Error(`frame size must be a positive integer, got ${frameBytes}`);
    this.current = new Uint8Array(frameBytes);
  }

  /** Returns the frames completed by this chunk; each is a fresh buffer the caller owns. */
  push(chunk: Uint8Array): Uint8Array[] {
    const done: Uint8Array[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.frameBytes - this.filled, chunk.length - offset);
      this.current.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.frameBytes) {
        done.push(this.current);
        this.current = new Uint8Array(this.frameBytes);
        this.filled = 0;
      }
    }
    return done;
  }

  /** Bytes of an incomplete frame left over (a stream cut mid-frame). */
  get pending(): number {
    return this.filled;
  }
}
