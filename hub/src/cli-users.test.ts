/** byliv-hub user … as a process (through tsx), against a real data dir (and a PostgreSQL database with BYLIV_TEST_STORE=postgres). */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { openStore } from './store/index.ts';
import { verifyPassword } from './auth/index.ts';
import { testStoreLocation } from '../test/stores.ts';

const cliPath = resolve(import.meta.dirname, 'cli.ts');
let location: Awaited<ReturnType<typeof testStoreLocation>> | undefined;
afterEach(async () => {
  await location?.dispose();
  location = undefined;
});

/** The data dir the commands are given: one that does not exist yet. */
const dataDir = () => join(location!.dataDir, 'hub');

function cli(args: string[], env: Record<string, string> = {}) {
  const { BYLIV_PASSWORD: _, ...inherited } = process.env;
  const database = location!.database === undefined ? [] : ['--database', location!.database];
  const r = spawnSync(process.execPath, ['--import', 'tsx', cliPath, ...args, '--data-dir', dataDir(), ...database], { encoding: 'utf8', env: { ...inherited, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('byliv-hub user', () => {
  it('adds users with a given or a generated password (hashed), lists and disables them; mistakes exit 2 with the usage', async () => {
    location = await testStoreLocation();
    const generated = cli(['user', 'add', '--username', 'anna', '--role', 'admin']);
    expect(generated.status, generated.stderr).toBe(0);
    const anna = JSON.parse(generated.stdout) as { username: string; role: string; password: string };
    expect(anna).toMatchObject({ username: 'anna', role: 'admin' });
    expect(anna.password.length).toBeGreaterThanOrEqual(32);
    const given = cli(['user', 'add', '--username', 'bo', '--role', 'researcher'], { BYLIV_PASSWORD: 'bo-chose-this-one' });
    expect(JSON.parse(given.stdout)).toEqual({ username: 'bo', role: 'researcher' }); // not echoed

    expect(cli(['user', 'add', '--username', 'bo', '--role', 'planner']).status).toBe(1);
    for (const [args, env, message] of [
      [['user', 'add', '--username', 'cai', '--role', 'planner'], { BYLIV_PASSWORD: 'too-short' }, /BYLIV_PASSWORD: a password needs at least 12 characters/],
      [['user', 'add', '--username', 'cai', '--role', 'boss'], {}, /--role must be one of admin, planner, researcher/],
      [['user', 'add', '--username', 'Cai Bo', '--role', 'planner'], {}, /--username "Cai Bo": a username is/],
      [['user', 'add', '--role', 'planner'], {}, /--username is required/],
      [['user', 'remove', '--username', 'bo'], {}, /unknown command "user remove"/],
    ] as [string[], Record<string, string>, RegExp][]) {
      const r = cli(args, env);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/byliv-hub user add --username U/);
    }

    const disabled = cli(['user', 'disable', '--username', 'bo']);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ username: 'bo', disabledAt: expect.any(String) });
    expect(cli(['user', 'disable', '--username', 'nobody']).status).toBe(1);
    const { users } = JSON.parse(cli(['user', 'list']).stdout) as { users: { username: string; disabledAt: string | null }[] };
    expect(users.map((u) => [u.username, u.disabledAt === null])).toEqual([['anna', true], ['bo', false]]);

    const store = await openStore({ dataDir: dataDir(), database: location.database });
    const hash = (await store.users.credentials('anna'))!.passwordHash;
    await store.close();
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(anna.password, hash)).toBe(true);
  }, 60_000); // eleven CLI processes, each loading tsx and the whole hub: ~2.5 s apiece on a busy 2-core box
});
