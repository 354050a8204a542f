/**
 * Checks that a staying video shows, frame by frame, what its ground truth says: the frame
 * count, regular timestamps, and for a set of output frames n that the source frame closest
 * in content (mean absolute grey difference) among sourceFrameOf(n) ± 3 is sourceFrameOf(n).
 * Also measures the noise between two held frames.
 *
 *   npx tsx bench/staying/verify.ts [--video bench/out/pets09-staying/video.mp4]
 *                                   [--source vtest.avi] [--hold-frame K] [--hold-frames N]
 *
 * (hold frame and length default to the params.json next to the video).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseMot, type MotBox } from '../mot/gt.ts';
import { PETS09_GT, PETS09_VIDEO, REPO_ROOT } from '../mot/paths.ts';
import { sourceFrameOf } from './hold.ts';
import { defaultTools, diffStats, greyFrames, meanAbsDiff, packetTimes, probe, psnr, StayingError, type Tools } from './video.ts';

export interface AlignmentCheck {
  outFrame: number;
  expected: number;
  /** The source frame closest in content among expected ± 3. */
  best: number;
  madExpected: number;
  /** The closest other candidate and its difference. */
  runnerUp: number;
  madRunnerUp: number;
  psnrExpected: number;
}

export interface VerifyReport {
  /** Frames decoded from the video. */
  frames: number;
  expectedFrames: number;
  /** Largest deviation (s) of a packet time from (index / fps). */
  ptsError: number;
  checks: AlignmentCheck[];
  /** Two held frames (K+1 and K+N): mean/sd of their difference, MAD, PSNR. */
  held: { a: number; b: number; mad: number; mean: number; sd: number; psnr: number; madPeople: number };
  /** Two consecutive source frames around the hold (K, K+1) for comparison: people moved. */
  sourceStep: { a: number; b: number; mad: number; psnr: number; madPeople: number };
  problems: string[];
}

export interface VerifyOptions {
  video: string;
  source: string;
  holdFrame: number;
  holdFrames: number;
  /** Ground-truth boxes of the held frame: the differences are also measured inside them. */
  people?: readonly MotBox[];
  tools?: Tools;
}

export async function verifyStayingVideo(opts: VerifyOptions): Promise<VerifyReport> {
  const tools = opts.tools ?? defaultTools();
  const K = opts.holdFrame;
  const N = opts.holdFrames;
  const src = await probe(tools, opts.source);
  // The output's frames are counted once, by decoding them below (h264 decoding is the slow part).
  const out = await probe(tools, opts.video, { count: false });
  const problems: string[] = [];
  const expectedFrames = src.frames + N;
  if (out.frames !== expectedFrames) problems.push(`the container says ${out.frames} frames, expected ${src.frames} + ${N} = ${expectedFrames}`);
  if (out.width !== src.width || out.height !== src.height) problems.push(`size ${out.width}x${out.height}, source ${src.width}x${src.height}`);

  const times = await packetTimes(tools, opts.video);
  let ptsError = 0;
  times.forEach((t, i) => (ptsError = Math.max(ptsError, Math.abs(t - times[0] - i / src.fps))));
  if (times.length !== expectedFrames) problems.push(`${times.length} packets, expected ${expectedFrames}`);
  if (ptsError > 0.5 / src.fps) problems.push(`irregular timestamps: a packet is ${ptsError.toFixed(3)} s off its slot`);

  const total = expectedFrames;
  const probeFrames = [...new Set([1, 2, K - 1, K, K + 1, K + Math.floor(N / 2), K + N, K + N + 1, K + N + 2, K + N + 10, total - 1, total])]
    .filter((n) => n >= 1 && n <= total)
    .sort((a, b) => a - b);
  const wantedOut = new Set([...probeFrames, K + 1, K + N, K + N + 1].filter((n) => n >= 1 && n <= total));
  const candidates = new Map<number, number[]>();
  const wantedSrc = new Set<number>([K, K + 1].filter((n) => n <= src.frames));
  for (const n of probeFrames) {
    const e = sourceFrameOf(n, K, N);
    const c: number[] = [];
    for (let s = e - 3; s <= e + 3; s++) if (s >= 1 && s <= src.frames) c.push(s);
    candidates.set(n, c);
    c.forEach((s) => wantedSrc.add(s));
  }
  const [s, o] = await Promise.all([greyFrames(tools, opts.source, src.width, src.height, wantedSrc), greyFrames(tools, opts.video, out.width, out.height, wantedOut)]);
  if (o.decoded !== expectedFrames) problems.push(`decoded ${o.decoded} frames, expected ${src.frames} + ${N} = ${expectedFrames}`);

  const checks: AlignmentCheck[] = [];
  for (const n of probeFrames) {
    const frame = o.frames.get(n);
    if (!frame) continue;
    const expected = sourceFrameOf(n, K, N);
    const scored = candidates.get(n)!.map((c) => ({ c, mad: meanAbsDiff(frame, s.frames.get(c)!) })).sort((a, b) => a.mad - b.mad);
    const other = scored.find((x) => x.c !== expected) ?? { c: NaN, mad: NaN };
    const check: AlignmentCheck = { outFrame: n, expected, best: scored[0].c, madExpected: scored.find((x) => x.c === expected)!.mad, runnerUp: other.c, madRunnerUp: other.mad, psnrExpected: psnr(frame, s.frames.get(expected)!) };
    checks.push(check);
    if (check.best !== expected) problems.push(`output frame ${n} looks most like source frame ${check.best}, expected ${expected}`);
  }

  // Pixels inside the held frame's people boxes: where a wrong frame would differ most.
  const mask = new Uint8Array(src.width * src.height);
  for (const b of opts.people ?? [])
    for (let y = Math.max(0, Math.floor(b.top)); y < Math.min(src.height, Math.ceil(b.top + b.height)); y++)
      for (let x = Math.max(0, Math.floor(b.left)); x < Math.min(src.width, Math.ceil(b.left + b.width)); x++) mask[y * src.width + x] = 1;
  const madIn = (a: Uint8Array, b: Uint8Array): number => {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < a.length; i++)
      if (mask[i]) {
        sum += Math.abs(a[i] - b[i]);
        n++;
      }
    return n ? sum / n : NaN;
  };
  const ha = o.frames.get(K + 1);
  const hb = o.frames.get(K + N);
  let held: VerifyReport['held'] = { a: K + 1, b: K + N, mad: NaN, mean: NaN, sd: NaN, psnr: NaN, madPeople: NaN };
  if (ha && hb && N >= 2) {
    held = { a: K + 1, b: K + N, mad: meanAbsDiff(ha, hb), ...diffStats(ha, hb), psnr: psnr(ha, hb), madPeople: madIn(ha, hb) };
    if (held.mad === 0) problems.push(`held frames ${K + 1} and ${K + N} are identical: no noise`);
    if (Math.abs(held.mean) > 0.5) problems.push(`held frames ${K + 1} and ${K + N} differ by ${held.mean.toFixed(2)} grey levels on average: more than noise`);
  }
  const sa = s.frames.get(K);
  const sb = s.frames.get(K + 1);
  const sourceStep = sa && sb ? { a: K, b: K + 1, mad: meanAbsDiff(sa, sb), psnr: psnr(sa, sb), madPeople: madIn(sa, sb) } : { a: K, b: K + 1, mad: NaN, psnr: NaN, madPeople: NaN };
  return { frames: o.decoded, expectedFrames, ptsError, checks, held, sourceStep, problems };
}

