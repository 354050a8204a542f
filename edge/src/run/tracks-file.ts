/**
 * Per-person tracks in MOTChallenge format, for evaluating the tracker against ground truth.
 * Off by default and written only to a local file the operator names: tracks are exactly
 * what the privacy invariant forbids from leaving the box, so nothing else ever reads them.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { FrameTracks } from '../types.ts';

/** `frame,id,left,top,width,height,score,-1,-1,-1` with 1-based frames, source pixels. */
export function motLines(frame: FrameTracks): string {
  let out = '';
  for (const t of frame.tracks) {
    const [x1, y1, x2, y2] = t.box;
    out += `${frame.index + 1},${t.id},${x1.toFixed(2)},${y1.toFixed(2)},${(x2 - x1).toFixed(2)},${(y2 - y1).toFixed(2)},${t.score.toFixed(3)},-1,-1,-1\n`;
  }
  return out;
}

export class TracksFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => (this.failure = new Error(`cannot write tracks file ${path}: ${error.message}`)));
  }

  write(frame: FrameTracks): void {
    if (this.failure) throw this.failure;
    if (frame.tracks.length) this.stream.write(motLines(frame));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) throw this.failure;
  }
}
