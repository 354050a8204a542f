/**
 * Accuracy benchmark. By default the suite: the edge agent over every sequence we hold (and
 * a generated staying scene), each scored as below, in one table (dev and holdout apart).
 * With --video/--scene/--tracks-file, one run on PETS09-S2L1 or the given files: runs the edge agent as a real process over the video,
 * then scores its tracks (MOTA, IDF1, …) against gt.txt and its counts against the counts
 * the ground-truth trajectories imply for the same scene. Prints a table and the verdict
 * against the targets; exits 0 whatever the verdict (it is a benchmark), 1 on errors.
 *
 *   npx tsx bench/accuracy.ts [--video V] [--gt G] [--scene S] [--fps 10] [--json out.json]
 *                             [--tracks-file F [--summary-file S]] [-- <extra edge run options>]
 *
 * --tracks-file skips the agent and evaluates an existing MOTChallenge file; the counts
 * then come from --summary-file if given, else from the tracks themselves by the reference
 * counting rules (which tests the tracker, not the edge counter).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CountSummary, type Scene } from '@byliv/protocol';
import { loadSceneFile } from '../edge/src/config/scene-file.ts';
import { buildReport, formatReport } from './mot/accuracy-report.ts';
import { countTrajectories } from './mot/counting-gt.ts';
import { evaluateMot } from './mot/evaluate.ts';
import { parseMot } from './mot/gt.ts';
import { PETS09_GT, PETS09_SCENE, PETS09_VIDEO, REPO_ROOT } from './mot/paths.ts';
import { scoreSequence } from './mot/sequence-score.ts';
import { findSequences } from './mot/sequences.ts';
import { formatSuite, type SuiteRow } from './mot/suite-report.ts';
import { ensureStayingSequence, SEQUENCE_NAME as STAYING_ID } from './staying/make-staying.ts';
import { STAYING_SCENE } from './staying/rule.ts';

class BenchError extends Error {}

const USAGE = `Usage: npx tsx bench/accuracy.ts [--sequence ID ...] [--no-staying] [--json out.json] [-- <extra edge run options>]
       npx tsx bench/accuracy.ts --video V --gt G --scene S [options] [-- <extra edge run options>]
  (no video, scene or tracks file: the suite, the agent over every sequence under
   ../shared/datasets/ and the generated staying scene, one table for all)
  --sequence <id>        only these sequences of the suite (pets09-s2l1, tud-campus, tud-stadtmitte,
                         kitti-17, pets09-staying); repeatable
  --no-staying           leave out the generated staying scene (it is encoded once, about 30 s)
  --video <file>         video to run the agent on (default: PETS09-S2L1 vtest.avi)
  --gt <gt.txt>          MOTChallenge ground truth (default: PETS09-S2L1 gt.txt)
  --scene <scene.json>   lines and zones (default: bench/scenes/pets09.json)
  --fps <n>              frame rate for person-seconds of the ground truth (default 10)
  --json <out.json>      also write the full report as JSON
  --keep-dir <dir>       keep the agent's tracks.txt and summary.json there (for tuning with
                         --tracks-file/--summary-file later); default: a temp folder, removed
  --tracks-file <file>   evaluate this MOTChallenge file instead of running the agent
  --summary-file <file>  with --tracks-file: the CountSummary to compare (default: counts
                         implied by the tracks file under the reference rules)
`;

interface EdgeOutput {
  tracks: string;
  summary: CountSummary;
  wallSeconds: number;
  /** Frames per second of the agent's frame loop (its last progress line: model loading excluded). */
  loopFps?: number;
}

