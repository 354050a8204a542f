import { spawn } from 'node:child_process';
import { ffmpegEnvironment } from './ffmpeg-env.ts';
import { ffmpegNotFound } from './errors.ts';

export interface VideoInfo {
  width: number;
  height: number;
  /** Nominal frames per second (the stream's average rate). */
  fps: number;
  /** Frame count when the container knows it (files), else undefined. */
  frames?: number;
  durationSeconds?: number;
  /** The container's creation_time tag, when present. */
  creationTime?: string;
}

function parseRate(rate: string | undefined): number {
  if (!rate) return NaN;
  const [num, den] = rate.split('/').map(Number);
  return den ? num / den : Number(num);
}

/** Reads size and frame rate of the first video stream with ffprobe (shipped with ffmpeg). */
export async function probeVideo(url: string, { ffprobe = process.env.BYLIV_FFPROBE ?? 'ffprobe', timeoutMs = 20_000 } = {}): Promise<VideoInfo> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,avg_frame_rate,r_frame_rate,nb_frames,duration:format=duration:format_tags=creation_time', '-of', 'json'];
  if (/^rtsps?:\/\//i.test(url)) args.push('-rtsp_transport', 'tcp', '-timeout', '10000000');
  args.push(url);
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(ffprobe, args, { stdio: ['ignore', 'pipe', 'pipe'], env: ffmpegEnvironment(process.env) });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? ffmpegNotFound(ffprobe) : e);
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ stdout: out, stderr: err, code: c });
    });
  });
  if (code !== 0) throw new Error(`cannot read video "${url}": ${stderr.trim().split('\n').slice(-3).join(' ') || `ffprobe exited with ${code}`}`);
  const info = JSON.parse(stdout) as {
    streams?: { width?: number; height?: number; avg_frame_rate?: string; r_frame_rate?: string; nb_frames?: string; duration?: string }[];
    format?: { duration?: string; tags?: { creation_time?: string } };
  };
  const stream = info.streams?.[0];
  if (!stream?.width || !stream.height) throw new Error(`"${url}" has no video stream`);
  let fps = parseRate(stream.avg_frame_rate);
  if (!(fps > 0 && fps < 1000)) fps = parseRate(stream.r_frame_rate);
  if (!(fps > 0 && fps < 1000)) fps = 25; // live streams often do not say; only used for nominal durations
  const frames = Number(stream.nb_frames);
  const duration = Number(stream.duration ?? info.format?.duration);
  return {
    width: stream.width,
    height: stream.height,
    fps,
    frames: Number.isFinite(frames) && frames > 0 ? frames : undefined,
    durationSeconds: Number.isFinite(duration) && duration > 0 ? duration : undefined,
    creationTime: info.format?.tags?.creation_time,
  };
}
