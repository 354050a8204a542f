/** What every byliv-hub subcommand shares: usage errors (exit 2), option parsing, --data-dir. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export const dataDir = { 'data-dir': { type: 'string', default: '.byliv-data' } } as const;

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
