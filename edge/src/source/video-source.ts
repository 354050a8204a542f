/**
 * The `source` stage: an ffmpeg child process per camera turns a file or a stream into
 * fixed-size raw frames at the model's input size. Files end; live streams that drop are
 * reopened with backoff, and frames the agent cannot keep up with are dropped (and counted)
 * rather than queued without bound.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync } from 'node:fs';
import type { Frame } from '../types.ts';
import { ffmpegArgs, isLiveSource, isProblemLine, parseDecodeError, parseShowinfoLine, type PixelFormat } from './ffmpeg-args.ts';
import { FrameSplitter } from './frame-splitter.ts';
import { ffmpegEnvironment } from './ffmpeg-env.ts';
import { ffmpegNotFound } from './errors.ts';
import { nextBackoffMs, type BackoffPolicy } from './backoff.ts';

export type SourceEvent =
  | { kind: 'opened'; url: string; attempt: number }
  | { kind: 'lost'; url: string; reason: string; retryInMs: number; attempt: number }
  | { kind: 'frames-dropped'; total: number };

export interface VideoSourceOptions {
  url: string;
  /** Model input size: ffmpeg scales to it. */
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  /** Size of the original frames (from probeVideo). */
  sourceWidth: number;
  sourceHeight: number;
  realtime?: boolean;
  maxFrames?: number;
  /** Frames buffered ahead of the consumer: decode overlaps inference, memory stays bounded. */
  queueFrames?: number;
  backoff?: Partial<BackoffPolicy>;
  ffmpeg?: string;
  onEvent?: (event: SourceEvent) => void;
}

const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 30_000, factor: 2, maxAttempts: Infinity };

