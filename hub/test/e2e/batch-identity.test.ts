/**
 * Issue 15 rows 1 and 2 on real processes: the hub with its embedded broker, the real agent on
 * the PETS video, and a second camera account that tries to get in its way.
 * - Camera B publishes, on its own topic, batches carrying the ids A's next bins will have
 *   (predictable for a file run), and a payload that names A: A's bins are all stored, B's
 *   forgery is a dead letter.
 * - A's run is stopped with SIGINT mid-way (its open bin goes out marked partial), then the same
 *   file is run again further: the complete bin supersedes the partial one, and the hub's
 *   summary equals the second run's `--summary`.
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { batchIdFor, countsTopic, type CountBatch } from '@byliv/protocol';
import { connectClient, publish } from '../mqtt.ts';
import { addCamera, CAMERA, childTails, edgeFinished, freePort, HubProcess, hubContents, hubSummary, requireTools, SITE, startEdge, stopAll, storedBatchIds, tempDir, until, type EdgeOptions } from './system-harness.ts';
import { makeBatch } from '../fixtures.ts';
import { testStoreLocation } from '../stores.ts';

requireTools();
/** 25 s of the clip: five 5 s bins (bins are aligned to the clock, so the start time picks them). */
const FRAMES = 250;
const START = new Date('2025-05-01T10:00:00Z');
const OTHER = 'view2';

const dir = tempDir('byliv-batch-identity-');
const databases: Awaited<ReturnType<typeof testStoreLocation>>[] = [];
afterAll(async () => {
  await stopAll();
  dir.remove();
  for (const d of databases) await d.dispose();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`processes:\n${childTails()}`);
});

it('a squatting camera cannot shadow A, and a stopped run’s partial bin is superseded by the full one', async () => {
  const location = await testStoreLocation();
  databases.push(location);
  const store = { dataDir: join(dir.path, 'hub'), database: location.database };
  const a = addCamera(store);
  const b = addCamera(store, SITE, OTHER);
  const hub = await HubProcess.start({ ...store, mqttPort: await freePort(), httpPort: await freePort() });
  const url = `mqtt://127.0.0.1:${hub.options.mqttPort}`;

  // B, authenticated as itself, takes the ids of A's five bins on its own topic, then tries A's name.
  const squatter = await connectClient(url, { username: b.username, password: b.password });
  const binStarts = [0, 1, 2, 3, 4].map((i) => new Date(START.getTime() + i * 5000).toISOString().replace('.000Z', 'Z'));
  for (const [i, binStart] of binStarts.entries()) {
    const taken: CountBatch = { ...makeBatch({ site: SITE, camera: OTHER, seq: i, binStart, binSeconds: 5, framesProcessed: 50, framesExpected: 50 }), batchId: batchIdFor(SITE, CAMERA, binStart) };
    await publish(squatter, countsTopic(SITE, OTHER), JSON.stringify(taken));
  }
  const forged = makeBatch({ site: SITE, camera: CAMERA, seq: 99, binStart: '2025-05-01T09:00:00Z', binSeconds: 5, lines: { l1: [40, 0, 0, 0] } });
  await publish(squatter, countsTopic(SITE, OTHER), JSON.stringify(forged));
  await squatter.endAsync();
  await until(async () => (await storedBatchIds(store)).length === 5, "B's five batches stored");

  const edge: EdgeOptions = { dataDir: join(dir.path, 'edge'), summary: join(dir.path, 'stopped.json'), brokerUrl: url, ...a, startTime: START };
  // Run 1: stopped with SIGINT (the agent alone, as Ctrl-C would) once two of its bins are in.
  const stopped = startEdge(edge, 'stopped-edge');
  const mine = async () => (await hubContents(store)).batches.filter((x) => x.camera === CAMERA);
  await until(async () => (await mine()).length >= 2, 'two bins of the stopped run stored', { alive: stopped.deadReason, describe: () => stopped.tail(5) });
  process.kill(stopped.pid, 'SIGINT');
  const first = await edgeFinished(stopped, edge.summary);
  expect(first.code, stopped.tail()).toBe(0);
  const afterStop = await mine();
  expect(afterStop.at(-1)).toMatchObject({ partial: true });
  expect(afterStop.length).toBeLessThan(4); // so the bin it cut is complete in run 2

  // Run 2: the same file again, further (its last bin is the --max-frames cut, partial as well).
  const full = startEdge({ ...edge, summary: join(dir.path, 'full.json'), maxFrames: FRAMES }, 'full-edge');
  const second = await edgeFinished(full, join(dir.path, 'full.json'));
  expect(second.code, full.tail()).toBe(0);

  const stored = await hubContents(store);
  const ours = stored.batches.filter((x) => x.camera === CAMERA);
  expect(ours.map((x) => x.batchId)).toEqual(binStarts.map((s) => batchIdFor(SITE, CAMERA, s)).slice(0, second.bins));
  // The bin that went out partial is now the complete one; only the --max-frames cut is partial.
  const wasPartial = ours.find((x) => x.batchId === afterStop.at(-1)!.batchId)!;
  expect(wasPartial.partial).toBeUndefined();
  expect(wasPartial.quality.framesProcessed).toBeGreaterThan(afterStop.at(-1)!.quality.framesProcessed);
  expect(ours.filter((x) => x.partial).map((x) => x.batchId)).toEqual([ours.at(-1)!.batchId]);
  const summary = hubSummary(store);
  expect(summary).toEqual(second.summary);
  expect(summary.frames).toBe(FRAMES);
  // B's five stayed B's; its forgery is the one dead letter, and says why.
  expect(stored.batches.filter((x) => x.camera === OTHER)).toHaveLength(5);
  expect(stored.deadLetters.map((l) => l.reason)).toEqual([expect.stringMatching(/payload is for pets09\/view1 but was published on the topic of pets09\/view2/)]);
  await hub.child.kill();
}, 300_000);
