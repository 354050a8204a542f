/**
 * One camera of the agent: source → detect → (track → count → aggregate) → outbox/summary.
 * Everything with I/O for that camera lives here; the counting itself is CountingPipeline,
 * and the detector is lent by the agent (one model session for all cameras).
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { CountBatch, Scene } from '@byliv/protocol';
import type { ModelManifest } from '@byliv/models';
import { openVideoSource, probeVideo, isLiveSource, DamagedStretches, type SourceEvent, type VideoInfo } from '../source/index.ts';
import type { Detector } from '../detect/index.ts';
import { MotionGatedDetector, type GateCounts } from '../detect/motion-gated-detector.ts';
import { runSummary, summarizeBatches, type RunSummary } from '../aggregate/index.ts';
import { checkSceneFitsFrame, loadSceneFile } from '../config/scene-file.ts';
import type { RunRequest } from '../cli-args.ts';
import { CountingPipeline } from '../run/counting-pipeline.ts';
import { chooseInputSizes, describeSizes, type InputSizes } from '../run/input-size.ts';
import { TracksFile } from '../run/tracks-file.ts';
import { formatProgress, throttle, type RunProgress } from '../run/progress.ts';
import { openPublishing, type Publishing } from '../run/publishing.ts';
import { expectedFrames, judgeCompleteness, type Completeness } from '../run/completeness.ts';
import { prepareOutputFolders } from '../run/output-files.ts';
import type { CameraHealth } from './health.ts';

export interface RunResult {
  summary: RunSummary;
  batches: number;
  /** Batches still waiting for the broker's acknowledgement when the run ended. */
  queued: number;
  /** Batches the outbox dropped during the run (full disk, or its bounds): counted, never sent. */
  dropped: number;
  stoppedEarly: boolean;
  /** Frames read against those the source promised; partial when a file ended far too early. */
  completeness: Completeness;
  /** With motion gating on: frames the model looked at and frames it skipped. */
  gate?: GateCounts;
}

/** Motion gating when the request does not say (cli-args `--motion-gate`, config `motionGate`). */
export const MOTION_GATE_DEFAULT = true;

/** A camera with its scene read and its source probed, ready for a detector. */
export interface PreparedCamera {
  req: RunRequest;
  scene: Scene;
  info: VideoInfo;
  live: boolean;
  sizes: InputSizes;
}

/** Reads the scene, probes the source and picks the model's input sizes; throws ConfigError on a scene that does not fit. */
export async function prepareCamera(req: RunRequest, input: ModelManifest['input']): Promise<PreparedCamera> {
  const scene = loadSceneFile(req.scene);
  const info = await probeVideo(req.source);
  checkSceneFitsFrame(scene, info.width, info.height, req.scene);
  const sizes = chooseInputSizes(input, info, { requested: req.inputSize, scales: req.scales });
  return { req, scene, info, live: isLiveSource(req.source), sizes };
}

export class CameraRun {
  readonly health: CameraHealth;
  private stopping = false;

  constructor(
    private readonly camera: PreparedCamera,
    private readonly log: (line: string) => void,
  ) {
    this.health = { site: camera.scene.site, camera: camera.scene.camera, state: 'starting', frames: 0, fps: 0 };
  }

  /** Ends the run after the frame in hand: the open bin is closed as partial and handed over. */
  stop(): void {
    this.stopping = true;
  }

  async run(detector: Detector): Promise<RunResult> {
    try {
      const result = await this.count(detector);
      this.health.state = 'ended';
      return result;
    } catch (error) {
      this.health.state = 'failed';
      this.health.error = (error as Error).message;
      throw error;
    }
  }

