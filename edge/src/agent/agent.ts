/**
 * The long-lived edge agent: owns the cameras (source, counting, outbox, publishing each),
 * the one model session they share, and the health endpoint. `start()` opens everything and
 * starts counting; `stop()` closes every camera's open bin (marked partial), drains each
 * outbox within its drain timeout, and closes the session. One camera's failure (a source
 * that cannot be opened, or fails mid-way) ends that camera only.
 */
import pino, { type Logger } from 'pino';
import { ensureDefaultModel, loadManifest } from '@byliv/models';
import type { RunRequest } from '../cli-args.ts';
import { ConfigError, loadSceneFile } from '../config/scene-file.ts';
import { CameraRun, prepareCamera, type RunResult } from './camera-run.ts';
import { healthReport, startHealthServer, type CameraHealth, type HealthReport } from './health.ts';
import { SharedModel } from './shared-model.ts';

export interface AgentOptions {
  /** One request per camera; its model, threads and quiet settings are read from the first. */
  cameras: RunRequest[];
  /** Port of the loopback health endpoint (0 picks a free one); none when undefined. */
  healthPort?: number;
  /** The operator's lines on stderr, with the camera it is about (undefined: the agent as a whole). */
  log: (line: string, camera?: { site: string; camera: string }) => void;
  /** Frames of cameras at one input size that wait together go in one inference call (SharedModel). */
  batchAcrossCameras?: boolean;
  /** Structured events (started, a camera failed, stopped); silent by default. */
  logger?: Logger;
}

export interface CameraOutcome {
  site: string;
  camera: string;
  request: RunRequest;
  result?: RunResult;
  /** Why the camera stopped without a result. */
  error?: Error;
}

export interface Agent {
  start(): Promise<void>;
  /** Stops every camera after its current frame and resolves once all have handed over. */
  stop(): Promise<CameraOutcome[]>;
  /** Resolves when every camera has ended (its source ran out, it failed, or stop() was called). */
  readonly finished: Promise<CameraOutcome[]>;
  health(): HealthReport;
  /** The health endpoint's port once started, when it has one. */
  readonly healthPort: number | undefined;
}

export function createAgent(opts: AgentOptions): Agent {
  if (opts.cameras.length === 0) throw new ConfigError('the agent needs at least one camera');
  const logger = opts.logger ?? pino({ level: 'silent' });
  const first = opts.cameras[0];
  const runs: CameraRun[] = [];
  const healths: CameraHealth[] = [];
  let model: SharedModel | undefined;
  let healthServer: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  let resolveFinished!: (outcomes: CameraOutcome[]) => void;
  const finished = new Promise<CameraOutcome[]>((resolve) => (resolveFinished = resolve));
  let started = false;

  const agent: Agent = {
    finished,
    get healthPort() {
      return healthServer?.port;
    },
    health: () => healthReport(healths),

    async start() {
      if (started) throw new Error('the agent is already started');
      started = true;
      const manifestPath = first.model ?? (await ensureDefaultModel({ onProgress: (m: string) => !first.quiet && opts.log(m) }));
      const { manifest } = await loadManifest(manifestPath);
      // Scenes and sources first, all of them: a config mistake stops the start before any camera counts.
      const prepared = await Promise.all(
        opts.cameras.map((req) =>
          prepareCamera(req, manifest.input).catch((error: Error) => {
            if (error instanceof ConfigError || opts.cameras.length === 1) throw error;
            return { req, error };
          }),
        ),
      );
      // Before any camera counts: a port in use stops the start, not a running agent.
      if (opts.healthPort !== undefined) {
        healthServer = await startHealthServer(opts.healthPort, () => agent.health());
        opts.log(`health on http://127.0.0.1:${healthServer.port}/health`);
      }
      model = new SharedModel(manifestPath, { threads: first.threads, batchAcrossCameras: opts.batchAcrossCameras });
      const outcomes: Promise<CameraOutcome>[] = [];
      for (const camera of prepared) {
        if ('error' in camera) {
          // The scene was read before the source failed (prepareCamera), so its ids are known.
          const scene = loadSceneFile(camera.req.scene);
          const failed: CameraHealth = { site: scene.site, camera: scene.camera, state: 'failed', frames: 0, fps: 0, error: camera.error.message };
          healths.push(failed);
          opts.log(`cannot start: ${camera.error.message}; the other cameras go on`, scene);
          outcomes.push(Promise.resolve({ site: failed.site, camera: failed.camera, request: camera.req, error: camera.error }));
          continue;
        }
        const id = { site: camera.scene.site, camera: camera.scene.camera };
        const run = new CameraRun(camera, (line) => opts.log(line, id));
        runs.push(run);
        healths.push(run.health);
        const detector = await model.detectorFor(camera.sizes);
        outcomes.push(
          run.run(detector).then(
            (result) => ({ ...id, request: camera.req, result }),
            (error: Error) => {
              logger.error({ ...id, err: error }, 'camera failed');
              if (opts.cameras.length > 1) opts.log(`failed: ${error.message}; the other cameras go on`, id);
              return { ...id, request: camera.req, error };
            },
          ),
        );
      }
      logger.info({ cameras: healths.map((h) => `${h.site}/${h.camera}`) }, 'agent started');
      void Promise.all(outcomes).then(async (all) => {
        await model?.close();
        await healthServer?.close();
        logger.info('agent stopped');
        resolveFinished(all);
      });
    },

    async stop() {
      for (const run of runs) run.stop();
      return started ? finished : [];
    },
  };
  return agent;
}
