/** API tokens (only their sha256 is stored) and the audit log of who did what with them. */
import type { Db } from './database.ts';

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
  constructor(private readonly db: Db) {}

  add(input: { role: Role; tokenHash: string; label?: string }, at: Date): TokenRecord {
    const result = this.db
      .prepare('INSERT INTO api_tokens (role, token_hash, label, created_at) VALUES (?, ?, ?, ?)')
      .run(input.role, input.tokenHash, input.label ?? null, at.toISOString());
    return { id: Number(result.lastInsertRowid), role: input.role, label: input.label ?? null, createdAt: at.toISOString(), revokedAt: null };
  }

  /** The live (not revoked) token with this hash. */
  byHash(tokenHash: string): TokenRecord | undefined {
    const row = this.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(tokenHash) as TokenRow | undefined;
    return row && toToken(row);
  }

  /** Every token, newest first, revoked ones included (never their secret: only its hash is stored). */
  list(): TokenRecord[] {
    return (this.db.prepare('SELECT id, role, label, created_at, revoked_at FROM api_tokens ORDER BY id DESC').all() as TokenRow[]).map(toToken);
  }

  get(id: number): TokenRecord | undefined {
    const row = this.db.prepare('SELECT id, role, label, created_at, revoked_at FROM api_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return row && toToken(row);
  }

  /** False when there is no live token with this id. */
  revoke(id: number, at: Date): boolean {
    return this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at.toISOString(), id).changes > 0;
  }
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  add(input: AuditActor & { action: string; detail: Record<string, unknown> }, at: Date): number {
    const result = this.db
      .prepare('INSERT INTO audit_log (at, token_id, username, role, action, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at.toISOString(), input.tokenId, input.username ?? null, input.role, input.action, JSON.stringify(input.detail));
    return Number(result.lastInsertRowid);
  }

  /** Adds to an entry's detail (a download's row count is known only at its end). */
  amend(id: number, detail: Record<string, unknown>): void {
    const row = this.db.prepare('SELECT detail FROM audit_log WHERE id = ?').pluck().get(id) as string | undefined;
    if (row === undefined) throw new Error(`audit entry ${id} does not exist`);
    this.db.prepare('UPDATE audit_log SET detail = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row), ...detail }), id);
  }

  list(limit = 100): AuditEntry[] {
    const rows = this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number;
      at: string;
      token_id: number | null;
      username: string | null;
      role: string | null;
      action: string;
      detail: string;
    }[];
    return rows.map((r) => ({ id: r.id, at: r.at, tokenId: r.token_id, username: r.username, role: r.role, action: r.action, detail: JSON.parse(r.detail) }));
  }
}
