import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-args.ts';

const base = ['run', '--source', 'v.avi', '--scene', 's.json'];

describe('byliv-edge command line', () => {
  it('fills in the defaults', () => {
    expect(parseCli(base)).toMatchObject({ command: 'run', source: 'v.avi', scene: 's.json', binSeconds: 60, realtime: false, quiet: false, dataDir: '.byliv-edge', scales: 2 });
  });
  it('reads every option of the contract', () => {
    const req = parseCli([...base, '--summary', 'o.json', '--tracks', 't.txt', '--bin-seconds', '15', '--start-time', '2026-05-01T12:00:00Z', '--input-size', '512x384', '--scales', '1', '--broker', 'mqtts://hub:8883', '--username', 'u', '--password', 'p']);
    expect(req).toMatchObject({ summary: 'o.json', tracks: 't.txt', binSeconds: 15, inputSize: { width: 512, height: 384 }, scales: 1, broker: { url: 'mqtts://hub:8883', username: 'u', password: 'p' } });
    expect(req.command === 'run' && req.startTime?.toISOString()).toBe('2026-05-01T12:00:00.000Z');
  });
  it('takes the password from the environment so it stays out of the process list', () => {
    expect(parseCli([...base, '--broker', 'mqtt://h', '--username', 'u'], { BYLIV_MQTT_PASSWORD: 'secret' })).toMatchObject({ broker: { password: 'secret' } });
  });
  it('reads --motion-gate on|off, leaving it to the default when absent', () => {
    expect(parseCli([...base, '--motion-gate', 'on'])).toMatchObject({ motionGate: true });
    expect(parseCli([...base, '--motion-gate', 'off'])).toMatchObject({ motionGate: false });
    expect(parseCli(base)).not.toHaveProperty('motionGate', true);
    expect(parseCli(base)).not.toHaveProperty('motionGate', false);
  });
  it.each([
    [[...base, '--motion-gate', 'yes'], '--motion-gate must be on or off, got "yes"'],
    [[...base, '--motion-gate'], "Option '--motion-gate <value>' argument missing"],
    [['run', '--scene', 's.json'], '--source is required'],
    [['run', '--source', 'v.avi'], '--scene is required'],
    [['count', ...base.slice(1)], 'unknown command "count"'],
    [[...base, '--bin-seconds', '0'], '--bin-seconds must be a positive whole number, got "0"'],
    [[...base, '--bin-seconds', '1.5'], '--bin-seconds must be a positive whole number'],
    [[...base, '--input-size', '400x300'], 'multiples of 32'],
    [[...base, '--input-size', 'big'], '--input-size must look like 416x320'],
    [[...base, '--scales', '3'], '--scales must be 1 or 2 (detector passes per frame), got "3"'],
    [[...base, '--start-time', 'yesterday'], '--start-time must be an ISO 8601 time'],
    [[...base, '--broker', 'localhost:1883'], '--broker must be an mqtt:// or mqtts:// URL'],
    [[...base, '--username', 'u'], 'only make sense with --broker'],
    [[...base, '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('refuses %j with a reason', (argv, reason) => {
    expect(() => parseCli(argv as string[])).toThrow(reason as string);
  });
});
