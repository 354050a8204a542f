import { describe, expect, it } from 'vitest';
import { ffmpegArgs, isLiveSource, isProblemLine, parseDecodeError, parseShowinfoLine } from './ffmpeg-args.ts';
import { nextBackoffMs } from './backoff.ts';
import { FrameSplitter } from './frame-splitter.ts';

describe('ffmpeg command line', () => {
  it('scales to the model size and writes raw frames of the requested pixel format', () => {
    const args = ffmpegArgs({ url: 'a.mp4', width: 416, height: 320, pixelFormat: 'bgr24' });
    expect(args.join(' ')).toContain('-vf scale=416:320:flags=bilinear,showinfo');
    expect(args.slice(-5)).toEqual(['-f', 'rawvideo', '-pix_fmt', 'bgr24', 'pipe:1']);
    expect(args).not.toContain('-re');
  });
  it('uses TCP and a socket timeout for RTSP, and paces files only when asked', () => {
    expect(ffmpegArgs({ url: 'rtsp://cam/1', width: 8, height: 8, pixelFormat: 'rgb24' })).toContain('-rtsp_transport');
    expect(ffmpegArgs({ url: 'a.avi', width: 8, height: 8, pixelFormat: 'rgb24', realtime: true })).toContain('-re');
    expect(ffmpegArgs({ url: 'rtsp://cam/1', width: 8, height: 8, pixelFormat: 'rgb24', realtime: true })).not.toContain('-re');
  });
  it('tells live streams from files', () => {
    expect(isLiveSource('rtsp://10.0.0.5:554/stream1')).toBe(true);
    expect(isLiveSource('RTSPS://cam/x')).toBe(true);
    expect(isLiveSource('http://cam/mjpeg')).toBe(true);
    expect(isLiveSource('/data/rtsp-recording.mp4')).toBe(false);
    expect(isLiveSource('video.avi')).toBe(false);
  });
});

describe('showinfo parsing', () => {
  it('reads frame number and timestamp', () => {
    const line = '[Parsed_showinfo_1 @ 0x55d0c8a3e2c0] n:  12 pts:     12 pts_time:1.2     duration:1 duration_time:0.1 fmt:bgr24';
    expect(parseShowinfoLine(line)).toEqual({ n: 12, ptsTime: 1.2, key: false });
    // With -loglevel level+info, as the agent runs ffmpeg.
    const key = '[Parsed_showinfo_1 @ 0x1] [info] n: 250 pts:    250 pts_time:25      pos:  2613364 fmt:bgr24 sar:0/1 s:320x240 i:P iskey:1 type:I';
    expect(parseShowinfoLine(key)).toEqual({ n: 250, ptsTime: 25, key: true });
  });
  it('tells decode errors from chatter', () => {
    expect(parseDecodeError('[msmpeg4 @ 0x5587] [error] Error at MB: 1594')).toBe('Error at MB: 1594');
    expect(parseDecodeError('[warning] c.avi: corrupt decoded frame in stream 0')).toBe('c.avi: corrupt decoded frame in stream 0');
    expect(parseDecodeError('[msmpeg4 @ 0x5587] [error] ')).toBeNull();
    expect(parseDecodeError('[info] Stream mapping:')).toBeNull();
    expect(parseDecodeError('[Parsed_showinfo_1 @ 0x1] [info] n: 1 pts: 1 pts_time:0.1 error')).toBeNull();
  });
  it('ignores other lines and keeps only problems for error messages', () => {
    expect(parseShowinfoLine('Input #0, avi, from vtest.avi:')).toBeNull();
    expect(parseShowinfoLine('[Parsed_showinfo_1 @ 0x1] config in time_base: 1/10, frame_rate: 10/1')).toBeNull();
    expect(isProblemLine('vtest.avi: No such file or directory')).toBe(true);
    expect(isProblemLine('[Parsed_showinfo_1 @ 0x1] n: 1 pts: 1 pts_time:0.1')).toBe(false);
  });
});

describe('frame splitting', () => {
  it('reassembles frames from chunks of any size', () => {
    const splitter = new FrameSplitter(4);
    const bytes = Uint8Array.from({ length: 11 }, (_, i) => i);
    const frames = [...splitter.push(bytes.subarray(0, 3)), ...splitter.push(bytes.subarray(3, 9)), ...splitter.push(bytes.subarray(9))];
    expect(frames.map((f) => [...f])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(splitter.pending).toBe(3);
  });
  it('hands out buffers that later chunks do not overwrite', () => {
    const splitter = new FrameSplitter(2);
    const [first] = splitter.push(Uint8Array.of(1, 2));
    splitter.push(Uint8Array.of(3, 4));
    expect([...first]).toEqual([1, 2]);
  });
});

describe('reconnect backoff', () => {
  const policy = { initialMs: 1000, maxMs: 30_000, factor: 2, maxAttempts: 5 };
  it('doubles up to the cap and gives up after the last attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => nextBackoffMs(policy, n))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(nextBackoffMs({ ...policy, maxAttempts: Infinity }, 10)).toBe(30_000);
    expect(nextBackoffMs(policy, 6)).toBeNull();
  });
});
