/**
 * byliv-hub backup … and compact …: a consistent copy of the SQLite store while the hub runs,
 * and rolling old bins up into hours and days (the hub also does that itself, hourly). Results
 * go to stdout as JSON. A mistake in the command line: exit 2; a failure: exit 1.
 */
import { LOCAL_ACTOR } from './accounts.ts';
import { UsageError, dataDir, parse, withStore } from './cli-common.ts';
import { DEFAULT_RETENTION, describeDatabase, isPostgresUrl, postgresBackupGuidance, type RetentionPolicy } from './store/index.ts';

export const MAINTENANCE_USAGE = `  byliv-hub backup --to FILE [--data-dir DIR]
      copies the SQLite store to a new FILE while the hub keeps running (SQLite's online
      backup: one consistent snapshot; never over an existing file); prints {"file","bytes"}.
      With --database postgres://… it prints how to use pg_dump / pg_restore instead (exit 1)
  byliv-hub compact [--keep-raw-days N] [--keep-hourly-days N] [--data-dir DIR]
      rolls bins older than N days (default ${DEFAULT_RETENTION.rawDays}) up into hourly bins, and hourly bins older
      than N days (default ${DEFAULT_RETENTION.hourlyDays}) into daily bins; "forever" keeps them; prints
      {"hoursCompacted","daysCompacted","rawBinsRemoved","hourlyBinsRemoved","hoursLeftRaw","daysLeftHourly"}.
      \`start\` takes the same two options and compacts every hour`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** The options `compact` and `start` take for the retention policy. */
export const retentionOptions = {
  'keep-raw-days': { type: 'string', default: String(DEFAULT_RETENTION.rawDays) },
  'keep-hourly-days': { type: 'string', default: String(DEFAULT_RETENTION.hourlyDays) },
} as const;

function days(name: string, value: string): number {
  if (value === 'forever') return Infinity;
  const n = Number(value);
  if (!(/^\d+$/.test(value) && Number.isSafeInteger(n) && n >= 1)) throw new UsageError(`--${name} must be a whole number of days ≥ 1 or "forever", got "${value}"`);
  return n;
}

/** The policy from --keep-raw-days and --keep-hourly-days (as parsed with `retentionOptions`); a UsageError when out of range. */
export function retentionPolicy(v: { 'keep-raw-days'?: string; 'keep-hourly-days'?: string }): RetentionPolicy {
  const rawDays = days('keep-raw-days', v['keep-raw-days'] ?? String(DEFAULT_RETENTION.rawDays));
  const hourlyDays = days('keep-hourly-days', v['keep-hourly-days'] ?? String(DEFAULT_RETENTION.hourlyDays));
  if (hourlyDays < rawDays) throw new UsageError(`--keep-hourly-days (${v['keep-hourly-days']}) must be at least --keep-raw-days (${v['keep-raw-days']})`);
  return { rawDays, hourlyDays };
}

async function backup(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, to: { type: 'string' } });
  if (v.to === undefined || v.to === '') throw new UsageError('--to FILE is required');
  // Nothing to connect to for that: say what to do instead.
  if (isPostgresUrl(v.database)) throw new Error(postgresBackupGuidance(describeDatabase({ dataDir: v['data-dir']!, database: v.database })));
  const to = v.to;
  await withStore(v, async (store) => {
    const at = new Date();
    // Before the copy, so the copy holds it too: a backup is all the data leaving the hub.
    const auditId = await store.audit.add({ ...LOCAL_ACTOR, action: 'store.backup', detail: { to } }, at);
    const result = await store.backup(to);
    await store.audit.amend(auditId, { bytes: result.bytes });
    print(result);
  });
}

async function compact(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, ...retentionOptions });
  const policy = retentionPolicy(v);
  await withStore(v, async (store) => {
    const at = new Date();
    const result = await store.retention.compact(policy, at);
    await store.audit.add({ ...LOCAL_ACTOR, action: 'store.compact', detail: { rawDays: String(policy.rawDays), hourlyDays: String(policy.hourlyDays), ...result } }, at);
    print(result);
  });
}

/** `byliv-hub backup …` and `byliv-hub compact …` (`command` is the first word, `args` the rest). */
export async function maintenanceCommand(command: string, args: string[]): Promise<void> {
  if (command === 'backup') return backup(args);
  if (command === 'compact') return compact(args);
  throw new UsageError(`unknown command "${command}" (backup or compact)`);
}
