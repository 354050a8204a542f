import { describe, expect, it } from 'vitest';
import { describeNodeEgressSwitches, nodeEgressSwitches } from './node-switches.ts';

describe('nodeEgressSwitches', () => {
  it('finds nothing in the way the shim starts the agent', () => {
    expect(nodeEgressSwitches(['--import', '/opt/byliv/node_modules/tsx/dist/loader.mjs'], { PATH: '/usr/bin', NODE_OPTIONS: '--max-old-space-size=512' })).toEqual([]);
  });

  it.each([
    [['--inspect'], {}, ['--inspect']],
    [['--inspect-brk=0.0.0.0:9229'], {}, ['--inspect-brk=0.0.0.0:9229']],
    [['--cpu-prof', '--cpu-prof-dir=/tmp/p'], {}, ['--cpu-prof', '--cpu-prof-dir=/tmp/p']],
    [[], { NODE_OPTIONS: '--heap-prof  --redirect-warnings=/tmp/w.log' }, ['NODE_OPTIONS --heap-prof', 'NODE_OPTIONS --redirect-warnings=/tmp/w.log']],
    [[], { NODE_OPTIONS: '--report_on_signal' }, ['NODE_OPTIONS --report_on_signal']],
    [[], { NODE_V8_COVERAGE: '/tmp/cov', NODE_REDIRECT_WARNINGS: '/tmp/w' }, ['NODE_V8_COVERAGE', 'NODE_REDIRECT_WARNINGS']],
    [['--inspect'], { NODE_OPTIONS: '--inspect' }, ['NODE_OPTIONS --inspect']],
  ] as [string[], NodeJS.ProcessEnv, string[]][])('%j with %j: %j', (argv, env, expected) => {
    expect(nodeEgressSwitches(argv, env)).toEqual(expected);
  });

  it('does not mistake a switch for one that merely starts alike', () => {
    expect(nodeEgressSwitches(['--profile-nothing', '--reporter', '--tracer'], { NODE_V8_COVERAGE: '' })).toEqual([]);
  });

  it('names every switch and where to read why', () => {
    expect(describeNodeEgressSwitches(['NODE_OPTIONS --inspect', 'NODE_V8_COVERAGE'])).toMatch(/NODE_OPTIONS --inspect, NODE_V8_COVERAGE: .*deploy\/README\.md/);
  });
});
