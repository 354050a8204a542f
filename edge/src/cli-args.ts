/**
 * The `byliv-edge` command line, parsed into a typed request. Pure: no files are read here,
 * so every mistake a user can make on the command line is tested as a table.
 */
import { parseArgs } from 'node:util';

export const USAGE = `Usage: byliv-edge run --source <file|rtsp://…> --scene <scene.json|yaml> [options]
       byliv-edge run --config <edge.yaml> [--summary-dir <dir>] [--health-port <n>] [--quiet]
       byliv-edge check-config <edge.yaml>

Counts people crossing the scene's lines and using its zones, on the device, and writes or
publishes anonymous counts binned in time. No image ever leaves this process.

Options:
  --source <file|url>      video file, or a live stream (rtsp://, rtsps://, http://…)
  --scene <file>           lines and zones in pixels of the source frame (JSON or YAML)
  --summary <out.json>     write the run's totals (lines and zones) as JSON
  --tracks <out.txt>       write MOTChallenge track lines, for evaluation only (never published)
  --bin-seconds <n>        length of a count bin (default 60)
  --start-time <iso>       wall time of the file's first frame (default: its creation time
                           tag, else its modification time); live streams use the clock
  --realtime               read a file at its own frame rate, as a camera would deliver it
  --max-frames <n>         stop after n frames (default: every frame)
  --model <manifest.json>  model manifest (default: the converted NanoDet-m, fetched on first use)
  --input-size <WxH>       model input size of the fine pass when the model takes any size
                           (default: the camera's aspect ratio at a 512 px long side, never a
                           short side under 320, e.g. 512x384)
  --scales <1|2>           detector passes per frame: 2 adds a coarse pass at 0.625 x the
                           fine size, for people near the camera (default 2; 1 is about a
                           third faster)
  --threads <n>            inference threads (default: all cores)
  --motion-gate <on|off>   skip the model on frames where nothing moved while no one is
                           tracked (a look at least every 2 s; default on)
  --broker <url>           publish each closed bin over MQTT (mqtt://, mqtts:// for TLS)
  --username <u>           MQTT username of this camera (from 'byliv-hub camera add')
  --password <p>           MQTT password (or set BYLIV_MQTT_PASSWORD)
  --ca <file>              PEM certificate(s) to trust for an mqtts:// broker (a municipal or
                           self-signed CA), besides the system's
  --data-dir <dir>         where the outbox lives (default ./.byliv-edge)
  --outbox-max-batches <n> most batches kept while the broker is away (default 100000)
  --outbox-max-age-hours <h> oldest batch kept while the broker is away (default 720)
  --drain-timeout <s>      how long to wait for the broker to acknowledge at the end (default 60)
  --health-port <n>        answer GET /health on 127.0.0.1:<n> (frames, fps, last frame and
                           queue per camera); off by default
  --config <edge.yaml>     several cameras over one model (see edge/README.md); the other
                           run options then come from the file
  --summary-dir <dir>      with --config: one <site>-<camera>.json summary per camera
  --quiet                  no progress on stderr
  -h, --help               this text
`;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface RunRequest {
  command: 'run';
  source: string;
  scene: string;
  summary?: string;
  tracks?: string;
  binSeconds: number;
  startTime?: Date;
  realtime: boolean;
  maxFrames?: number;
  model?: string;
  inputSize?: { width: number; height: number };
  /** Detector passes per frame: 1 (fine) or 2 (fine + coarse). */
  scales: 1 | 2;
  threads?: number;
  /** Skip inference on still frames while no track is held (detect/motion-gated-detector.ts); on when absent (agent/camera-run.ts). */
  motionGate?: boolean;
  /** `ca`: path of a PEM file of certificates to trust for the broker (read when publishing starts). */
  broker?: { url: string; username?: string; password?: string; ca?: string };
  dataDir: string;
  outboxMaxBatches: number;
  outboxMaxAgeSeconds: number;
  drainTimeoutSeconds: number;
  quiet: boolean;
  /** Loopback health endpoint port; none when undefined. */
  healthPort?: number;
}

/** `run --config FILE`: the cameras are in the file (config/edge-config.ts). */
export interface ConfigRunRequest {
  command: 'run-config';
  config: string;
  summaryDir?: string;
  healthPort?: number;
  quiet: boolean;
}

export type CliRequest = RunRequest | ConfigRunRequest | { command: 'check-config'; config: string } | { command: 'help' };

function positiveInt(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive whole number, got "${value}"`);
  return n;
}

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${value}"`);
  return n;
}

