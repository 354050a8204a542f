/**
 * GET /api/v1/audit on a real store: an admin reads who downloaded what and when (a real
 * export, made before), filtered by user, action and time, as JSON and as CSV (the CSV download
 * audited in its turn); planners and researchers get 403, and no one signed in 401.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubStore } from '../store/index.ts';
import { hashPassword } from '../auth/index.ts';
import { createApi } from './app.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';
import { AUDIT_CSV_COLUMNS, auditCsv, describeAuditEntry } from './routes/audit-format.ts';

const t0 = new Date('2025-05-07T12:00:00Z');
let now = t0;
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const PASSWORDS = { anna: 'anna-has-a-long-password', bo: 'bo-is-a-planner-here', cai: 'cai-does-research-1' };

beforeEach(async () => {
  now = t0;
  ({ store, dispose } = await openTestStore());
  await store.cameras.register({ site: 'park', camera: 'cam1', mqttUsername: 'park/cam1', passwordHash: 'x' }, t0);
  await store.bins.insert(makeBatch({ binStart: '2025-05-07T10:00:00Z', lines: { l1: [3, 1, 2, 0] } }), t0);
  const cost = { N: 1024, r: 8, p: 1 };
  await store.users.add({ username: 'anna', role: 'admin', passwordHash: await hashPassword(PASSWORDS.anna, cost) }, t0);
  await store.users.add({ username: 'bo', role: 'planner', passwordHash: await hashPassword(PASSWORDS.bo, cost) }, t0);
  await store.users.add({ username: 'cai', role: 'researcher', passwordHash: await hashPassword(PASSWORDS.cai, cost) }, t0);
  api = createApi({ store, clock: () => now });
});
afterEach(async () => {
  await dispose();
});

async function cookieOf(username: keyof typeof PASSWORDS): Promise<string> {
  const res = await api.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORDS[username] }) });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}
const as = (cookie: string, path: string) => api.request(path, { headers: { cookie } });

interface Entry {
  id: number;
  at: string;
  username: string | null;
  role: string | null;
  action: string;
  what: string;
  detail: Record<string, unknown>;
}

describe('GET /api/v1/audit', () => {
  it('shows an admin who downloaded what and when, filtered by user, action and time', async () => {
    const cai = await cookieOf('cai');
    now = new Date('2025-05-07T12:30:00Z');
    const download = await as(cai, '/api/v1/export?site=park&from=2025-05-07&to=2025-05-08&rollup=day&format=csv');
    expect(download.status).toBe(200);
    await download.text(); // the row count is written when the download ends
    now = new Date('2025-05-07T18:00:00Z');
    const anna = await cookieOf('anna');

    const all = (await (await as(anna, '/api/v1/audit')).json()) as { entries: Entry[] };
    expect(all.entries.map((e) => e.action)).toEqual(['session.create', 'export', 'session.create']); // newest first
    const exportEntry = all.entries[1]!;
    expect(exportEntry).toMatchObject({ at: '2025-05-07T12:30:00.000Z', username: 'cai', role: 'researcher', action: 'export' });
    expect(exportEntry.what).toMatch(/^site=park from=2025-05-07T00:00:00.000Z to=2025-05-08T00:00:00.000Z rollup=day format=csv .*rows=\d+/);

    const byCai = (await (await as(anna, '/api/v1/audit?user=cai&action=export')).json()) as { entries: Entry[] };
    expect(byCai.entries.map((e) => e.id)).toEqual([exportEntry.id]);
    const evening = (await (await as(anna, '/api/v1/audit?from=2025-05-07T17:00:00Z&to=2025-05-08')).json()) as { entries: Entry[] };
    expect(evening.entries.map((e) => [e.username, e.action])).toEqual([['anna', 'session.create']]);
    const nobody = (await (await as(anna, '/api/v1/audit?user=bo')).json()) as { entries: Entry[] };
    expect(nobody.entries).toEqual([]);
  });

  it('answers the filtered log as CSV and audits that download too', async () => {
    const cai = await cookieOf('cai');
    await (await as(cai, '/api/v1/export?site=park&format=json')).text();
    const anna = await cookieOf('anna');
    const res = await as(anna, '/api/v1/audit?action=export&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="byliv-audit-2025-05-07.csv"');
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d+,2025-05-07T12:00:00.000Z,cai,researcher,,export,site=park .*format=json/);
    expect((await store.audit.list(1))[0]).toMatchObject({ action: 'audit.export', username: 'anna', detail: { action: 'export', rows: 1 } });
  });

  it('is for admins only: a researcher and a planner get 403, no one signed in 401', async () => {
    for (const user of ['cai', 'bo'] as const) {
      const res = await as(await cookieOf(user), '/api/v1/audit');
      expect(res.status, user).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe('forbidden');
      expect((await as(await cookieOf(user), '/api/v1/audit?format=csv')).status).toBe(403);
    }
    expect((await api.request('/api/v1/audit')).status).toBe(401);
  });

  it('names a bad filter', async () => {
    const anna = await cookieOf('anna');
    const bad = await as(anna, '/api/v1/audit?from=2025-05-09&to=2025-05-08&limit=9');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { reason: string }).reason).toMatch(/from \(2025-05-09T00:00:00.000Z\) must be before to/);
    const action = await as(anna, '/api/v1/audit?action=DROP%20TABLE');
    expect(((await action.json()) as { reason: string }).reason).toMatch(/action: expected an action such as export/);
  });
});

describe('audit formatting', () => {
  it('says an entry in one line and quotes the CSV, defusing formulas', () => {
    const entry = { id: 7, at: '2025-05-07T12:00:00.000Z', tokenId: 3, username: null, role: 'researcher', action: 'export', detail: { query: { site: 'park', camera: null }, rows: 4, label: '=HYPERLINK("x")' } };
    expect(describeAuditEntry(entry)).toBe('site=park rows=4 label==HYPERLINK("x")');
    const [, row] = auditCsv([entry]).split('\r\n');
    expect(row).toBe(`7,2025-05-07T12:00:00.000Z,,researcher,3,export,"site=park rows=4 label==HYPERLINK(""x"")","{""query"":{""site"":""park"",""camera"":null},""rows"":4,""label"":""=HYPERLINK(\\""x\\"")""}"`);
    expect(auditCsv([{ ...entry, username: '@SUM(A1)', detail: {} }]).split('\r\n')[1]).toBe("7,2025-05-07T12:00:00.000Z,'@SUM(A1),researcher,3,export,,{}");
  });
});
