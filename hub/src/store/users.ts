/**
 * Sign-in accounts: username, role and a slow (scrypt) password hash. A user is never deleted,
 * only disabled: the audit log keeps naming them, and a disabled user's sessions stop working.
 */
import { z } from 'zod';
import type { SqlClient } from './sql.ts';
import type { Role } from './tokens.ts';

/** Lower case, so "Anna" and "anna" cannot be two accounts; an e-mail address fits. */
export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'a username is 1–64 lower-case letters, digits, ".", "_", "@" or "-", starting with a letter or digit');

/** Long enough to resist guessing even with the throttle off; the cap keeps hashing cheap to refuse. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `a password needs at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `a password has at most ${PASSWORD_MAX_LENGTH} characters`);

export interface UserRecord {
  username: string;
  role: Role;
  createdAt: string;
  disabledAt: string | null;
}

interface UserRow {
  username: string;
  role: Role;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
}

const toUser = (r: UserRow): UserRecord => ({ username: r.username, role: r.role, createdAt: r.created_at, disabledAt: r.disabled_at });

export class Users {
  constructor(private readonly sql: SqlClient) {}

  /** Adds a user; undefined when the username is taken (disabled users keep theirs). */
  async add(input: { username: string; role: Role; passwordHash: string }, at: Date): Promise<UserRecord | undefined> {
    const result = await this.sql.run('INSERT INTO users (username, role, password_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(username) DO NOTHING', [
      input.username,
      input.role,
      input.passwordHash,
      at.toISOString(),
    ]);
    if (result.changes === 0) return undefined;
    return { username: input.username, role: input.role, createdAt: at.toISOString(), disabledAt: null };
  }

  async get(username: string): Promise<UserRecord | undefined> {
    const row = await this.sql.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    return row && toUser(row);
  }

  /** What sign-in checks: the user with their password hash, if enabled. */
  async credentials(username: string): Promise<(UserRecord & { passwordHash: string }) | undefined> {
    const row = await this.sql.get<UserRow>('SELECT * FROM users WHERE username = ? AND disabled_at IS NULL', [username]);
    return row && { ...toUser(row), passwordHash: row.password_hash };
  }

  async list(): Promise<UserRecord[]> {
    return (await this.sql.all<UserRow>('SELECT * FROM users ORDER BY username')).map(toUser);
  }

  /**
   * Disables a user and ends their sessions (session lookups also check disabled_at, so this is
   * belt and braces). False when no such enabled user exists.
   */
  disable(username: string, at: Date): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const changed = (await tx.run('UPDATE users SET disabled_at = ? WHERE username = ? AND disabled_at IS NULL', [at.toISOString(), username])).changes > 0;
      if (changed) await tx.run('DELETE FROM sessions WHERE username = ?', [username]);
      return changed;
    });
  }
}
