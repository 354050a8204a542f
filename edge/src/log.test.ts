import { describe, expect, it } from 'vitest';
import { createLogger, prettyLine } from './log.ts';

function capture(pretty: boolean, level?: string) {
  const lines: string[] = [];
  const logger = createLogger({ pretty, level, destination: { write: (l: string) => lines.push(l) } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object a line with level, name, component and camera', () => {
    const { logger, lines } = capture(false);
    logger.child({ component: 'publish', camera: 'east' }).warn({ queued: 3 }, 'broker unreachable');
    const record = JSON.parse(lines[0]);
    expect(record).toMatchObject({ level: 40, name: 'byliv-edge', component: 'publish', camera: 'east', queued: 3, msg: 'broker unreachable' });
    expect(record.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('reads like the old text lines on a terminal: info bare, other levels named', () => {
    const { logger, lines } = capture(true);
    logger.info('frame 60/60 (100%)');
    logger.child({ component: 'publish', camera: 'east' }).error({ code: 5 }, 'refused');
    expect(lines).toEqual(['byliv-edge: frame 60/60 (100%)\n', 'byliv-edge publish[east]: error: refused code=5\n']);
  });

  it('drops lines below the level, and names a wrong level', () => {
    const { logger, lines } = capture(true, 'warn');
    logger.info('not shown');
    logger.warn('shown');
    expect(lines).toEqual(['byliv-edge: warn: shown\n']);
    expect(() => createLogger({ level: 'loud' })).toThrow(/log level must be one of fatal, error, warn, info, debug, trace or silent, got "loud"/);
  });

  it('passes a line that is not JSON through', () => {
    expect(prettyLine('plain\n')).toBe('plain\n');
  });
});
