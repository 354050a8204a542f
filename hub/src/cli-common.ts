/** What every byliv-hub subcommand shares: usage errors (exit 2), option parsing, --data-dir and --database. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openStore, type HubStore } from './store/index.ts';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Where the store is: every command that reads or writes it takes both. */
export const dataDir = { 'data-dir': { type: 'string', default: '.byliv-data' }, database: { type: 'string' } } as const;

export const STORE_USAGE = `  --data-dir defaults to ./.byliv-data (the embedded SQLite store, hub.sqlite, lives there);
  --database postgres://user@host/db uses PostgreSQL instead (every command takes it; the
  password from the URL or $PGPASSWORD)`;

/** Opens the store the options name, runs `run`, and closes it whatever happens. */
export async function withStore<T>(v: { 'data-dir'?: string; database?: string }, run: (store: HubStore) => T | Promise<T>): Promise<T> {
  if (v.database !== undefined && !/^postgres(ql)?:\/\//i.test(v.database)) throw new UsageError(`--database must be a postgres://… URL, got "${v.database}" (the SQLite store is chosen by --data-dir)`);
  const store = await openStore({ dataDir: v['data-dir'] ?? '.byliv-data', database: v.database });
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
