/**
 * Sign-in accounts: what `byliv-hub user add|disable` and the admin's POST/DELETE /users do,
 * in one place (like admin.ts for cameras and tokens). Passwords are stored as scrypt hashes.
 */
import type { HubStore, Role } from './store/index.ts';
import type { UserRecord } from './store/users.ts';
import type { AuditActor } from './store/tokens.ts';
import { hashPassword } from './auth/index.ts';

/** The CLI on the hub's own machine: no token, no signed-in user. */
export const LOCAL_ACTOR: AuditActor = { tokenId: null, username: null, role: null };

/** Adds a user (username and password already validated); undefined when the name is taken. */
export async function addUser(
  store: HubStore,
  input: { username: string; role: Role; password: string },
  actor: AuditActor,
  at = new Date(),
): Promise<UserRecord | undefined> {
  const user = await store.users.add({ username: input.username, role: input.role, passwordHash: await hashPassword(input.password) }, at);
  if (user) await store.audit.add({ ...actor, action: 'user.create', detail: { username: user.username, role: user.role } }, at);
  return user;
}

/** Disables a user and ends their sessions; false when there is no such enabled user. */
export async function disableUser(store: HubStore, username: string, actor: AuditActor, at = new Date()): Promise<boolean> {
  const done = await store.users.disable(username, at);
  if (done) await store.audit.add({ ...actor, action: 'user.disable', detail: { username } }, at);
  return done;
}
