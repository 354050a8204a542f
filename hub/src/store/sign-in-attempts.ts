/**
 * What the sign-in throttle has counted, kept so that a hub restart does not forget it. The
 * throttle decides in memory (one check-and-count, no await between them); this table is its
 * write-through copy, read back once when the hub starts.
 */
import type { SqlClient } from './sql.ts';

export interface SignInAttempt {
  id: number;
  key: string;
  atMs: number;
}

export class SignInAttempts {
  constructor(private readonly sql: SqlClient) {}

  /** Records one attempt; returns its id (to take it back with `remove`). */
  async add(key: string, atMs: number): Promise<number> {
    return (await this.sql.get<{ id: number }>('INSERT INTO sign_in_attempts (key, at_ms) VALUES (?, ?) RETURNING id', [key, atMs]))!.id;
  }

  async remove(id: number): Promise<void> {
    await this.sql.run('DELETE FROM sign_in_attempts WHERE id = ?', [id]);
  }

  async removeKey(key: string): Promise<void> {
    await this.sql.run('DELETE FROM sign_in_attempts WHERE key = ?', [key]);
  }

  /** Attempts at or after `sinceMs`, oldest first. */
  since(sinceMs: number): Promise<SignInAttempt[]> {
    return this.sql.all<SignInAttempt>('SELECT id, key, at_ms AS "atMs" FROM sign_in_attempts WHERE at_ms >= ? ORDER BY at_ms, id', [sinceMs]);
  }

  /** Forgets attempts before `beforeMs` (they no longer count against anyone). */
  async purge(beforeMs: number): Promise<number> {
    return (await this.sql.run('DELETE FROM sign_in_attempts WHERE at_ms < ?', [beforeMs])).changes;
  }
}
