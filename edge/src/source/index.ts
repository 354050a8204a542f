/** The `source` stage: decode files and streams with ffmpeg into raw frames. */
export { openVideoSource, type VideoSourceOptions, type SourceEvent } from './video-source.ts';
export { probeVideo, type VideoInfo } from './probe.ts';
export { ffmpegArgs, isLiveSource, parseShowinfoLine, type PixelFormat, type DecodeRequest } from './ffmpeg-args.ts';
export { FrameSplitter } from './frame-splitter.ts';
export { nextBackoffMs, type BackoffPolicy } from './backoff.ts';
export { DamagedStretches } from './damage.ts';
