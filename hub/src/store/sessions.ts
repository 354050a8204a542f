/**
 * Browser sessions. The cookie holds 32 random bytes; only their sha256 is stored, so a copy
 * of the database does not let anyone sign in. A session lives until its expires_at (set at
 * sign-in: an absolute lifetime, see api/routes/session.ts) or until sign-out.
 */
import type { Db } from './database.ts';
import type { Role } from './tokens.ts';

export interface SessionUser {
  username: string;
  role: Role;
  expiresAt: string;
}

export class Sessions {
  constructor(private readonly db: Db) {}

  create(input: { tokenHash: string; username: string; expiresAt: Date }, at: Date): void {
    this.db
      .prepare('INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(input.tokenHash, input.username, at.toISOString(), input.expiresAt.toISOString());
  }

  /** The signed-in user of a live session: not expired, and the user not disabled. */
  lookup(tokenHash: string, at: Date): SessionUser | undefined {
    // ISO strings of Date.toISOString() all have the same form, so they compare as times.
    const row = this.db
      .prepare(
        `SELECT u.username, u.role, s.expires_at FROM sessions s JOIN users u ON u.username = s.username
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
      )
      .get(tokenHash, at.toISOString()) as { username: string; role: Role; expires_at: string } | undefined;
    return row && { username: row.username, role: row.role, expiresAt: row.expires_at };
  }

  /** Sign-out; false when there was no such session. */
  delete(tokenHash: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash).changes > 0;
  }

  /** Removes expired sessions (run at each sign-in, so the table stays small). */
  purgeExpired(at: Date): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(at.toISOString()).changes;
  }

  countFor(username: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM sessions WHERE username = ?').pluck().get(username) as number;
  }
}
