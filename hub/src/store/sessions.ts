/**
 * Browser sessions. The cookie holds 32 random bytes; only their sha256 is stored, so a copy
 * of the database does not let anyone sign in. A session lives until its expires_at (set at
 * sign-in: an absolute lifetime, see api/routes/session.ts) or until sign-out.
 */
import type { SqlClient } from './sql.ts';
import type { Role } from './tokens.ts';

export interface SessionUser {
  username: string;
  role: Role;
  expiresAt: string;
}

export class Sessions {
  constructor(private readonly sql: SqlClient) {}

  async create(input: { tokenHash: string; username: string; expiresAt: Date }, at: Date): Promise<void> {
    await this.sql.run('INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      input.tokenHash,
      input.username,
      at.toISOString(),
      input.expiresAt.toISOString(),
    ]);
  }

  /** The signed-in user of a live session: not expired, and the user not disabled. */
  async lookup(tokenHash: string, at: Date): Promise<SessionUser | undefined> {
    // ISO strings of Date.toISOString() all have the same form, so they compare as times.
    const row = await this.sql.get<{ username: string; role: Role; expires_at: string }>(
      `SELECT u.username, u.role, s.expires_at FROM sessions s JOIN users u ON u.username = s.username
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`,
      [tokenHash, at.toISOString()],
    );
    return row && { username: row.username, role: row.role, expiresAt: row.expires_at };
  }

  /** Sign-out; false when there was no such session. */
  async delete(tokenHash: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash])).changes > 0;
  }

  /** Removes expired sessions (run at each sign-in, so the table stays small). */
  async purgeExpired(at: Date): Promise<number> {
    return (await this.sql.run('DELETE FROM sessions WHERE expires_at <= ?', [at.toISOString()])).changes;
  }

  async countFor(username: string): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM sessions WHERE username = ?', [username]))!.n;
  }
}
