/**
 * Wiring of one agent run: source → detect → (track → count → aggregate) → outbox/summary.
 * Everything with I/O lives here; the counting itself is CountingPipeline.
 */
import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { CountBatch } from '@byliv/protocol';
import { ensureDefaultModel, loadManifest } from '@byliv/models';
import { openVideoSource, probeVideo, isLiveSource, DamagedStretches, type SourceEvent } from '../source/index.ts';
import { createDetector } from '../detect/index.ts';
import { runSummary, summarizeBatches, type RunSummary } from '../aggregate/index.ts';
import { checkSceneFitsFrame, loadSceneFile } from '../config/scene-file.ts';
import type { RunRequest } from '../cli-args.ts';
import { CountingPipeline } from './counting-pipeline.ts';
import { chooseInputSizes, describeSizes } from './input-size.ts';
import { TracksFile } from './tracks-file.ts';
import { formatProgress, throttle, type RunProgress } from './progress.ts';
import { openPublishing, type Publishing } from './publishing.ts';
import { expectedFrames, judgeCompleteness, type Completeness } from './completeness.ts';
import { prepareOutputFolders } from './output-files.ts';

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
}

export interface RunIo {
  log: (line: string) => void;
  /** Resolves when the user asks the agent to stop (Ctrl-C, SIGTERM). */
  stopRequested?: Promise<void>;
}

export async function runEdge(req: RunRequest, io: RunIo): Promise<RunResult> {
  const scene = loadSceneFile(req.scene);
  const live = isLiveSource(req.source);
  const info = await probeVideo(req.source);
  checkSceneFitsFrame(scene, info.width, info.height, req.scene);
  const manifestPath = req.model ?? (await ensureDefaultModel({ onProgress: (m: string) => !req.quiet && io.log(m) }));
  const { manifest } = await loadManifest(manifestPath);
  const sizes = chooseInputSizes(manifest.input, info, { requested: req.inputSize, scales: req.scales });
  const detector = await createDetector(manifestPath, sizes, { threads: req.threads });
  if (!req.quiet) io.log(`detector: ${manifest.name} at ${describeSizes(sizes)}`);
  const origin = req.startTime ?? (live ? new Date() : fileStartTime(req.source, info.creationTime));

  let publishing: Publishing | undefined;
  let tracksFile: TracksFile | undefined;
  try {
    prepareOutputFolders([req.summary, req.tracks]);
    publishing = req.broker ? await openPublishing(req, scene, detector.manifest.name, io.log) : undefined;
    tracksFile = req.tracks ? new TracksFile(req.tracks) : undefined;
    const pipeline = new CountingPipeline(scene, { binSeconds: req.binSeconds, origin, framesPerSecond: info.fps, firstSeq: publishing?.nextSeq(), session: live ? origin.toISOString() : undefined, frame: { width: info.width, height: info.height } });
    const batches: CountBatch[] = [];
    const handOver = (closed: CountBatch[]) => {
      for (const batch of closed) {
        batches.push(batch);
        publishing?.enqueue(batch);
      }
    };

    let stopping = false;
    void io.stopRequested?.then(() => (stopping = true));
    const started = performance.now();
    const progress: RunProgress = { frames: 0, totalFrames: live ? undefined : (req.maxFrames ?? info.frames), elapsedSeconds: 0, tracked: 0, batches: 0 };
    const report = throttle<RunProgress>(2000, (p) => !req.quiet && io.log(formatProgress(p)));
    const onSourceEvent = (e: SourceEvent) => {
      if (e.kind === 'lost') io.log(`camera stream lost (${e.reason}); reconnecting in ${(e.retryInMs / 1000).toFixed(0)} s`);
      if (e.kind === 'frames-dropped') publishing?.noteFramesDropped(e.total);
    };

    let previousTime: number | undefined;
    const nominal = 1 / info.fps;
    const damaged = new DamagedStretches(req.source, io.log);
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
        if (stopping) break;
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
      publishing?.noteFrame({ at: new Date(origin.getTime() + frame.time * 1000), inferenceMs, fps: progress.frames / progress.elapsedSeconds });
      if (publishing) progress.queued = publishing.depth();
      report(progress);
      if (stopping) break;
    }
    // Stopped before the source ended: the open bin is partial, and a full rerun may supersede it.
    const early = stopping || (req.maxFrames !== undefined && progress.frames >= req.maxFrames);
    handOver(pipeline.finish({ early }));
    damaged.end();
    report({ ...progress, batches: batches.length }, true);

    const completeness = judgeCompleteness(progress.frames, expectedFrames(info, { live, maxFrames: req.maxFrames }), { live, stoppedByUser: stopping, damagedFrames: damaged.frames });
    const summary = runSummary(summarizeBatches(batches), completeness);
    if (req.summary) await writeFile(req.summary, JSON.stringify(summary, null, 2) + '\n');
    const queued = publishing ? await publishing.drain(req.drainTimeoutSeconds * 1000) : 0;
    return { summary, batches: batches.length, queued, dropped: publishing?.droppedThisRun() ?? 0, stoppedEarly: stopping, completeness };
  } finally {
    await tracksFile?.close();
    await publishing?.close();
    await detector.close();
  }
}

/** A file's first frame in wall time: its creation tag if it has one, else when it was last written. */
function fileStartTime(path: string, creationTime: string | undefined): Date {
  const tagged = creationTime ? new Date(creationTime) : undefined;
  if (tagged && !Number.isNaN(tagged.getTime()) && tagged.getTime() > 0) return tagged;
  // Whole seconds: the same file must give the same bins (and batch ids) on every run.
  return new Date(Math.floor(statSync(path).mtimeMs / 1000) * 1000);
}
