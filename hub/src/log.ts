/**
 * The same module as edge/src/log.ts (the two packages share no runtime code but the protocol).
 * The hub's levelled logger (pino): one JSON object a line on stderr in production (journald
 * and log shippers read it as is), short readable lines on a terminal. Components and cameras
 * get children: `logger.child({ component: 'publish', camera: 'east' })`.
 * stdout stays for data (the ready line, summaries); logs never go there.
 */
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export interface LoggerOptions {
  /** Default `info`; BYLIV_LOG_LEVEL is the usual source. */
  level?: string;
  /** Readable lines instead of JSON; default: when stderr is a terminal. */
  pretty?: boolean;
  /** Where the lines go (tests); default stderr. */
  destination?: { write(line: string): unknown };
  /** The name in front of each readable line, and the `name` field of each JSON one. */
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!(LOG_LEVELS as string[]).includes(level) && level !== 'silent') {
    throw new Error(`log level must be one of ${LOG_LEVELS.join(', ')} or silent, got "${level}"`);
  }
  const name = options.name ?? 'byliv-hub';
  const out = options.destination ?? process.stderr;
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  // Synchronous writes: a line logged right before process.exit() is not lost.
  const stream: DestinationStream = pretty ? { write: (line: string) => out.write(prettyLine(line)) } : options.destination ? { write: (line: string) => out.write(line) } : pino.destination({ fd: 2, sync: true });
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SHOWN_ELSEWHERE = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg', 'component', 'camera']);

/**
 * One pino JSON line as a terminal line: `byliv-hub publish[east]: warn: broker unreachable
 * reason=ECONNREFUSED`. Info lines carry no level word, so they read like the agent's progress.
 * Pure; a line that is not JSON is passed through.
 */
export function prettyLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const where = [record.component, record.camera].filter((p) => p !== undefined).map(String);
  const prefix = `${record.name ?? 'byliv'}${where.length ? ` ${where[0]}${where[1] ? `[${where[1]}]` : ''}` : ''}`;
  const level = LEVEL_NAMES[record.level as number] ?? String(record.level);
  const extra = Object.entries(record)
    .filter(([key]) => !SHOWN_ELSEWHERE.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const text = [level === 'info' ? '' : `${level}:`, String(record.msg ?? ''), ...extra].filter(Boolean).join(' ');
  return `${prefix}: ${text}\n`;
}
