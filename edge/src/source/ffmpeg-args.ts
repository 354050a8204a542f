/**
 * Pure helpers for talking to ffmpeg: the command line for a source, and the parsing of
 * the per-frame `showinfo` lines that carry each frame's own timestamp.
 */

export type PixelFormat = 'bgr24' | 'rgb24';

export interface DecodeRequest {
  /** A file path or a stream URL (rtsp://, rtsps://, http(s)://, udp://, srt://…). */
  url: string;
  width: number;
  height: number;
  pixelFormat: PixelFormat;
  /** Read a file at its native frame rate, as a live camera would deliver it. */
  realtime?: boolean;
  /** Stop after this many frames. */
  maxFrames?: number;
}

const LIVE_SCHEMES = /^(rtsps?|rtmps?|srt|udp|tcp|http|https):\/\//i;

/** A live stream is retried when it drops; a file simply ends. */
export function isLiveSource(url: string): boolean {
  return LIVE_SCHEMES.test(url);
}

/**
 * ffmpeg decodes and scales to the model's input size, so the agent only ever sees
 * fixed-size raw frames on stdout; `showinfo` reports each frame's timestamp on stderr.
 */
export function ffmpegArgs(req: DecodeRequest): string[] {
  // level+: each line says its level, so the decoder's errors can be told from its chatter.
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info'];
  if (/^rtsps?:\/\//i.test(req.url)) {
    // TCP survives packet loss that UDP turns into smeared frames; the timeout (µs) makes
    // a silent camera end the process so the supervisor can reconnect.
    args.push('-rtsp_transport', 'tcp', '-timeout', '10000000');
  }
  if (req.realtime && !isLiveSource(req.url)) args.push('-re');
  args.push('-i', req.url, '-map', '0:v:0', '-an', '-sn', '-dn');
  // Scale first so showinfo checksums the small frame, not the full one.
  args.push('-vf', `scale=${req.width}:${req.height}:flags=bilinear,showinfo`);
  // Never duplicate or drop frames to force a constant rate: timestamps come from the video.
  args.push('-fps_mode', 'passthrough');
  if (req.maxFrames !== undefined) args.push('-frames:v', String(req.maxFrames));
  args.push('-f', 'rawvideo', '-pix_fmt', req.pixelFormat, 'pipe:1');
  return args;
}

export interface ShowinfoFrame {
  n: number;
  ptsTime: number;
  /** A key frame: decodes on its own, so damage before it does not reach it. */
  key: boolean;
}

const SHOWINFO = /\bParsed_showinfo_\d+\b.*?\bn:\s*(\d+)\s.*?\bpts_time:\s*(-?[\d.]+(?:e-?\d+)?)/;

/** Parses one stderr line of ffmpeg's showinfo filter; null for any other line. */
export function parseShowinfoLine(line: string): ShowinfoFrame | null {
  const m = SHOWINFO.exec(line);
  if (!m) return null;
  const ptsTime = Number(m[2]);
  return Number.isFinite(ptsTime) ? { n: Number(m[1]), ptsTime, key: /\biskey:1\b/.test(line) } : null;
}

/**
 * The message of a stderr line in which ffmpeg reports data it could not decode cleanly (an
 * `[error]` of the decoder or demuxer, or its "corrupt decoded frame" warning); null for any
 * other line. Needs `-loglevel level+…` (see ffmpegArgs).
 */
export function parseDecodeError(line: string): string | null {
  if (line.includes('Parsed_showinfo')) return null;
  const m = /\[(error|fatal|panic)\]\s*(.*)$/.exec(line) ?? /\[(warning)\]\s*(.*corrupt decoded frame.*)$/.exec(line);
  if (!m) return null;
  const message = m[2].trim();
  return message === '' ? null : message;
}

/** Whether a stderr line is ffmpeg telling about a problem (kept for error messages). */
export function isProblemLine(line: string): boolean {
  if (line.includes('Parsed_showinfo')) return false;
  return /error|invalid|no such file|not found|refused|timed? ?out|unauthorized|denied|failed|could not/i.test(line);
}
