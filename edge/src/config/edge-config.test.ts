import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../cli-args.ts';
import { cameraRequests, loadEdgeConfig, parseEdgeConfigText } from './edge-config.ts';
import { ConfigError } from './scene-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'byliv-edge-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pets = JSON.parse(readFileSync(new URL('../../../bench/scenes/pets09.json', import.meta.url), 'utf8'));
for (const camera of ['gate', 'bench']) writeFileSync(join(dir, `${camera}.json`), JSON.stringify({ ...pets, camera }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('edge config file', () => {
  it.each([
    ['no cameras', 'cameras: []', /cameras: list at least one camera/],
    ['a camera without a scene', 'cameras:\n  - source: a.mp4', /cameras\[0\]\.scene/],
    ['an unknown key', 'cameras:\n  - source: a.mp4\n    scene: gate.json\n    sorce: b.mp4', /cameras\[0\]: .*sorce/],
    ['a bad broker URL', 'broker: { url: http://x }\ncameras:\n  - { source: a.mp4, scene: gate.json }', /broker\.url: .*mqtt:\/\//],
    ['an input size off the stride', 'inputSize: 500x384\ncameras:\n  - { source: a.mp4, scene: gate.json }', /inputSize: width and height must be positive multiples of 32/],
    ['a bad start time', 'cameras:\n  - { source: a.mp4, scene: gate.json, startTime: noon }', /cameras\[0\]\.startTime/],
    ['both password and passwordEnv', 'broker: { url: mqtt://h }\ncameras:\n  - { source: a.mp4, scene: gate.json, password: x, passwordEnv: PW }', /cameras\[0\]\.passwordEnv: give password or passwordEnv, not both/],
    ['scales 3', 'scales: 3\ncameras:\n  - { source: a.mp4, scene: gate.json }', /scales/],
  ])('refuses %s, naming the file and the field', (_, text, message) => {
    const path = join(dir, 'edge.yaml');
    expect(() => parseEdgeConfigText(text, path)).toThrow(ConfigError);
    expect(() => parseEdgeConfigText(text, path)).toThrow(new RegExp(`config file ${path} is invalid:[^]*${message.source}`));
  });

  it('says when the file is missing or not YAML', () => {
    expect(() => loadEdgeConfig(join(dir, 'none.yaml'))).toThrow(/cannot read config file .*none\.yaml: no such file/);
    expect(() => loadEdgeConfig(write('broken.yaml', 'cameras: [a'))).toThrow(/config file .*broken\.yaml is not valid YAML/);
  });

  it('gives one run request per camera, paths from the config file, ids and summaries from the scenes', () => {
    const path = write('edge.yaml', [
      'binSeconds: 30',
      'threads: 2',
      'broker: { url: mqtts://hub.example:8883 }',
      'cameras:',
      '  - { source: videos/gate.mp4, scene: gate.json, username: cam-gate, passwordEnv: GATE_PW }',
      '  - { source: rtsp://10.0.0.2/stream, scene: bench.json, username: cam-bench, password: secret, maxFrames: 50 }',
    ].join('\n'));
    const [gate, benchCam] = cameraRequests(loadEdgeConfig(path), path, { env: { GATE_PW: 'from-env' }, summaryDir: '/out' });
    expect(gate).toMatchObject({ source: join(dir, 'videos/gate.mp4'), scene: join(dir, 'gate.json'), summary: '/out/pets09-gate.json', binSeconds: 30, threads: 2, scales: 2, dataDir: join(dir, '.byliv-edge') });
    expect(gate.broker).toEqual({ url: 'mqtts://hub.example:8883', username: 'cam-gate', password: 'from-env' });
    expect(benchCam).toMatchObject({ source: 'rtsp://10.0.0.2/stream', summary: '/out/pets09-bench.json', maxFrames: 50, broker: { username: 'cam-bench', password: 'secret' } });
  });

  it('refuses two cameras with one site/camera id, an unset password variable, and credentials without a broker', () => {
    const twice = write('twice.yaml', 'cameras:\n  - { source: a.mp4, scene: gate.json }\n  - { source: b.mp4, scene: gate.json }');
    expect(() => cameraRequests(loadEdgeConfig(twice), twice)).toThrow(/cameras\[1\]\.scene: pets09\/gate is also the scene of cameras\[0\]/);
    const unset = write('unset.yaml', 'broker: { url: mqtt://h }\ncameras:\n  - { source: a.mp4, scene: gate.json, passwordEnv: NOT_SET_PW }');
    expect(() => cameraRequests(loadEdgeConfig(unset), unset, { env: {} })).toThrow(/cameras\[0\]\.passwordEnv: the environment variable NOT_SET_PW is not set/);
    const noBroker = write('nobroker.yaml', 'cameras:\n  - { source: a.mp4, scene: gate.json, username: u }');
    expect(() => cameraRequests(loadEdgeConfig(noBroker), noBroker)).toThrow(/cameras\[0\]: username and password only make sense with a broker/);
    const badScene = write('badscene.yaml', 'cameras:\n  - { source: a.mp4, scene: missing.json }');
    expect(() => cameraRequests(loadEdgeConfig(badScene), badScene)).toThrow(/cannot read scene file .*missing\.json/);
  });
});

describe('byliv-edge command line with a config file', () => {
  it('parses run --config and check-config', () => {
    expect(parseCli(['run', '--config', 'edge.yaml', '--summary-dir', 'out', '--health-port', '8089'])).toEqual({ command: 'run-config', config: 'edge.yaml', summaryDir: 'out', healthPort: 8089, quiet: false });
    expect(parseCli(['check-config', 'edge.yaml'])).toEqual({ command: 'check-config', config: 'edge.yaml' });
    expect(parseCli(['run', '--source', 'a.mp4', '--scene', 's.json', '--health-port', '0'])).toMatchObject({ command: 'run', healthPort: 0 });
  });
  it.each([
    [['run', '--config', 'edge.yaml', '--source', 'a.mp4'], /with --config, --source belongs in the config file/],
    [['run', '--source', 'a.mp4', '--scene', 's.json', '--summary-dir', 'out'], /--summary-dir only makes sense with --config/],
    [['check-config'], /check-config takes one argument/],
    [['run', '--config', 'edge.yaml', '--health-port', '70000'], /--health-port must be a port number/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});
