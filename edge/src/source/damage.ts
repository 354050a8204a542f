/**
 * Stretches of a video that ffmpeg could not decode cleanly (Frame.damage): such frames are
 * concealment, not the scene, so the agent does not count them and their time becomes a gap
 * in the bins. One log line per stretch, when it ends, not one per frame.
 */
import type { Frame } from '../types.ts';

interface Stretch {
  from: number;
  to: number;
  frames: number;
  message: string;
}

export class DamagedStretches {
  /** Damaged frames seen in all. */
  frames = 0;
  private open: Stretch | undefined;

  constructor(
    private readonly source: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Records `frame`; true when it is damaged and must not be counted. */
  note(frame: Pick<Frame, 'time' | 'damage'>): boolean {
    if (frame.damage === undefined) {
      this.end();
      return false;
    }
    this.frames++;
    if (this.open && this.open.message === frame.damage) {
      this.open.to = frame.time;
      this.open.frames++;
    } else {
      this.end();
      this.open = { from: frame.time, to: frame.time, frames: 1, message: frame.damage };
    }
    return true;
  }

  /** Closes the stretch under way (the video ended in one, or a clean frame came). */
  end(): void {
    const s = this.open;
    if (!s) return;
    this.open = undefined;
    const message = s.message.length > 120 ? `${s.message.slice(0, 117)}...` : s.message;
    this.log(
      `${this.source}: damaged video from ${s.from.toFixed(1)} s to ${s.to.toFixed(1)} s (${s.frames} frame${s.frames === 1 ? '' : 's'}; ffmpeg: "${message}"): not counted, a gap in the bins`,
    );
  }
}
