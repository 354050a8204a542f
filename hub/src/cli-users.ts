/**
 * byliv-hub user …: sign-in accounts for the dashboard (the first admin is made here; later
 * ones can also be made in the dashboard by an admin).
 */
import { ROLES, type Role } from './store/index.ts';
import { Password, Username } from './store/users.ts';
import { newPassword } from './auth/index.ts';
import { addUser, disableUser, LOCAL_ACTOR } from './accounts.ts';
import { UsageError, dataDir, parse, withStore } from './cli-common.ts';

export const USERS_USAGE = `  byliv-hub user add --username U --role admin|planner|researcher [--data-dir DIR]
      adds a dashboard user; the password comes from $BYLIV_PASSWORD (at least 12 characters),
      else one is generated and printed once: {"username","role","password"}
  byliv-hub user disable --username U [--data-dir DIR]
      the user can no longer sign in; their sessions end at once
  byliv-hub user list [--data-dir DIR]
      prints {"users":[{"username","role","createdAt","disabledAt"}]}`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

function username(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--username is required');
  const parsed = Username.safeParse(value);
  if (!parsed.success) throw new UsageError(`--username "${value}": ${parsed.error.issues[0].message}`);
  return parsed.data;
}


async function add(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, username: { type: 'string' }, role: { type: 'string' } });
  const name = username(v.username);
  if (!v.role) throw new UsageError(`--role is required (${ROLES.join(', ')})`);
  if (!(ROLES as readonly string[]).includes(v.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${v.role}"`);
  const given = process.env.BYLIV_PASSWORD;
  if (given !== undefined) {
    const parsed = Password.safeParse(given);
    if (!parsed.success) throw new UsageError(`$BYLIV_PASSWORD: ${parsed.error.issues[0].message}`);
  }
  const password = given ?? newPassword();
  await withStore(v, async (store) => {
    const user = await addUser(store, { username: name, role: v.role as Role, password }, LOCAL_ACTOR);
    if (!user) throw new Error(`the username ${name} is taken${(await store.users.get(name))?.disabledAt ? ' (by a disabled user)' : ''}`);
    // A password the caller chose is not echoed; a generated one is shown this once.
    print(given === undefined ? { username: user.username, role: user.role, password } : { username: user.username, role: user.role });
  });
}

async function disable(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir, username: { type: 'string' } });
  const name = username(v.username);
  await withStore(v, async (store) => {
    const user = await store.users.get(name);
    if (!user) throw new Error(`no user ${name} (byliv-hub user list)`);
    if (!user.disabledAt) await disableUser(store, name, LOCAL_ACTOR);
    print(await store.users.get(name));
  });
}

async function list(args: string[]): Promise<void> {
  const v = parse(args, { ...dataDir });
  await withStore(v, async (store) => print({ users: await store.users.list() }));
}

export async function userCommand(sub: string | undefined, args: string[]): Promise<void> {
  if (sub === 'add') return add(args);
  if (sub === 'disable') return disable(args);
  if (sub === 'list') return list(args);
  throw new UsageError(`unknown command "user${sub === undefined || sub.startsWith('-') ? '' : ` ${sub}`}": use user add, user disable or user list`);
}
