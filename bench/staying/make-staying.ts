/**
 * Makes the "staying" sequence: PETS09-S2L1 with one frame held for a while under temporal
 * sensor noise, so the people in it stand still, then walk on. Writes
 * `<out-dir>/pets09-staying/video.mp4` (H.264 as the data set README describes: libx264,
 * CRF 18, yuv420p, the source's frame rate, a key frame every 2 s), the matching `gt.txt`
 * and `params.json`; skips the encode when params.json already records the same parameters.
 * A new video is checked (frame count, timestamps, frame-by-frame alignment with the source)
 * before it replaces the old one.
 *
 *   npx tsx bench/staying/make-staying.ts [--out-dir bench/out] [--hold-frame 688]
 *                                         [--hold-seconds 60] [--noise 6] [--force]
 *
 * The data set comes from ../shared/datasets/pets09-s2l1/ (or BYLIV_PETS09_DIR), ffmpeg from
 * the OS (or BYLIV_FFMPEG / BYLIV_FFPROBE). Never writes into the data set folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatMot, parseMot } from '../mot/gt.ts';
import { PETS09_DIR, REPO_ROOT } from '../mot/paths.ts';
import { DEFAULT_NOISE, DEFAULT_SEED, holdFilter, holdGroundTruth } from './hold.ts';
import { formatVerifyReport, verifyStayingVideo } from './verify.ts';
import { defaultTools, ffmpegVersion, probe, probeLoopStartOffset, runTool, StayingError, type Tools } from './video.ts';

/** The held frame chosen by the rule in README.md (bench/staying/rule.ts computes it). */
export const STAYING_HOLD_FRAME = 688;
export const STAYING_HOLD_SECONDS = 60;
export const DEFAULT_OUT_DIR = join(REPO_ROOT, 'bench/out');
export const SEQUENCE_NAME = 'pets09-staying';

export interface StayingOptions {
  /** Folder that receives `pets09-staying/` (default bench/out). */
  outDir?: string;
  /** 1-based frame to hold (default STAYING_HOLD_FRAME). */
  holdFrame?: number;
  /** How long to hold it (default 60 s); rounded to whole frames at the source's rate. */
  holdSeconds?: number;
  /** noise filter strength (default 6); 0 for none. */
  noise?: number;
  /** x264 preset (default "medium"). */
  preset?: string;
  /** Encode even when params.json matches. */
  force?: boolean;
  /** Folder holding vtest.avi and gt.txt (default BYLIV_PETS09_DIR or ../shared/datasets/pets09-s2l1). */
  datasetDir?: string;
  tools?: Tools;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

export interface StayingSequence {
  video: string;
  gt: string;
  fps: number;
  /** Frames of the staying video (source frames + holdFrames). */
  frames: number;
  holdFrame: number;
  holdFrames: number;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Encoder options after `-vf`: same encoding as the data set README's sequences. */
export function encoderArgs(rate: string, fps: number, preset: string): string[] {
  return ['-c:v', 'libx264', '-preset', preset, '-crf', '18', '-pix_fmt', 'yuv420p', '-r', rate, '-g', String(Math.round(2 * fps)), '-an'];
}

/**
 * Makes (or finds up to date) the staying sequence and returns where it is. Throws a
 * StayingError with a readable message when ffmpeg or the data set is missing, or when a
 * new video fails its check.
 */
export async function ensureStayingSequence(opts: StayingOptions = {}): Promise<StayingSequence> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const tools = opts.tools ?? defaultTools();
  const datasetDir = resolve(opts.datasetDir ?? PETS09_DIR);
  const sourceVideo = join(datasetDir, 'vtest.avi');
  const sourceGt = join(datasetDir, 'gt.txt');
  const missing = [sourceVideo, sourceGt].filter((p) => !existsSync(p));
  if (missing.length)
    throw new StayingError(`PETS09-S2L1 not found: looked for ${missing.join(' and ')} (set BYLIV_PETS09_DIR to the folder holding vtest.avi and gt.txt; see ../shared/datasets/README.md)`);

  const holdFrame = opts.holdFrame ?? STAYING_HOLD_FRAME;
  const holdSeconds = opts.holdSeconds ?? STAYING_HOLD_SECONDS;
  const noise = opts.noise ?? DEFAULT_NOISE;
  const preset = opts.preset ?? 'medium';
  if (!(holdSeconds >= 0) || !Number.isFinite(holdSeconds)) throw new StayingError(`hold seconds must be a number >= 0, got ${holdSeconds}`);

  const version = await ffmpegVersion(tools);
  const src = await probe(tools, sourceVideo);
  if (!Number.isInteger(holdFrame) || holdFrame < 1 || holdFrame > src.frames) throw new StayingError(`hold frame must be a whole number from 1 to ${src.frames} (the source's frames), got ${holdFrame}`);
  const holdFrames = Math.round(holdSeconds * src.fps);
  const loopStartOffset = await probeLoopStartOffset(tools);
  let filter: string;
  try {
    filter = holdFilter(holdFrame, holdFrames, { noise, seed: DEFAULT_SEED, loopStartOffset });
  } catch (error) {
    throw new StayingError((error as Error).message);
  }
  const encoder = encoderArgs(src.rate, src.fps, preset);