function readSummary(path: string): CountSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BenchError(`cannot read summary ${path}: ${(error as Error).message}`);
  }
  const parsed = CountSummary.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new BenchError(`summary ${path} is not a CountSummary: ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  return parsed.data;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new BenchError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** `npx tsx edge/src/cli.ts run …` as a child process, its progress passed through to stderr. */
async function runEdge(video: string, scene: string, extra: string[], dir: string, dataDir: string): Promise<EdgeOutput> {
  const summaryPath = join(dir, 'summary.json');
  const tracksPath = join(dir, 'tracks.txt');
  const args = ['tsx', 'edge/src/cli.ts', 'run', '--source', video, '--scene', scene, '--summary', summaryPath, '--tracks', tracksPath, '--data-dir', dataDir, ...extra];
  process.stderr.write(`accuracy: npx ${args.join(' ')}\n`);
  const started = process.hrtime.bigint();
  let loopFps: number | undefined;
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn('npx', args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      for (const m of chunk.toString().matchAll(/frame \d+\S*(?: \([^)]*\))?, ([\d.]+) fps/g)) loopFps = Number(m[1]);
    });
    child.on('error', fail);
    child.on('exit', (c, signal) => done(signal ? null : c));
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new BenchError(`the edge agent exited with ${code === null ? 'a signal' : `code ${code}`}; see its messages above`);
  return { tracks: readText(tracksPath, 'tracks file'), summary: readSummary(summaryPath), wallSeconds, loopFps };
}

/** JSON with NaN and Infinity written as null / strings rather than silently dropped. */
const jsonSafe = (_key: string, value: unknown): unknown =>
  typeof value === 'number' && !Number.isFinite(value) ? (Number.isNaN(value) ? null : String(value)) : value;

/** The suite: the agent over every sequence we hold (and the generated staying scene), scored alike. */
async function runSuite(only: string[], extra: string[], withStaying: boolean, jsonPath: string | undefined): Promise<number> {
  const { available, missing } = findSequences();
  for (const m of missing) process.stderr.write(`accuracy: skipping ${m.id}: ${m.why}\n`);
  const sources: { id: string; name: string; role: string; video: string; gt: string; scene: string; fps: number }[] = available.map((q) => ({ ...q }));
  if (withStaying && (only.length === 0 || only.includes(STAYING_ID))) {
    try {
      const st = await ensureStayingSequence({ log: (line: string) => process.stderr.write(`accuracy: ${line}\n`) });
      sources.push({ id: STAYING_ID, name: 'PETS09-S2L1 with a 60 s hold', role: 'holdout', video: st.video, gt: st.gt, scene: STAYING_SCENE, fps: st.fps });
    } catch (error) {
      process.stderr.write(`accuracy: skipping ${STAYING_ID}: ${(error as Error).message}\n`);
    }
  }
  const chosen = only.length ? sources.filter((q) => only.includes(q.id)) : sources;
  const unknown = only.filter((id) => !sources.some((q) => q.id === id));
  if (unknown.length) throw new BenchError(`unknown or unavailable sequence(s): ${unknown.join(', ')} (have: ${sources.map((q) => q.id).join(', ')})`);
  if (chosen.length === 0) throw new BenchError(`no sequence to run: none found under the data folder (${missing.map((m) => m.why).join('; ')})`);

  const rows: SuiteRow[] = [];
  for (const [k, q] of chosen.entries()) {
    process.stderr.write(`accuracy: [${k + 1}/${chosen.length}] ${q.id} (${q.role})\n`);
    const temp = mkdtempSync(join(tmpdir(), 'byliv-accuracy-'));
    try {
      const run = await runEdge(q.video, q.scene, extra, temp, join(temp, 'edge-data'));
      const gt = parseMot(readText(q.gt, 'ground truth'), q.gt);
      const hyp = parseMot(run.tracks, `${q.id} tracks`);
      const frames = run.summary.frames;
      const score = scoreSequence(gt, hyp, run.summary, loadSceneFile(q.scene), q.fps, frames);
      rows.push({ id: q.id, role: q.role, frames, score, fps: run.loopFps });
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${formatSuite(rows)}\n`);
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify({ extra, sequences: rows }, jsonSafe, 2) + '\n');
  return 0;
}

