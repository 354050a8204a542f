/**
 * Issue 13: SIGTERM (what systemd sends on stop) to the agent process itself — node running the
 * edge CLI, no npx wrapper in between — closes the open bin, marks it partial, and hands it to
 * the hub before the process exits. The agent runs from a config file (`run --config`), as
 * the box's unit starts it, with its health endpoint on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CountSummary } from '@byliv/protocol';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { addCamera, CAMERA, Child, childTails, freePort, HubProcess, hubContents, hubSummary, PETS_SCENE, PETS_VIDEO, REPO, requireTools, SITE, stopAll, tempDir, until } from './system-harness.ts';

requireTools();
const dir = tempDir('byliv-agent-sigterm-');
afterAll(async () => {
  await stopAll();
  dir.remove();
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') console.error(`processes:\n${childTails()}`);
});

it('SIGTERM to the agent closes the open bin as partial, and the hub receives it', async () => {
  const hubStore = { dataDir: join(dir.path, 'hub') };
  const account = addCamera(hubStore);
  const hub = await HubProcess.start({ ...hubStore, mqttPort: await freePort(), httpPort: await freePort() });
  const healthPort = await freePort();
  const config = join(dir.path, 'edge.yaml');
  writeFileSync(config, [
    'binSeconds: 5',
    'threads: 2',
    'drainTimeoutSeconds: 180',
    `dataDir: ${join(dir.path, 'edge')}`,
    `healthPort: ${healthPort}`,
    `broker: { url: "mqtt://127.0.0.1:${hub.options.mqttPort}" }`,
    'cameras:',
    `  - { source: "${PETS_VIDEO}", scene: "${PETS_SCENE}", username: "${account.username}", passwordEnv: BYLIV_TEST_CAMERA_PASSWORD, startTime: "2025-05-01T10:00:00Z" }`,
  ].join('\n'));
  const summaries = join(dir.path, 'summaries');
  const edge = new Child('edge', process.execPath, ['--import', 'tsx', join(REPO, 'edge/src/cli.ts'), 'run', '--config', config, '--summary-dir', summaries], { BYLIV_TEST_CAMERA_PASSWORD: account.password });

  const mine = async () => (await hubContents(hubStore)).batches.filter((b) => b.camera === CAMERA);
  await until(async () => (await mine()).length >= 1, 'a first bin at the hub', { alive: edge.deadReason, describe: () => edge.tail(5) });
  // Mid-bin: some frames of the next bin are counted before the signal.
  const health = (await (await fetch(`http://127.0.0.1:${healthPort}/health`)).json()) as { cameras: { frames: number }[] };
  expect(health.cameras).toEqual([expect.objectContaining({ site: SITE, camera: CAMERA, state: 'running', frames: expect.any(Number) })]);
  expect(health.cameras[0].frames).toBeGreaterThan(50);
  process.kill(edge.pid, 'SIGTERM');

  const { code } = await edge.exited;
  expect(code, edge.tail()).toBe(0);
  // With a config file each camera's lines carry its site/camera.
  const done = edge.output.find((l) => /byliv-edge: pets09\/view1: done: \d+ frames, \d+ bins/.test(l));
  expect(done, edge.tail()).toBeDefined();
  const result = { bins: Number(/, (\d+) bins/.exec(done!)![1]), summary: CountSummary.parse(JSON.parse(readFileSync(join(summaries, `${SITE}-${CAMERA}.json`), 'utf8'))) };
  expect(edge.output).toContainEqual(expect.stringMatching(/SIGTERM: closing the current bin/));
  const stored = await mine();
  expect(stored.length).toBe(result.bins);
  expect(stored.at(-1)).toMatchObject({ partial: true });
  expect(stored.slice(0, -1).every((b) => b.partial === undefined)).toBe(true);
  // Everything the agent counted before it stopped is at the hub, the partial bin included.
  expect(hubSummary(hubStore)).toEqual(result.summary);
  await hub.child.kill();
}, 300_000);
