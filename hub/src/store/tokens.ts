/** API tokens (only their sha256 is stored) and the audit log of who did what with them. */
import type { SqlClient } from './sql.ts';

export const ROLES = ['admin', 'planner', 'researcher'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenRecord {
  id: number;
  role: Role;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  tokenId: number | null;
  /** The signed-in user, when the caller used a session rather than a token. */
  username: string | null;
  role: string | null;
  action: string;
  detail: Record<string, unknown>;
}

/** Who did it: a token, a signed-in user, or nobody (the CLI on the hub's own machine). */
export interface AuditActor {
  tokenId: number | null;
  username?: string | null;
  role: string | null;
}

interface TokenRow {
  id: number;
  role: Role;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

const toToken = (r: TokenRow): TokenRecord => ({ id: r.id, role: r.role, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at });

export class ApiTokens {
  constructor(private readonly sql: SqlClient) {}

  async add(input: { role: Role; tokenHash: string; label?: string }, at: Date): Promise<TokenRecord> {
    const row = await this.sql.get<{ id: number }>('INSERT INTO api_tokens (role, token_hash, label, created_at) VALUES (?, ?, ?, ?) RETURNING id', [
      input.role,
      input.tokenHash,
      input.label ?? null,
      at.toISOString(),
    ]);
    return { id: row!.id, role: input.role, label: input.label ?? null, createdAt: at.toISOString(), revokedAt: null };
  }

  /** The live (not revoked) token with this hash. */
  async byHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = await this.sql.get<TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL', [tokenHash]);
    return row && toToken(row);
  }

  /** Every token, newest first, revoked ones included (never their secret: only its hash is stored). */
  async list(): Promise<TokenRecord[]> {
    return (await this.sql.all<TokenRow>('SELECT id, role, label, created_at, revoked_at FROM api_tokens ORDER BY id DESC')).map(toToken);
  }

  async get(id: number): Promise<TokenRecord | undefined> {
    const row = await this.sql.get<TokenRow>('SELECT id, role, label, created_at, revoked_at FROM api_tokens WHERE id = ?', [id]);
    return row && toToken(row);
  }

  /** False when there is no live token with this id. */
  async revoke(id: number, at: Date): Promise<boolean> {
    return (await this.sql.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at.toISOString(), id])).changes > 0;
  }
}

export class AuditLog {
  constructor(private readonly sql: SqlClient) {}

  async add(input: AuditActor & { action: string; detail: Record<string, unknown> }, at: Date): Promise<number> {
    const row = await this.sql.get<{ id: number }>('INSERT INTO audit_log (at, token_id, username, role, action, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id', [
      at.toISOString(),
      input.tokenId,
      input.username ?? null,
      input.role,
      input.action,
      JSON.stringify(input.detail),
    ]);
    return row!.id;
  }

  /** Adds to an entry's detail (a download's row count is known only at its end). */
  amend(id: number, detail: Record<string, unknown>): Promise<void> {
    return this.sql.transaction(async (tx) => {
      const row = await tx.get<{ detail: string }>('SELECT detail FROM audit_log WHERE id = ?', [id]);
      if (row === undefined) throw new Error(`audit entry ${id} does not exist`);
      await tx.run('UPDATE audit_log SET detail = ? WHERE id = ?', [JSON.stringify({ ...JSON.parse(row.detail), ...detail }), id]);
    });
  }

  async list(limit = 100): Promise<AuditEntry[]> {
    return this.search({ limit });
  }

  /** Newest first; `from` inclusive, `to` exclusive (`at` is ISO 8601 UTC text, so it sorts as time). */
  async search(filter: { username?: string; action?: string; from?: Date; to?: Date; limit: number }): Promise<AuditEntry[]> {
    const given: [string, string | undefined][] = [
      ['username = ?', filter.username],
      ['action = ?', filter.action],
      ['at >= ?', filter.from?.toISOString()],
      ['at < ?', filter.to?.toISOString()],
    ];
    const conditions = given.filter((c): c is [string, string] => c[1] !== undefined);
    const where = conditions.map(([condition]) => condition);
    const params: (string | number)[] = conditions.map(([, value]) => value);
    const rows = await this.sql.all<{
      id: number;
      at: string;
      token_id: number | null;
      username: string | null;
      role: string | null;
      action: string;
      detail: string;
    }>(`SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, [...params, filter.limit]);
    return rows.map((r) => ({ id: r.id, at: r.at, tokenId: r.token_id, username: r.username, role: r.role, action: r.action, detail: JSON.parse(r.detail) }));
  }
}
