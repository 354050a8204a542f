/** Store-and-forward for one run: closed bins go to the SQLite outbox, the publisher sends them and the camera status. */
import type { CountBatch, Scene } from '@byliv/protocol';
import type { RunRequest } from '../cli-args.ts';
import { Outbox, outboxPath } from '../outbox/index.ts';
import { Publisher, type StatusReport } from '../publish/index.ts';

export interface Publishing {
  nextSeq(): number;
  enqueue(batch: CountBatch): void;
  noteFramesDropped(total: number): void;
  noteFrame(frame: { at: Date; inferenceMs: number; fps: number }): void;
  depth(): number;
  drain(timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

const STATUS_EVERY_MS = 10_000;

export async function openPublishing(req: RunRequest, scene: Scene, model: string, log: (line: string) => void): Promise<Publishing> {
  const broker = req.broker!;
  const outbox = Outbox.open(outboxPath(req.dataDir, scene.site, scene.camera), { maxRows: req.outboxMaxBatches, maxAgeSeconds: req.outboxMaxAgeSeconds });
  const publisher = new Publisher({
    url: broker.url,
    username: broker.username,
    password: broker.password,
    // One client id per camera: a second agent for the same camera takes over the session.
    clientId: `byliv-edge-${scene.site}-${scene.camera}`,
    site: scene.site,
    camera: scene.camera,
    outbox,
    onEvent: (e) => {
      if (e.kind === 'refused' || e.kind === 'error') log(e.message);
      else if (e.kind === 'offline' && e.failures === 1) log(`broker ${broker.url} unreachable (${e.reason}); counts stay in the outbox`);
      else if (e.kind === 'connected') log(`publishing to ${e.url}`);
    },
  });
  publisher.start();
  const report: StatusReport = { model };
  let lastStatus = 0;
  return {
    nextSeq: () => (outbox.lastSeq() ?? -1) + 1,
    enqueue: (batch) => outbox.enqueue(batch),
    noteFramesDropped: (total) => void (report.framesDropped = total),
    noteFrame: ({ at, inferenceMs, fps }) => {
      Object.assign(report, { lastFrameAt: at.toISOString(), inferenceMs: Math.round(inferenceMs * 100) / 100, fps: Math.round(fps * 100) / 100 });
      if (Date.now() - lastStatus < STATUS_EVERY_MS) return;
      lastStatus = Date.now();
      publisher.publishStatus(report).catch((error: Error) => log(error.message));
    },
    depth: () => outbox.depth(),
    drain: async (timeoutMs) => (await publisher.drain(timeoutMs)).queued,
    close: async () => {
      await publisher.stop();
      outbox.close();
    },
  };
}