async function main(argv: string[]): Promise<number> {
  // Everything after `--` goes to `edge run` untouched (e.g. `-- --input-size 416x320`).
  const split = argv.indexOf('--');
  const extra = split < 0 ? [] : argv.slice(split + 1);
  const options = {
    video: { type: 'string' },
    gt: { type: 'string' },
    scene: { type: 'string' },
    fps: { type: 'string' },
    json: { type: 'string' },
    'keep-dir': { type: 'string' },
    'tracks-file': { type: 'string' },
    'summary-file': { type: 'string' },
    sequence: { type: 'string', multiple: true },
    'no-staying': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: split < 0 ? argv : argv.slice(0, split), allowPositionals: false, strict: true, options });
  } catch (error) {
    throw new BenchError(`${(error as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Without a single video, scene or tracks file: the suite over every sequence.
  const single = v.video || v.gt || v.scene || v['tracks-file'] || v['keep-dir'];
  if (!single) return runSuite(v.sequence ?? [], extra, !v['no-staying'], v.json);
  if (v.sequence) throw new BenchError('--sequence picks sequences of the suite; it does not go with --video, --gt, --scene, --keep-dir or --tracks-file');
  if (v['keep-dir'] && v['tracks-file']) throw new BenchError('--keep-dir keeps what an agent run writes; with --tracks-file nothing is run');
  if (v['summary-file'] && !v['tracks-file']) throw new BenchError('--summary-file goes with --tracks-file (a run of the agent writes its own summary)');
  const video = resolve(v.video ?? PETS09_VIDEO);
  const gtPath = resolve(v.gt ?? PETS09_GT);
  const scenePath = resolve(v.scene ?? PETS09_SCENE);
  const fps = Number(v.fps ?? 10);
  if (!(fps > 0)) throw new BenchError(`--fps must be a positive number, got "${v.fps}"`);

  const scene: Scene = loadSceneFile(scenePath);
  const gtAll = parseMot(readText(gtPath, 'ground truth'), gtPath);
  const gtFrames = gtAll.reduce((n, b) => Math.max(n, b.frame), 0);

  let tracksText: string;
  let tracksSource: string;
  let measured: CountSummary;
  let countsFrom: string;
  let wallSeconds: number | undefined;
  if (v['tracks-file']) {
    const tracksPath = resolve(v['tracks-file']);
    tracksText = readText(tracksPath, 'tracks file');
    tracksSource = tracksPath;
    const hyp = parseMot(tracksText, tracksPath);
    if (v['summary-file']) {
      measured = readSummary(resolve(v['summary-file']));
      countsFrom = `summary ${v['summary-file']}`;
    } else {
      measured = countTrajectories(hyp, scene, { framesPerSecond: fps, frames: gtFrames });
      countsFrom = 'reference rules applied to the tracks file (not the edge counter)';
    }
  } else {
    const keep = v['keep-dir'] ? resolve(v['keep-dir']) : undefined;
    if (keep) mkdirSync(keep, { recursive: true });
    // The agent's outbox goes to a temp folder in any case; tracks and summary too unless kept.
    const temp = mkdtempSync(join(tmpdir(), 'byliv-accuracy-'));
    const dir = keep ?? temp;
    try {
      const run = await runEdge(video, scenePath, extra, dir, join(temp, 'edge-data'));
      tracksText = run.tracks;
      tracksSource = keep ? `edge agent --tracks (kept in ${join(dir, 'tracks.txt')})` : 'edge agent --tracks';
      measured = run.summary;
      wallSeconds = run.wallSeconds;
      countsFrom = 'edge agent --summary';
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }

  // A run cut short (`-- --max-frames N`) is scored on the frames it saw, so a quick tuning
  // run gives comparable figures instead of counting every later GT box as a miss.
  const frames = Math.min(gtFrames, measured.frames);
  const gt = gtAll.filter((b) => b.frame <= frames);
  const hyp = parseMot(tracksText, tracksSource).filter((b) => b.frame <= frames);
  const truth = countTrajectories(gt, scene, { framesPerSecond: fps, frames });
  const report = buildReport(evaluateMot(gt, hyp), measured, truth);
  const header = [
    `PETS09-S2L1 accuracy: frames 1-${frames}${frames < gtFrames ? ` of ${gtFrames} (the run stopped there)` : ''}, scene ${scenePath}, ${fps} fps`,
    `tracks: ${tracksSource}; measured ${measured.frames} frames / ${measured.seconds.toFixed(1)} s`,
    ...(wallSeconds !== undefined ? [`edge run: ${wallSeconds.toFixed(1)} s wall, ${(measured.frames / wallSeconds).toFixed(1)} frames/s (including start-up)`] : []),
  ];
  process.stdout.write(`${header.join('\n')}\n\n${formatReport(report, countsFrom)}\n`);
  if (v.json) {
    const out = { video, gt: gtPath, scene: scenePath, fps, frames, tracks: tracksSource, countsFrom, wallSeconds, truth, measured, ...report };
    writeFileSync(v.json, JSON.stringify(out, jsonSafe, 2) + '\n');
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`accuracy: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
