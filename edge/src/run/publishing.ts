/** Store-and-forward for one run: closed bins go to the SQLite outbox, the publisher sends them and the camera status. */
import type { CountBatch, Scene } from '@byliv/protocol';
import type { RunRequest } from '../cli-args.ts';
import { Outbox, outboxPath, type OutboxDrop } from '../outbox/index.ts';
import { brokerTls, Publisher, type StatusReport } from '../publish/index.ts';

export interface Publishing {
  nextSeq(): number;
  enqueue(batch: CountBatch): void;
  noteFramesDropped(total: number): void;
  noteFrame(frame: { at: Date; inferenceMs: number; fps: number }): void;
  depth(): number;
  /** Batches the outbox dropped during this run (disk full, or a bound); they never reach the hub. */
  droppedThisRun(): number;
  drain(timeoutMs: number): Promise<number>;
  close(): Promise<void>;
}

const STATUS_EVERY_MS = 10_000;
/**
 * A full disk drops a bin at every close: one line when a burst starts, then at most one a
 * minute with what was dropped since; the run's total is in the agent's last lines.
 */
const DROP_LOG_EVERY_MS = 60_000;

const DROP_CAUSE: Record<OutboxDrop['reason'], string> = {
  'disk-full': 'the disk is full',
  'max-batches': 'more batches were queued than --outbox-max-batches',
  'max-age': 'they waited longer than --outbox-max-age-hours',
};

export async function openPublishing(req: RunRequest, scene: Scene, model: string, log: (line: string) => void): Promise<Publishing> {
  const broker = req.broker!;
  const outbox = Outbox.open(outboxPath(req.dataDir, scene.site, scene.camera), { maxRows: req.outboxMaxBatches, maxAgeSeconds: req.outboxMaxAgeSeconds });
  const publisher = new Publisher({
    url: broker.url,
    username: broker.username,
    password: broker.password,
    tls: brokerTls(broker.ca),
    // One client id per camera: a second agent for the same camera takes over the session. The
    // hub's embedded broker accepts only the username as a camera's client id (Mosquitto
    // replaces it by the username anyway); without a username, the old per-camera id.
    clientId: broker.username ?? `byliv-edge-${scene.site}-${scene.camera}`,
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
  let droppedThisRun = 0;
  let unlogged: OutboxDrop | undefined;
  let lastDropLog = -Infinity;
  const logDrops = () => {
    if (!unlogged) return;
    const { reason, count, total } = unlogged;
    log(`outbox ${outbox.path}: dropped ${count} of the oldest queued bins because ${DROP_CAUSE[reason]} (${total} dropped in all, reported as outboxDropped in the camera status); counting goes on`);
    unlogged = undefined;
    lastDropLog = Date.now();
  };
  outbox.onDropped((drop) => {
    droppedThisRun += drop.count;
    const first = Date.now() - lastDropLog >= DROP_LOG_EVERY_MS;
    unlogged = { reason: drop.reason, count: (unlogged?.count ?? 0) + drop.count, total: drop.total };
    if (!first) return;
    logDrops();
    // The hub hears of a burst now, not at the next periodic status.
    lastStatus = Date.now();
    publisher.publishStatus(report).catch((error: Error) => log(error.message));
  });
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
    droppedThisRun: () => droppedThisRun,
    drain: async (timeoutMs) => (await publisher.drain(timeoutMs)).queued,
    close: async () => {
      await publisher.stop();
      outbox.close();
    },
  };
}
