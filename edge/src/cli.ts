/**
 * `byliv-edge`: the agent's command line. Exit codes: 0 done, 1 failed, 2 bad usage or
 * config, 3 counted but some batches still await the broker or were dropped by the outbox, 4 a file ended far before its
 * expected frames (the counts and summary cover only what was read, marked partial).
 */
import { parseCli, USAGE, UsageError } from './cli-args.ts';
import { ConfigError } from './config/scene-file.ts';
import { runEdge } from './run/edge-run.ts';
import { describePartial } from './run/completeness.ts';
import { checkBeforeCounting } from './run/start-checks.ts';
import { checkConfig, runConfig } from './agent/config-run.ts';
import { createLogger } from './log.ts';
import { startSystemdWatchdog } from './sd-notify.ts';

async function main(argv: string[]): Promise<number> {
  let request;
  try {
    request = parseCli(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`byliv-edge: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (request.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (request.command === 'check-config') {
    try {
      process.stdout.write(`${checkConfig(request.config, process.env)}\n`);
      return 0;
    } catch (error) {
      process.stderr.write(`byliv-edge: ${(error as Error).message}\n`);
      return error instanceof ConfigError ? 2 : 1;
    }
  }

  // Text lines as before on a terminal and in scripts; BYLIV_LOG_FORMAT=json (the systemd unit) for one JSON object a line.
  const logger = createLogger({ name: 'byliv-edge', level: process.env.BYLIV_LOG_LEVEL, pretty: process.env.BYLIV_LOG_FORMAT !== 'json' });
  const log = (line: string) => logger.info(line);
  startSystemdWatchdog(process.env, (message) => logger.warn(message));
  let requested = 0;
  const stopRequested = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      requested++;
      // The first signal closes the open bin and drains the outbox; a second one quits now.
      if (requested > 1) process.exit(130);
      log(`${signal}: closing the current bin and handing over what was counted (again to quit at once)`);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  if (request.command === 'run-config') {
    const writeSummaries = (text: string) => process.stdout.write(text);
    return runConfig(request, { log, stopRequested, env: process.env, checkCamera: (camera) => checkBeforeCounting(camera), writeSummaries }).catch((error: Error) => {
      log(error instanceof ConfigError ? error.message : `failed: ${error.message}`);
      return error instanceof ConfigError ? 2 : 1;
    });
  }

  try {
    checkBeforeCounting(request);
    const result = await runEdge(request, { log, stopRequested, healthPort: request.healthPort });
    const lines = Object.values(result.summary.lines).reduce((n, l) => n + l.forward + l.backward, 0);
    log(`done: ${result.summary.frames} frames, ${result.batches} bins, ${lines} line crossings${request.summary ? `, summary in ${request.summary}` : ''}`);
    if (!request.summary) process.stdout.write(JSON.stringify(result.summary, null, 2) + '\n');
    if (result.queued > 0) log(`${result.queued} batches are still queued in the outbox (${request.dataDir}); they will be sent on the next run`);
    if (result.dropped > 0) log(`${result.dropped} batches were dropped from the outbox (${request.dataDir}) and will never reach the hub; the summary still counts them`);
    // A short file outranks a queued outbox: the queue empties itself on the next run, the missing frames never come.
    if (result.completeness.partial) {
      log(`failed: ${describePartial(request.source, result.completeness)}${request.summary ? `; ${request.summary} is marked partial` : ''}`);
      return 4;
    }
    return result.queued > 0 || result.dropped > 0 ? 3 : 0;
  } catch (error) {
    log(error instanceof ConfigError ? error.message : `failed: ${(error as Error).message}`);
    return error instanceof ConfigError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
