/**
 * The agent's config file for several cameras (`byliv-edge run --config edge.yaml`): shared
 * settings (model, threads, broker, outbox, health port) and a `cameras:` list, each with its
 * source, scene file and MQTT credentials. Site and camera ids come from each scene. A broken
 * file stops the start with one line per problem, each naming the file and the field.
 */
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '@byliv/protocol';
import type { RunRequest } from '../cli-args.ts';
import { ConfigError, loadSceneFile } from './scene-file.ts';

const positiveInt = z.number().int().positive();
const SIZE = /^(\d+)x(\d+)$/;

const CameraConfig = z
  .object({
    source: z.string().min(1, 'a video file or stream URL'),
    /** Relative to the config file. */
    scene: z.string().min(1, 'a scene file (JSON or YAML)'),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    /** Name of an environment variable holding the password, to keep it out of the file. */
    passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as BYLIV_MQTT_PASSWORD_GATE').optional(),
    /** Evaluation only (never published): MOTChallenge track lines. */
    tracks: z.string().optional(),
    startTime: z.iso.datetime({ offset: true }).optional(),
    maxFrames: positiveInt.optional(),
    realtime: z.boolean().optional(),
    /** Overrides the top-level motionGate for this camera. */
    motionGate: z.boolean().optional(),
  })
  .strict()
  .refine((c) => !(c.password !== undefined && c.passwordEnv !== undefined), { message: 'give password or passwordEnv, not both', path: ['passwordEnv'] });

export const EdgeConfig = z
  .object({
    model: z.string().optional(),
    threads: positiveInt.optional(),
    /** Skip inference on still frames while no track is held; per camera too. On when absent. */
    motionGate: z.boolean().optional(),
    scales: z.union([z.literal(1), z.literal(2)]).default(2),
    inputSize: z
      .string()
      .regex(SIZE, 'WIDTHxHEIGHT such as 512x384')
      .refine((s) => s.split('x').every((n) => Number(n) > 0 && Number(n) % 32 === 0), 'width and height must be positive multiples of 32')
      .optional(),
    binSeconds: positiveInt.max(86_400).default(60),
    broker: z
      .object({ url: z.string().regex(/^(mqtts?|wss?):\/\//, 'an mqtt:// or mqtts:// URL') })
      .strict()
      .optional(),
    dataDir: z.string().default('.byliv-edge'),
    outbox: z
      .object({ maxBatches: positiveInt.default(100_000), maxAgeHours: z.number().positive().default(720) })
      .strict()
      .default({ maxBatches: 100_000, maxAgeHours: 720 }),
    drainTimeoutSeconds: z.number().positive().default(60),
    /** Loopback health endpoint; off when absent. */
    healthPort: z.number().int().min(0).max(65_535).optional(),
    cameras: z.array(CameraConfig).min(1, 'list at least one camera'),
  })
  .strict();
export type EdgeConfig = z.infer<typeof EdgeConfig>;

export function parseEdgeConfigText(text: string, path: string): EdgeConfig {
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const result = EdgeConfig.safeParse(raw);
  if (!result.success) {
    const lines = describeIssues(result.error).split('\n').map((l) => `  ${l}`);
    throw new ConfigError(`config file ${path} is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function loadEdgeConfig(path: string): EdgeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return parseEdgeConfigText(text, path);
}

/**
 * One RunRequest per camera, paths resolved against the config file's folder, passwords read
 * from the environment where the file names a variable. `summaryDir` gives each camera its
 * `<site>-<camera>.json`, so the scenes are read here; two cameras with one site/camera id
 * would share an outbox and a topic, and are refused.
 */
export function cameraRequests(config: EdgeConfig, path: string, opts: { env?: Record<string, string | undefined>; summaryDir?: string; quiet?: boolean } = {}): RunRequest[] {
  const base = dirname(path);
  const env = opts.env ?? {};
  const seen = new Map<string, number>();
  return config.cameras.map((camera, i) => {
    const where = `config file ${path}: cameras[${i}]`;
    const scenePath = resolve(base, camera.scene);
    const scene = loadSceneFile(scenePath);
    const id = `${scene.site}/${scene.camera}`;
    if (seen.has(id)) throw new ConfigError(`${where}.scene: ${id} is also the scene of cameras[${seen.get(id)}]; each camera needs its own site/camera id`);
    seen.set(id, i);
    let password = camera.password;
    if (camera.passwordEnv !== undefined) {
      password = env[camera.passwordEnv];
      if (password === undefined) throw new ConfigError(`${where}.passwordEnv: the environment variable ${camera.passwordEnv} is not set`);
    }
    if (!config.broker && (camera.username !== undefined || password !== undefined)) throw new ConfigError(`${where}: username and password only make sense with a broker`);
    const size = config.inputSize ? SIZE.exec(config.inputSize)! : undefined;
    const local = (p: string | undefined) => (p === undefined ? undefined : resolve(base, p));
    return {
      command: 'run',
      source: /^[a-z]+:\/\//i.test(camera.source) ? camera.source : resolve(base, camera.source),
      scene: scenePath,
      summary: opts.summaryDir === undefined ? undefined : resolve(opts.summaryDir, `${scene.site}-${scene.camera}.json`),
      tracks: local(camera.tracks),
      binSeconds: config.binSeconds,
      startTime: camera.startTime === undefined ? undefined : new Date(camera.startTime),
      realtime: camera.realtime ?? false,
      maxFrames: camera.maxFrames,
      model: local(config.model),
      inputSize: size ? { width: Number(size[1]), height: Number(size[2]) } : undefined,
      scales: config.scales,
      threads: config.threads,
      motionGate: camera.motionGate ?? config.motionGate,
      broker: config.broker ? { url: config.broker.url, username: camera.username, password } : undefined,
      dataDir: resolve(base, config.dataDir),
      outboxMaxBatches: config.outbox.maxBatches,
      outboxMaxAgeSeconds: config.outbox.maxAgeHours * 3600,
      drainTimeoutSeconds: config.drainTimeoutSeconds,
      quiet: opts.quiet ?? false,
    } satisfies RunRequest;
  });
}