  const dir = join(resolve(opts.outDir ?? DEFAULT_OUT_DIR), SEQUENCE_NAME);
  const video = join(dir, 'video.mp4');
  const gtFile = join(dir, 'gt.txt');
  const paramsFile = join(dir, 'params.json');
  const params = {
    sequence: SEQUENCE_NAME,
    source: { video: sourceVideo, videoSha256: sha256(sourceVideo), gtSha256: sha256(sourceGt), frames: src.frames, rate: src.rate, width: src.width, height: src.height },
    holdFrame,
    holdFrames,
    holdSeconds: holdFrames / src.fps,
    noise,
    filter,
    encoder,
    ffmpeg: version,
    frames: src.frames + holdFrames,
  };
  const sequence: StayingSequence = { video, gt: gtFile, fps: src.fps, frames: src.frames + holdFrames, holdFrame, holdFrames };

  if (!opts.force && existsSync(video) && existsSync(gtFile) && existsSync(paramsFile)) {
    let old: unknown;
    try {
      old = JSON.parse(readFileSync(paramsFile, 'utf8'));
    } catch {
      old = undefined;
    }
    if (JSON.stringify(old) === JSON.stringify(params)) {
      log(`staying sequence up to date: ${video}`);
      return sequence;
    }
    log('staying sequence parameters changed: encoding again');
  }

  mkdirSync(dir, { recursive: true });
  rmSync(paramsFile, { force: true }); // a half-made folder never looks up to date
  const partial = join(dir, 'video.partial.mp4');
  log(`holding frame ${holdFrame} of ${sourceVideo} for ${holdFrames} frames (${params.holdSeconds} s): ${params.frames} frames`);
  log(`ffmpeg -vf ${filter} ${encoder.join(' ')}`);
  const started = Date.now();
  let lastShown = -1;
  let pending = '';
  const r = await runTool(tools.ffmpeg, ['-hide_banner', '-nostdin', '-nostats', '-v', 'error', '-y', '-i', sourceVideo, '-map', '0:v:0', '-vf', filter, ...encoder, '-progress', 'pipe:1', partial], (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines) {
      const m = /^frame=(\d+)/.exec(l);
      if (!m) continue;
      const tenth = Math.floor((10 * Number(m[1])) / params.frames);
      if (tenth > lastShown) {
        lastShown = tenth;
        log(`  encoding: ${m[1]}/${params.frames} frames (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
  });
  if (r.code !== 0) {
    rmSync(partial, { force: true });
    throw new StayingError(`ffmpeg failed to encode the staying video (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-4).join(' | ')}`);
  }

  log('checking the new video against the source');
  const sourceBoxes = parseMot(readFileSync(sourceGt, 'utf8'), sourceGt);
  const report = await verifyStayingVideo({ video: partial, source: sourceVideo, holdFrame, holdFrames, people: sourceBoxes.filter((b) => b.frame === holdFrame), tools });
  log(formatVerifyReport(report).replace(/^/gm, '  '));
  if (report.problems.length) throw new StayingError(`the new staying video (left at ${partial}) does not match its ground truth: ${report.problems.join('; ')}`);
  renameSync(partial, video);

  const gt = holdGroundTruth(sourceBoxes, holdFrame, holdFrames);
  writeFileSync(gtFile, formatMot(gt));
  writeFileSync(paramsFile, `${JSON.stringify(params, null, 2)}\n`);
  log(`wrote ${video}\nwrote ${gtFile} (${gt.length} boxes)\nwrote ${paramsFile}`);
  return sequence;
}

const USAGE = `Usage: npx tsx bench/staying/make-staying.ts [options]
  --out-dir <dir>        folder for pets09-staying/ (default bench/out)
  --hold-frame <K>       1-based frame to hold (default ${STAYING_HOLD_FRAME}, chosen by the rule in bench/staying/README.md)
  --hold-seconds <s>     how long to hold it (default ${STAYING_HOLD_SECONDS})
  --noise <0-100>        strength of ffmpeg's temporal noise (default ${DEFAULT_NOISE}; 0 = none)
  --preset <name>        x264 preset (default medium)
  --force                encode even if params.json matches
`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { values } = parseArgs({
      options: {
        'out-dir': { type: 'string' },
        'hold-frame': { type: 'string' },
        'hold-seconds': { type: 'string' },
        noise: { type: 'string' },
        preset: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
    } else {
      const num = (name: string, v: string | undefined): number | undefined => {
        if (v === undefined) return undefined;
        const n = Number(v);
        if (v.trim() === '' || !Number.isFinite(n)) throw new StayingError(`--${name} must be a number, got "${v}"`);
        return n;
      };
      const seq = await ensureStayingSequence({
        outDir: values['out-dir'],
        holdFrame: num('hold-frame', values['hold-frame']),
        holdSeconds: num('hold-seconds', values['hold-seconds']),
        noise: num('noise', values.noise),
        preset: values.preset,
        force: values.force,
      });
      console.log(`video: ${seq.video}\ngt:    ${seq.gt}\n${seq.frames} frames at ${seq.fps} fps; frame ${seq.holdFrame} held for ${seq.holdFrames} frames`);
    }
  } catch (error) {
    if (error instanceof StayingError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`make-staying: ${(error as Error).message}`);
      if (!(error instanceof StayingError)) process.stderr.write(USAGE);
      process.exitCode = 1;
    } else throw error;
  }
}
