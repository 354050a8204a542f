/**
 * What the real `byliv-edge` refuses before it counts (issue 11 items 1 and 5): a scene for
 * another camera than the MQTT account's, and Node switches that would make it listen or write
 * outside its data dir. Each exits 2 with a message naming both sides, before the model, the
 * video or the broker is opened: no outbox appears and nothing is counted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;
const video = join(root, '../shared/datasets/pets09-s2l1/vtest.avi');
const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-refuse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scene = join(dir, 'scene.json');
writeFileSync(scene, JSON.stringify({ site: 'campus', camera: 'view1', lines: [{ id: 'middle', a: [0, 330], b: [768, 330] }] }));

function edge(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dataDir = join(dir, `data-${Math.random().toString(36).slice(2)}`);
  // Port 1 on loopback: nothing listens, so reaching the broker at all would show as a connect error.
  const argv = [join(root, 'edge/bin/byliv-edge.js'), 'run', '--quiet', '--source', video, '--scene', scene, '--broker', 'mqtt://127.0.0.1:1', '--data-dir', dataDir, '--max-frames', '25', ...args];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', cwd: dir, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, dataDir };
}

describe('a scene for another camera than the MQTT account', () => {
  it('exits 2 at start naming the scene\'s camera and the username, before counting', () => {
    const r = edge(['--username', 'campus/view2', '--password', 'x']);
    expect(r.stderr).toContain(`camera identity: the scene ${scene} is site campus, camera view1 (MQTT username campus/view1), but --username is "campus/view2" (site campus, camera view2)`);
    expect(r.stderr).toContain("'byliv-hub camera add campus view1'");
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/done:|publishing to|unreachable/);
    expect(existsSync(r.dataDir), 'the outbox folder was created: the agent got past its start').toBe(false);
  }, 60_000);

  it('runs when the username is the scene\'s camera (control: the check is what refused)', () => {
    const r = edge(['--username', 'campus/view1', '--password', 'x', '--drain-timeout', '1']);
    expect(r.stderr).not.toContain('camera identity');
    expect(r.code, r.stderr).toBe(3); // counted; the batches wait in the outbox for a broker that is not there
    expect(existsSync(r.dataDir)).toBe(true);
  }, 120_000);
});

describe('Node switches that listen or write', () => {
  it.each([
    [{ NODE_OPTIONS: '--inspect=127.0.0.1:0' }, 'NODE_OPTIONS --inspect=127.0.0.1:0'],
    [{ NODE_V8_COVERAGE: join(dir, 'coverage') }, 'NODE_V8_COVERAGE'],
  ])('%j: refused with exit 2, naming it', (env, named) => {
    const r = edge(['--username', 'campus/view1', '--password', 'x'], env);
    expect(r.stderr).toContain(`Node was started with ${named}: that makes the agent listen on a port or write files outside its data dir`);
    expect(r.code).toBe(2);
    expect(existsSync(r.dataDir)).toBe(false);
  }, 60_000);
});
