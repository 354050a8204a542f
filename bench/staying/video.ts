/**
 * Small ffmpeg helpers for the staying sequence: finding the binaries, probing a file,
 * measuring what the `loop` filter's `start` counts from, decoding frames to grey levels for
 * the alignment check. ffmpeg and ffprobe come from the OS (or BYLIV_FFMPEG / BYLIV_FFPROBE,
 * as for the edge agent).
 */
import { spawn } from 'node:child_process';

export class StayingError extends Error {
  override name = 'StayingError';
}

export interface Tools {
  ffmpeg: string;
  ffprobe: string;
}

export function defaultTools(): Tools {
  return { ffmpeg: process.env.BYLIV_FFMPEG ?? 'ffmpeg', ffprobe: process.env.BYLIV_FFPROBE ?? 'ffprobe' };
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs a tool to the end. `onStdout` (if given) receives stdout chunks instead of buffering
 * them. A missing binary becomes a StayingError that says how to install it.
 */
export function runTool(binary: string, args: readonly string[], onStdout?: (chunk: Buffer) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => (onStdout ? onStdout(d) : out.push(d)));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.length > 200_000) err = err.slice(-100_000);
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new StayingError(`${binary} was not found: the staying sequence is made with ffmpeg from the OS packages (Debian: sudo apt-get install ffmpeg), or set BYLIV_FFMPEG / BYLIV_FFPROBE to its path`)
          : e,
      ),
    );
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

function lastLines(text: string, n = 4): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/** `ffmpeg -version`'s first line, e.g. "ffmpeg version 5.1.9-0+deb12u1". */
export async function ffmpegVersion(tools: Tools): Promise<string> {
  const r = await runTool(tools.ffmpeg, ['-hide_banner', '-version']);
  if (r.code !== 0) throw new StayingError(`${tools.ffmpeg} -version failed: ${lastLines(r.stderr)}`);
  return r.stdout.toString().split('\n')[0].replace(/\s+Copyright.*$/, '').trim();
}

export interface Probe {
  width: number;
  height: number;
  /** Frame rate as ffprobe writes it, e.g. "10/1". */
  rate: string;
  fps: number;
  /** Frames counted by decoding (ffprobe -count_frames), or the container's count with count: false. */
  frames: number;
}

export async function probe(tools: Tools, file: string, { count = true } = {}): Promise<Probe> {
  const args = ['-v', 'error', '-select_streams', 'v:0', ...(count ? ['-count_frames'] : []), '-show_entries', 'stream=width,height,r_frame_rate,avg_frame_rate,nb_read_frames,nb_frames', '-of', 'json', file];
  const r = await runTool(tools.ffprobe, args);
  if (r.code !== 0) throw new StayingError(`cannot read video ${file}: ${lastLines(r.stderr) || `ffprobe exited with ${r.code}`}`);
  const s = (JSON.parse(r.stdout.toString()) as { streams?: { width?: number; height?: number; r_frame_rate?: string; avg_frame_rate?: string; nb_read_frames?: string; nb_frames?: string }[] }).streams?.[0];
  if (!s?.width || !s.height) throw new StayingError(`${file} has no video stream`);
  const rate = s.avg_frame_rate && s.avg_frame_rate !== '0/0' ? s.avg_frame_rate : (s.r_frame_rate ?? '');
  const [num, den] = rate.split('/').map(Number);
  const fps = den ? num / den : num;
  if (!(fps > 0 && fps < 1000)) throw new StayingError(`${file}: no usable frame rate (${rate})`);
  return { width: s.width, height: s.height, rate, fps, frames: Number(count ? s.nb_read_frames : s.nb_frames) };
}

/** Presentation times of the video packets (seconds, sorted), without decoding. */
export async function packetTimes(tools: Tools, file: string): Promise<number[]> {
  const r = await runTool(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file]);
  if (r.code !== 0) throw new StayingError(`cannot read packets of ${file}: ${lastLines(r.stderr)}`);
  return r.stdout
    .toString()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map(Number)
    .sort((a, b) => a - b);
}

/** Frame checksums from the showinfo filter, in output order. */
async function checksums(tools: Tools, vf: string): Promise<string[]> {
  const r = await runTool(tools.ffmpeg, ['-hide_banner', '-nostats', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=32x24:rate=10:duration=0.8', '-vf', `${vf}showinfo`, '-f', 'null', '-']);
  if (r.code !== 0) throw new StayingError(`ffmpeg could not run the loop filter on a test clip: ${lastLines(r.stderr)}`);
  return [...r.stderr.matchAll(/ checksum:([0-9A-F]+)/g)].map((m) => m[1]);
}

/**
 * What the loop filter's `start` counts from on this ffmpeg: loops frame 3 (0-based) of an
 * 8-frame test clip with `start=3` and sees which frame comes out twice. 0 when it is frame 3
 * (the documented meaning), 1 when it is frame 2 (FFmpeg 5.1).
 */
export async function probeLoopStartOffset(tools: Tools): Promise<0 | 1> {
  const plain = await checksums(tools, '');
  const looped = await checksums(tools, 'loop=loop=1:size=1:start=3,');
  if (plain.length !== 8 || new Set(plain).size !== 8 || looped.length !== 9) throw new StayingError(`unexpected loop filter test result: ${plain.length} frames plain, ${looped.length} looped`);
  const held = plain.findIndex((c, i) => looped[i] === c && looped[i + 1] === c);
  if (held === 3) return 0;
  if (held === 2) return 1;
  throw new StayingError(`the loop filter held frame ${held} of a test clip for start=3; expected 3 (or 2 on FFmpeg 5.1)`);
}

/**
 * Decodes `file` to 8-bit grey frames and keeps the 1-based frames in `wanted`. Returns them
 * and the number of frames decoded.
 */
export async function greyFrames(tools: Tools, file: string, width: number, height: number, wanted: ReadonlySet<number>): Promise<{ frames: Map<number, Uint8Array>; decoded: number }> {
  const size = width * height;
  const frames = new Map<number, Uint8Array>();
  let index = 0; // frames completed
  let cur = Buffer.alloc(size);
  let fill = 0;
  const r = await runTool(tools.ffmpeg, ['-v', 'error', '-nostdin', '-i', file, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], (chunk) => {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(size - fill, chunk.length - off);
      if (wanted.has(index + 1)) chunk.copy(cur, fill, off, off + n);
      fill += n;
      off += n;
      if (fill === size) {
        index++;
        if (wanted.has(index)) {
          frames.set(index, new Uint8Array(cur));
          cur = Buffer.alloc(size);
        }
        fill = 0;
      }
    }
  });
  if (r.code !== 0) throw new StayingError(`cannot decode ${file}: ${lastLines(r.stderr)}`);
  return { frames, decoded: index };
}

/** Mean absolute difference of two grey frames. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** PSNR in dB of two grey frames (Infinity when equal). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  const mse = s / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Mean and standard deviation of a − b. */
export function diffStats(a: Uint8Array, b: Uint8Array): { mean: number; sd: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d;
    s2 += d * d;
  }
  const mean = s / a.length;
  return { mean, sd: Math.sqrt(Math.max(0, s2 / a.length - mean * mean)) };
}