export function parseCli(argv: string[], env: Record<string, string | undefined> = {}): CliRequest {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        source: { type: 'string' },
        scene: { type: 'string' },
        summary: { type: 'string' },
        tracks: { type: 'string' },
        'bin-seconds': { type: 'string' },
        'start-time': { type: 'string' },
        realtime: { type: 'boolean' },
        'max-frames': { type: 'string' },
        model: { type: 'string' },
        'input-size': { type: 'string' },
        scales: { type: 'string' },
        threads: { type: 'string' },
        'motion-gate': { type: 'string' },
        broker: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        ca: { type: 'string' },
        'data-dir': { type: 'string' },
        'outbox-max-batches': { type: 'string' },
        'outbox-max-age-hours': { type: 'string' },
        'drain-timeout': { type: 'string' },
        quiet: { type: 'boolean' },
        'health-port': { type: 'string' },
        config: { type: 'string' },
        'summary-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals[0] === 'help') return { command: 'help' };
  if (positionals[0] === 'check-config') {
    if (positionals.length !== 2) throw new UsageError('check-config takes one argument: the config file');
    return { command: 'check-config', config: positionals[1] };
  }
  const healthPort = v['health-port'] === undefined ? undefined : portNumber(v['health-port']);
  if (v.config !== undefined) {
    if (positionals[0] !== 'run') throw new UsageError(positionals[0] ? `unknown command "${positionals[0]}"` : 'missing command: run');
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
    const onlyInFile = Object.keys(v).filter((k) => !['config', 'summary-dir', 'health-port', 'quiet'].includes(k));
    if (onlyInFile.length) throw new UsageError(`with --config, ${onlyInFile.map((k) => `--${k}`).join(', ')} belong${onlyInFile.length === 1 ? 's' : ''} in the config file`);
    return { command: 'run-config', config: v.config, summaryDir: v['summary-dir'], healthPort, quiet: v.quiet ?? false };
  }
  if (v['summary-dir'] !== undefined) throw new UsageError('--summary-dir only makes sense with --config (one camera writes --summary)');
  if (positionals[0] !== 'run') throw new UsageError(positionals[0] ? `unknown command "${positionals[0]}"` : 'missing command: run');
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  if (!v.source) throw new UsageError('--source is required (a video file or a stream URL)');
  if (!v.scene) throw new UsageError('--scene is required (a JSON or YAML file with lines and zones)');

  let startTime: Date | undefined;
  if (v['start-time'] !== undefined) {
    startTime = new Date(v['start-time']);
    if (Number.isNaN(startTime.getTime()) || !/\d{4}-\d{2}-\d{2}T/.test(v['start-time'])) {
      throw new UsageError(`--start-time must be an ISO 8601 time such as 2026-05-01T12:00:00Z, got "${v['start-time']}"`);
    }
  }
  let inputSize: RunRequest['inputSize'];
  if (v['input-size'] !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(v['input-size']);
    if (!m) throw new UsageError(`--input-size must look like 416x320, got "${v['input-size']}"`);
    inputSize = { width: Number(m[1]), height: Number(m[2]) };
    if (inputSize.width % 32 || inputSize.height % 32 || !inputSize.width || !inputSize.height) {
      throw new UsageError(`--input-size must be multiples of 32 (the model's coarsest stride), got ${v['input-size']}`);
    }
  }
  const scales = v.scales ?? '2';
  if (scales !== '1' && scales !== '2') throw new UsageError(`--scales must be 1 or 2 (detector passes per frame), got "${v.scales}"`);
  const gate = v['motion-gate'];
  if (gate !== undefined && gate !== 'on' && gate !== 'off') throw new UsageError(`--motion-gate must be on or off, got "${gate}"`);
  const binSeconds = positiveInt('bin-seconds', v['bin-seconds'], 60)!;
  if (binSeconds > 86_400) throw new UsageError(`--bin-seconds must be at most 86400 (a day), got ${binSeconds}`);
  let broker: RunRequest['broker'];
  if (v.broker !== undefined) {
    if (!/^mqtts?:\/\/|^wss?:\/\//.test(v.broker)) throw new UsageError(`--broker must be an mqtt:// or mqtts:// URL, got "${v.broker}"`);
    if (v.ca !== undefined && !/^(mqtts|wss):\/\//.test(v.broker)) throw new UsageError(`--ca only makes sense with an mqtts:// (TLS) --broker, got "${v.broker}"`);
    broker = { url: v.broker, username: v.username, password: v.password ?? env.BYLIV_MQTT_PASSWORD, ca: v.ca };
  } else if (v.ca !== undefined) {
    throw new UsageError('--ca only makes sense with --broker');
  } else if (v.username !== undefined || v.password !== undefined) {
    throw new UsageError('--username and --password only make sense with --broker');
  }
  return {
    command: 'run',
    source: v.source,
    scene: v.scene,
    summary: v.summary,
    tracks: v.tracks,
    binSeconds,
    startTime,
    realtime: v.realtime ?? false,
    maxFrames: positiveInt('max-frames', v['max-frames']),
    model: v.model,
    inputSize,
    scales: scales === '1' ? 1 : 2,
    threads: positiveInt('threads', v.threads),
    motionGate: gate === undefined ? undefined : gate === 'on',
    broker,
    dataDir: v['data-dir'] ?? '.byliv-edge',
    outboxMaxBatches: positiveInt('outbox-max-batches', v['outbox-max-batches'], 100_000)!,
    outboxMaxAgeSeconds: positiveNumber('outbox-max-age-hours', v['outbox-max-age-hours'], 720) * 3600,
    drainTimeoutSeconds: positiveNumber('drain-timeout', v['drain-timeout'], 60),
    quiet: v.quiet ?? false,
    healthPort,
  };
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new UsageError(`--health-port must be a port number from 0 to 65535, got "${value}"`);
  return n;
}
