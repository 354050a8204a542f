/**
 * The audit log as a person reads it: one line saying what an entry did (a download's site,
 * camera, period, rollup, format and rows; a user or camera change's subject), and the log as
 * CSV. Pure.
 */
import type { AuditEntry } from '../../store/index.ts';

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'username', 'role', 'tokenId', 'action', 'what', 'detail'] as const;

const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** "site=park camera=cam1 from=… to=… rollup=hour format=csv rows=120": the detail's plain fields (and an export's query), in order. */
export function describeAuditEntry(entry: Pick<AuditEntry, 'detail'>): string {
  const { query, ...rest } = entry.detail;
  const fields = { ...(query && typeof query === 'object' ? (query as Record<string, unknown>) : {}), ...rest };
  return Object.entries(fields)
    .map(([key, value]) => [key, text(value)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const e of entries) {
    const row = [String(e.id), e.at, e.username ?? '', e.role ?? '', e.tokenId === null ? '' : String(e.tokenId), e.action, describeAuditEntry(e), JSON.stringify(e.detail)];
    lines.push(row.map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