/** Frames of the source, in order, until a file ends or the consumer stops iterating. */
export async function* openVideoSource(opts: VideoSourceOptions): AsyncGenerator<Frame> {
  const live = isLiveSource(opts.url);
  if (!live && !existsSync(opts.url)) throw new Error(`video file not found: ${opts.url}`);
  const backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const startedAt = Date.now();
  let index = 0;
  let failures = 0;
  let dropped = 0;
  for (;;) {
    const session = new FfmpegSession(opts, live, () => {
      dropped++;
      opts.onEvent?.({ kind: 'frames-dropped', total: dropped });
    });
    opts.onEvent?.({ kind: 'opened', url: opts.url, attempt: failures });
    let firstPts: number | undefined;
    let gotFrames = false;
    try {
      for await (const raw of session.frames()) {
        gotFrames = true;
        failures = 0;
        firstPts ??= raw.ptsTime;
        // A live camera's clock restarts with each connection; the agent's own clock does not.
        const time = live ? (raw.arrivedAt - startedAt) / 1000 : raw.ptsTime - firstPts;
        const frame: Frame = { index: index++, time, pixels: raw.pixels, width: opts.width, height: opts.height, sourceWidth: opts.sourceWidth, sourceHeight: opts.sourceHeight };
        if (raw.damage !== undefined) frame.damage = raw.damage;
        yield frame;
        if (opts.maxFrames !== undefined && index >= opts.maxFrames) return;
      }
      if (!live) return;
      failures++;
      const retryInMs = nextBackoffMs(backoff, failures);
      if (retryInMs === null) throw new Error(`stream ${opts.url} ended and did not come back after ${failures} attempts`);
      opts.onEvent?.({ kind: 'lost', url: opts.url, reason: 'stream ended', retryInMs, attempt: failures });
      await sleep(retryInMs);
    } catch (error) {
      if (!live || (error as Error).message.includes('ffmpeg was not found')) throw error;
      failures = gotFrames ? 1 : failures + 1;
      const retryInMs = nextBackoffMs(backoff, failures);
      if (retryInMs === null) throw new Error(`stream ${opts.url} failed ${failures} times: ${(error as Error).message}`);
      opts.onEvent?.({ kind: 'lost', url: opts.url, reason: (error as Error).message, retryInMs, attempt: failures });
      await sleep(retryInMs);
    } finally {
      session.stop();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface RawFrame {
  pixels: Uint8Array;
  ptsTime: number;
  arrivedAt: number;
  damage?: string;
}

/** One ffmpeg process: pairs raw frames from stdout with their timestamps from stderr. */
class FfmpegSession {
  private child: ChildProcessByStdio<null, Readable, Readable> | undefined;
  private readonly pixels: { data: Uint8Array; arrivedAt: number; damage?: string }[] = [];
  private readonly times: { ptsTime: number; damage?: string }[] = [];
  /** Decode errors since the last frame ffmpeg passed on. */
  private pendingError: string | undefined;
  /** The first error of the damaged stretch under way; it ends at a key frame decoded cleanly. */
  private damage: string | undefined;
  private readonly problems: string[] = [];
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private stopping = false;

  constructor(
    private readonly opts: VideoSourceOptions,
    private readonly live: boolean,
    private readonly onDrop: () => void,
  ) {}

  async *frames(): AsyncGenerator<RawFrame> {
    this.start();
    const limit = this.opts.queueFrames ?? 4;
    for (;;) {
      while (this.pixels.length > 0 && (this.live || this.times.length > 0 || this.finished)) {
        const { data, arrivedAt, damage: liveDamage } = this.pixels.shift()!;
        // Timestamps can only be missing if ffmpeg died between the two pipes; fall back to order.
        const shown = this.times.shift();
        const ptsTime = shown?.ptsTime ?? NaN;
        if (!this.live && this.pixels.length < limit) this.child?.stdout.resume();
        yield { pixels: data, ptsTime, arrivedAt, damage: this.live ? liveDamage : shown?.damage };
      }
      if (this.finished && this.pixels.length === 0) {
        if (this.failure) throw this.failure;
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  stop(): void {
    this.stopping = true;
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private start(): void {
    const { opts } = this;
    const binary = opts.ffmpeg ?? process.env.BYLIV_FFMPEG ?? 'ffmpeg';
    const frameBytes = opts.width * opts.height * 3;
    const splitter = new FrameSplitter(frameBytes);
    const limit = opts.queueFrames ?? 4;
    const child = spawn(binary, ffmpegArgs({ ...opts, maxFrames: undefined }), { stdio: ['ignore', 'pipe', 'pipe'], env: ffmpegEnvironment(process.env) });
    this.child = child;
    child.on('error', (error: NodeJS.ErrnoException) => {
      this.failure = error.code === 'ENOENT' ? ffmpegNotFound(binary) : error;
      this.finished = true;
      this.notify();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      const now = Date.now();
      for (const data of splitter.push(chunk)) {
        // Live frames are not paired with showinfo lines: the stretch under way is the best guess.
        this.pixels.push({ data, arrivedAt: now, damage: this.live ? this.damage : undefined });
        if (this.live && this.pixels.length > limit) {
          // A live camera will not wait: keep the newest frames, count the ones skipped.
          this.pixels.shift();
          this.onDrop();
        }
      }
      if (!this.live && this.pixels.length >= limit) child.stdout.pause();
      this.notify();
    });
    let pendingLine = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      const lines = (pendingLine + text).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        const info = parseShowinfoLine(line);
        if (info) {
          // The decoder's messages come before the frame they were about; a frame predicted
          // from a damaged one is damaged too, until a key frame decodes cleanly.
          if (this.pendingError !== undefined) this.damage ??= this.pendingError;
          else if (info.key) this.damage = undefined;
          this.pendingError = undefined;
          if (!this.live) this.times.push({ ptsTime: info.ptsTime, damage: this.damage });
          continue;
        }
        const error = parseDecodeError(line);
        if (error !== null) this.pendingError ??= error;
        if (isProblemLine(line)) this.problems.push(line.trim()) > 20 && this.problems.shift();
      }
      this.notify();
    });
    child.on('close', (code, signal) => {
      if (!this.stopping && code !== 0 && !this.failure) {
        const detail = this.problems.slice(-3).join(' | ') || `exit code ${code ?? signal}`;
        this.failure = new Error(`ffmpeg could not decode ${opts.url}: ${detail}`);
      }
      if (splitter.pending > 0 && !this.live && !this.failure) {
        this.failure = new Error(`ffmpeg stopped in the middle of a frame of ${opts.url} (${splitter.pending} of ${frameBytes} bytes)`);
      }
      this.finished = true;
      this.notify();
    });
  }
}
