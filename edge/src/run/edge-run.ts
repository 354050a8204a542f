/**
 * One single-camera run, as `byliv-edge run --source … --scene …` does it: the Agent with one
 * camera, stopped when the user asks (Ctrl-C, SIGTERM). The wiring lives in agent/.
 */
import type { Logger } from 'pino';
import type { RunRequest } from '../cli-args.ts';
import { createAgent, type RunResult } from '../agent/index.ts';

export type { RunResult } from '../agent/index.ts';

export interface RunIo {
  log: (line: string) => void;
  /** Resolves when the user asks the agent to stop (Ctrl-C, SIGTERM). */
  stopRequested?: Promise<void>;
  healthPort?: number;
  logger?: Logger;
}

export async function runEdge(req: RunRequest, io: RunIo): Promise<RunResult> {
  const agent = createAgent({ cameras: [req], healthPort: io.healthPort, log: io.log, logger: io.logger });
  await agent.start();
  void io.stopRequested?.then(() => agent.stop());
  const [outcome] = await agent.finished;
  if (outcome.error) throw outcome.error;
  return outcome.result!;
}