export function formatVerifyReport(r: VerifyReport): string {
  const lines = [
    `frames: ${r.frames} (expected ${r.expectedFrames}); largest timestamp error ${r.ptsError.toFixed(4)} s`,
    '| output frame | should show source | closest source | MAD to it | next closest (MAD) | PSNR vs expected |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.checks.map((c) => `| ${c.outFrame} | ${c.expected} | ${c.best} | ${c.madExpected.toFixed(2)} | ${c.runnerUp} (${c.madRunnerUp.toFixed(2)}) | ${c.psnrExpected.toFixed(1)} dB |`),
    `held frames ${r.held.a} vs ${r.held.b}: MAD ${r.held.mad.toFixed(2)} (inside the people's boxes ${r.held.madPeople.toFixed(2)}), difference mean ${r.held.mean.toFixed(3)} sd ${r.held.sd.toFixed(2)} (noise σ ≈ ${(r.held.sd / Math.SQRT2).toFixed(2)} per frame), PSNR ${r.held.psnr.toFixed(1)} dB`,
    `source frames ${r.sourceStep.a} vs ${r.sourceStep.b} (people moved): MAD ${r.sourceStep.mad.toFixed(2)} (inside the people's boxes ${r.sourceStep.madPeople.toFixed(2)}), PSNR ${r.sourceStep.psnr.toFixed(1)} dB`,
    r.problems.length ? `PROBLEMS:\n  ${r.problems.join('\n  ')}` : 'alignment OK',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { video: { type: 'string' }, source: { type: 'string' }, 'hold-frame': { type: 'string' }, 'hold-frames': { type: 'string' } },
  });
  try {
    const video = resolve(values.video ?? join(REPO_ROOT, 'bench/out/pets09-staying/video.mp4'));
    if (!existsSync(video)) throw new StayingError(`no video at ${video}: make it with npx tsx bench/staying/make-staying.ts`);
    const paramsFile = join(dirname(video), 'params.json');
    const params = existsSync(paramsFile) ? (JSON.parse(readFileSync(paramsFile, 'utf8')) as { holdFrame?: number; holdFrames?: number; source?: { video?: string } }) : {};
    const holdFrame = Number(values['hold-frame'] ?? params.holdFrame);
    const holdFrames = Number(values['hold-frames'] ?? params.holdFrames);
    if (!Number.isInteger(holdFrame) || !Number.isInteger(holdFrames)) throw new StayingError(`give --hold-frame and --hold-frames (no params.json next to ${video})`);
    const people = existsSync(PETS09_GT) ? parseMot(readFileSync(PETS09_GT, 'utf8'), PETS09_GT).filter((b) => b.frame === holdFrame) : undefined;
    const report = await verifyStayingVideo({ video, source: resolve(values.source ?? params.source?.video ?? PETS09_VIDEO), holdFrame, holdFrames, people });
    console.log(formatVerifyReport(report));
    process.exitCode = report.problems.length ? 1 : 0;
  } catch (error) {
    console.error(error instanceof StayingError ? `verify: ${error.message}` : error);
    process.exitCode = 1;
  }
}
