/**
 * ONNX Runtime without its telemetry: a fresh process that loads the runtime through this
 * module and opens a session leaves HOME and TMPDIR empty, while the same process loading
 * 'onnxruntime-node' directly does not (the control: it shows the check can see telemetry).
 * And no file in the repository imports the library around this module.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/graph.ts';
import { encodeModel } from '../onnx/proto.ts';
import { repoRoot } from '../paths.ts';

const root = repoRoot();
const self = new URL(import.meta.url).pathname;
const runtimeModule = join(root, 'models/src/onnx-runtime/index.ts');
const dir = mkdtempSync(join(tmpdir(), 'byliv-ort-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tinyModel(): string {
  const g = new GraphBuilder();
  const x = g.input('x', 'FLOAT', [1, 3]);
  g.node('Add', [x, g.initializer('c', 'FLOAT', [3], [1, 2, 3])], {}, { outputs: ['y'] });
  g.output('y', 'FLOAT', [1, 3]);
  const path = join(dir, 'add.onnx');
  writeFileSync(path, encodeModel({ irVersion: 8, opsetVersion: 17, producerName: 'test', producerVersion: '0', graph: g.build('add') }));
  return path;
}

/** Every file below `folder`, relative to it; tsx's own compile cache (tsx-<uid>) left out. */
function filesUnder(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => !/^tsx-\d+/.test(f) && statSync(join(folder, f)).isFile())
    .sort();
}

/**
 * Runs `importLine` as the first statement of a fresh Node process with its own HOME and
 * TMPDIR and no ORT_DISABLE_TELEMETRY, opens a session and runs it once; returns what the
 * process left in HOME and TMPDIR.
 */
function leftBehind(name: string, importLine: string): string[] {
  const model = tinyModel();
  const home = mkdtempSync(join(dir, `${name}-home-`));
  const tmp = mkdtempSync(join(dir, `${name}-tmp-`));
  const entry = join(dir, `${name}.mts`);
  writeFileSync(entry, [
    importLine,
    `const session = await ort.InferenceSession.create(${JSON.stringify(model)});`,
    `const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 1]), [1, 3]) });`,
    `if (Array.from(out.y.data).join() !== '2,3,4') throw new Error('wrong result: ' + Array.from(out.y.data));`,
  ].join('\n'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp };
  delete env.ORT_DISABLE_TELEMETRY;
  // The library's telemetry stays quiet on a CI machine (it reads CI and the like), which would
  // make the control below pass for the wrong reason, or fail in CI: the child looks like a desk.
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_ID', 'BUILD_NUMBER', 'TF_BUILD', 'GITHUB_ACTIONS', 'GITLAB_CI', 'JENKINS_URL', 'TEAMCITY_VERSION', 'RUN_ID']) delete env[key];
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return [...filesUnder(home).map((f) => `HOME/${f}`), ...filesUnder(tmp).map((f) => `TMPDIR/${f}`)];
}

describe('ONNX Runtime through @byliv/models/onnx-runtime', () => {
  it.runIf(process.platform === 'linux')('writes nothing to HOME or TMPDIR when loaded through the module (static import, first line)', () => {
    expect(leftBehind('module', `import ort from ${JSON.stringify(pathToFileURL(runtimeModule).href)};`)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('control: loaded directly, the library writes its device id, event store and debug log', () => {
    const files = leftBehind('direct', `import { createRequire } from 'node:module';\nconst ort = createRequire(${JSON.stringify(join(root, 'package.json'))})('onnxruntime-node');`);
    expect(files).toContain('HOME/.cache/Microsoft/DeveloperTools/.onnxruntime/deviceid');
    expect(files.some((f) => /^TMPDIR\/mat-debug-\d+\.log$/.test(f))).toBe(true);
  });

  it('is the only place in the repository that loads onnxruntime-node', () => {
    const loads = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]onnxruntime-node['"]/;
    const offenders: string[] = [];
    const walk = (folder: string): void => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        if (['node_modules', 'dist', '.cache', '.git'].includes(entry.name)) continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.[cm]?[jt]sx?$/.test(entry.name) && path !== runtimeModule && path !== self && loads.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(root, path));
        }
      }
    };
    for (const folder of ['protocol', 'models', 'edge', 'hub', 'bench', 'dashboard', 'scripts']) walk(join(root, folder));
    expect(offenders, "import ONNX Runtime from '@byliv/models/onnx-runtime' (or models/src/onnx-runtime/index.ts), which turns its telemetry off first").toEqual([]);
  });
});