  private async count(model: Detector): Promise<RunResult> {
    const { req, scene, info, live, sizes } = this.camera;
    const log = this.log;
    if (!req.quiet) log(`detector: ${model.manifest.name} at ${describeSizes(sizes)}`);
    const origin = req.startTime ?? (live ? new Date() : fileStartTime(req.source, info.creationTime));

    let publishing: Publishing | undefined;
    let tracksFile: TracksFile | undefined;
    try {
      prepareOutputFolders([req.summary, req.tracks]);
      publishing = req.broker ? await openPublishing(req, scene, model.manifest.name, log) : undefined;
      tracksFile = req.tracks ? new TracksFile(req.tracks) : undefined;
      const pipeline = new CountingPipeline(scene, { binSeconds: req.binSeconds, origin, framesPerSecond: info.fps, firstSeq: publishing?.nextSeq(), session: live ? origin.toISOString() : undefined, frame: { width: info.width, height: info.height } });
      // Gated per camera: each camera has its own reference frame and its own tracks.
      const gated = (req.motionGate ?? MOTION_GATE_DEFAULT) ? new MotionGatedDetector(model, () => pipeline.holdsTracks) : undefined;
      const detector: Detector = gated ?? model;
      const batches: CountBatch[] = [];
      const handOver = (closed: CountBatch[]) => {
        for (const batch of closed) {
          batches.push(batch);
          publishing?.enqueue(batch);
        }
      };

      const started = performance.now();
      const progress: RunProgress = { frames: 0, totalFrames: live ? undefined : (req.maxFrames ?? info.frames), elapsedSeconds: 0, tracked: 0, batches: 0 };
      const report = throttle<RunProgress>(2000, (p) => !req.quiet && log(formatProgress(p)));
      const onSourceEvent = (e: SourceEvent) => {
        if (e.kind === 'lost') log(`camera stream lost (${e.reason}); reconnecting in ${(e.retryInMs / 1000).toFixed(0)} s`);
        if (e.kind === 'frames-dropped') publishing?.noteFramesDropped(e.total);
      };

      let previousTime: number | undefined;
      const nominal = 1 / info.fps;
      const damaged = new DamagedStretches(req.source, log);
      this.health.state = 'running';
      for await (const frame of openVideoSource({
        url: req.source,
        width: detector.inputWidth,
        height: detector.inputHeight,
        pixelFormat: detector.manifest.input.pixelFormat,
        sourceWidth: info.width,
        sourceHeight: info.height,
        realtime: req.realtime,
        maxFrames: req.maxFrames,
        onEvent: onSourceEvent,
      })) {
        if (damaged.note(frame)) {
          // Read but not counted: the hole it leaves before the next clean frame is a gap (bins.ts).
          progress.frames++;
          this.health.frames = progress.frames;
          if (this.stopping) break;
          continue;
        }
        const t0 = performance.now();
        const detections = await detector.detect(frame);
        const inferenceMs = performance.now() - t0;
        // A frame stands for the time since the one before it, capped so that a stalled camera
        // is a gap in the data rather than one frame worth minutes of occupancy.
        const duration = previousTime === undefined ? nominal : Math.min(frame.time - previousTime, 4 * nominal);
        previousTime = frame.time;
        const step = pipeline.step(frame.time, duration, detections);
        tracksFile?.write({ index: frame.index, time: frame.time, tracks: step.tracks });
        handOver(step.batches);

        progress.frames++;
        progress.elapsedSeconds = (performance.now() - started) / 1000;
        progress.tracked = step.tracks.length;
        progress.batches = batches.length;
        const at = new Date(origin.getTime() + frame.time * 1000);
        publishing?.noteFrame({ at, inferenceMs, fps: progress.frames / progress.elapsedSeconds });
        if (publishing) progress.queued = publishing.depth();
        Object.assign(this.health, { frames: progress.frames, fps: progress.frames / progress.elapsedSeconds, lastFrameAt: at.toISOString(), queued: progress.queued });
        report(progress);
        if (this.stopping) break;
      }
      const stopping = this.stopping;
      // Stopped before the source ended: the open bin is partial, and a full rerun may supersede it.
      const early = stopping || (req.maxFrames !== undefined && progress.frames >= req.maxFrames);
      handOver(pipeline.finish({ early }));
      damaged.end();
      report({ ...progress, batches: batches.length }, true);
      if (gated && !req.quiet) {
        const { detected, gated: skipped } = gated.counts;
        log(`motion gate: ${skipped} of ${detected + skipped} frames skipped`);
      }

      const completeness = judgeCompleteness(progress.frames, expectedFrames(info, { live, maxFrames: req.maxFrames }), { live, stoppedByUser: stopping, damagedFrames: damaged.frames });
      const summary = runSummary(summarizeBatches(batches), completeness);
      if (req.summary) await writeFile(req.summary, JSON.stringify(summary, null, 2) + '\n');
      this.health.state = 'draining';
      const queued = publishing ? await publishing.drain(req.drainTimeoutSeconds * 1000) : 0;
      this.health.queued = queued;
      return { summary, batches: batches.length, queued, dropped: publishing?.droppedThisRun() ?? 0, stoppedEarly: stopping, completeness, gate: gated ? { ...gated.counts } : undefined };
    } finally {
      await tracksFile?.close();
      await publishing?.close();
    }
  }
}

/** A file's first frame in wall time: its creation tag if it has one, else when it was last written. */
function fileStartTime(path: string, creationTime: string | undefined): Date {
  const tagged = creationTime ? new Date(creationTime) : undefined;
  if (tagged && !Number.isNaN(tagged.getTime()) && tagged.getTime() > 0) return tagged;
  // Whole seconds: the same file must give the same bins (and batch ids) on every run.
  return new Date(Math.floor(statSync(path).mtimeMs / 1000) * 1000);
}
