/**
 * `byliv-edge run --config edge.yaml` and `byliv-edge check-config edge.yaml`: the agent over
 * every camera of the file, and the file's validation alone. The exit code is the worst of
 * the cameras' (1 one failed, 4 one file ended early, 3 batches still queued or dropped).
 */
import type { ConfigRunRequest, RunRequest } from '../cli-args.ts';
import { cameraRequests, loadEdgeConfig } from '../config/edge-config.ts';
import { describePartial } from '../run/completeness.ts';
import { prepareOutputFolders } from '../run/output-files.ts';
import { createAgent, type CameraOutcome } from './agent.ts';

export interface ConfigRunIo {
  log: (line: string) => void;
  stopRequested?: Promise<void>;
  env?: Record<string, string | undefined>;
  /** Checks a camera's request before anything opens (the CLI's start checks); throws ConfigError. */
  checkCamera?: (req: RunRequest) => void;
  /** Where the summaries go without --summary-dir (stdout for the CLI). */
  writeSummaries?: (text: string) => void;
}

/** Reads and checks the file and every scene it names; returns one line for the operator. Throws ConfigError. */
export function checkConfig(path: string, env: Record<string, string | undefined> = {}): string {
  const config = loadEdgeConfig(path);
  const requests = cameraRequests(config, path, { env });
  return `${path} is valid: ${requests.length} camera${requests.length === 1 ? '' : 's'}`;
}

export async function runConfig(request: ConfigRunRequest, io: ConfigRunIo): Promise<number> {
  const config = loadEdgeConfig(request.config);
  const cameras = cameraRequests(config, request.config, { env: io.env, summaryDir: request.summaryDir, quiet: request.quiet });
  for (const camera of cameras) io.checkCamera?.(camera);
  prepareOutputFolders(cameras.map((c) => c.summary));
  const agent = createAgent({
    cameras,
    healthPort: request.healthPort ?? config.healthPort,
    log: (line, id) => io.log(id ? `${id.site}/${id.camera}: ${line}` : line),
  });
  await agent.start();
  void io.stopRequested?.then(() => agent.stop());
  const outcomes = await agent.finished;
  const codes = outcomes.map((o) => reportCamera(o, io.log));
  if (!request.summaryDir && io.writeSummaries) {
    const summaries = Object.fromEntries(outcomes.filter((o) => o.result).map((o) => [`${o.site}/${o.camera}`, o.result!.summary]));
    io.writeSummaries(JSON.stringify(summaries, null, 2) + '\n');
  }
  return worstExitCode(codes);
}

/** One camera's last lines, and its exit code as a single-camera run would have it. */
function reportCamera(outcome: CameraOutcome, log: (line: string) => void): number {
  const who = `${outcome.site}/${outcome.camera}`;
  const req = outcome.request;
  if (!outcome.result) {
    log(`${who}: failed: ${outcome.error?.message}`);
    return 1;
  }
  const result = outcome.result;
  const lines = Object.values(result.summary.lines).reduce((n, l) => n + l.forward + l.backward, 0);
  log(`${who}: done: ${result.summary.frames} frames, ${result.batches} bins, ${lines} line crossings${req.summary ? `, summary in ${req.summary}` : ''}`);
  if (result.queued > 0) log(`${who}: ${result.queued} batches are still queued in the outbox (${req.dataDir}); they will be sent on the next run`);
  if (result.dropped > 0) log(`${who}: ${result.dropped} batches were dropped from the outbox (${req.dataDir}) and will never reach the hub; the summary still counts them`);
  if (result.completeness.partial) {
    log(`${who}: failed: ${describePartial(req.source, result.completeness)}${req.summary ? `; ${req.summary} is marked partial` : ''}`);
    return 4;
  }
  return result.queued > 0 || result.dropped > 0 ? 3 : 0;
}

/** A failed camera outranks a short file, which outranks a queue that empties itself on the next run. */
export function worstExitCode(codes: readonly number[]): number {
  for (const code of [1, 4, 3]) if (codes.includes(code)) return code;
  return 0;
}
