/**
 * The contract test: every route is called with real data, and every answer is checked against
 * what the route's definition declares for its status and content type: a status it does not
 * declare fails, and a JSON body must parse with the declared zod schema AND come out of the
 * parse unchanged, so a missing field, a field of another type and a field the schema lacks
 * (parse drops it) all fail. At the end, every declared route must have answered 2xx once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZodType } from 'zod';
import { Scene, describeIssues } from '@byliv/protocol';
import type { HubStore, Role } from '../store/index.ts';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { SAMPLE_DIR } from '../social/sample.ts';
import { createApi } from './app.ts';
import { Site } from './routes/catalog.ts';
import { makeBatch } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

const now = new Date('2026-06-20T12:00:00Z');
const HOUR = 3_600_000;
let store: HubStore;
let dispose: () => Promise<void>;
let api: ReturnType<typeof createApi>;
const tokens = {} as Record<Role, string>;

interface RouteDef {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

const isZod = (s: unknown): s is ZodType => typeof (s as ZodType | undefined)?.safeParse === 'function';

/** Paths where `parsed` differs from `body`: keys parse dropped (not in the schema), or values it changed. */
function differences(parsed: unknown, body: unknown, path = ''): string[] {
  if (Array.isArray(body) && Array.isArray(parsed)) return body.flatMap((v, i) => differences(parsed[i], v, `${path}[${i}]`));
  if (body !== null && typeof body === 'object' && parsed !== null && typeof parsed === 'object') {
    return Object.entries(body).flatMap(([k, v]) => {
      const at = path ? `${path}.${k}` : k;
      return k in parsed ? differences((parsed as Record<string, unknown>)[k], v, at) : [`${at} (not in the schema)`];
    });
  }
  return Object.is(parsed, body) ? [] : [`${path || '(root)'} (parse turned ${JSON.stringify(body)} into ${JSON.stringify(parsed)})`];
}

/** Why `body` does not conform to `schema` (null when it does): not parsing, or parsing into something else (a field the schema lacks is dropped). */
export function mismatch(schema: ZodType, body: unknown): string | null {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return describeIssues(parsed.error);
  const diff = differences(parsed.data, body);
  return diff.length ? `the body is not what the schema declares:\n${diff.join('\n')}` : null;
}

const routes = () => (api.openAPIRegistry.definitions as { type: string; route?: RouteDef }[]).filter((d) => d.type === 'route').map((d) => d.route!);
const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
/** The routes that answered 2xx, as 'get /api/v1/sites'. */
const answered = new Set<string>();
const checked: string[] = [];

/** Sends a request and checks the answer against the route's definition; returns the parsed body. */
async function call(method: string, url: string, init: { role?: Role; cookie?: string; json?: unknown; body?: string; type?: string } = {}): Promise<{ status: number; body: any; res: Response }> {
  const headers: Record<string, string> = {};
  if (init.role) headers.authorization = `Bearer ${tokens[init.role]}`;
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  }
  if (init.type) headers['content-type'] = init.type;
  const res = await api.request(url, { method, headers, body });
  const path = new URL(url, 'http://hub').pathname;
  const route = routes().find((r) => r.method === method.toLowerCase() && pattern(r.path).test(path));
  const what = `${method} ${url} → ${res.status}`;
  expect(route, `${method} ${path} is declared`).toBeDefined();
  const declared = route!.responses[String(res.status)];
  expect(declared, `${what}: the definition declares this status (${Object.keys(route!.responses).join(', ')})`).toBeDefined();
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  let parsed: unknown = null;
  if (!declared.content) {
    expect(await res.clone().text(), `${what}: no body`).toBe('');
  } else {
    const media = declared.content[type];
    expect(media, `${what}: answered ${type || 'no content type'}, declared ${Object.keys(declared.content).join(', ')}`).toBeDefined();
    parsed = type.includes('json') ? await res.clone().json() : await res.clone().text();
    if (isZod(media.schema)) {
      const problem = mismatch(media.schema, parsed);
      expect(problem, `${what}: the body does not match the declared schema`).toBeNull();
    }
  }
  checked.push(what);
  if (res.status >= 200 && res.status < 300) answered.add(`${route!.method} ${route!.path}`);
  return { status: res.status, body: parsed, res };
}

const ok = async (method: string, url: string, init: Parameters<typeof call>[2] = {}, status = 200) => {
  const r = await call(method, url, init);
  expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
};

/** Hourly bins of both cameras on two Mondays: 2026-06-01 (before the installations) and 2026-06-08 (after). */
async function seedBins() {
  for (const day of ['2026-06-01', '2026-06-08']) {
    const start = Date.parse(`${day}T00:00:00Z`);
    for (let h = 0; h < 24; h++) {
      const binStart = new Date(start + h * HOUR).toISOString();
      const after = day === '2026-06-08';
      const cam1 = makeBatch({
        camera: 'cam1',
        seq: (after ? 100 : 0) + h,
        binStart,
        binSeconds: 3600,
        lines: { l1: [10 + (h % 3), 2, 8, 1] },
        zones: { z1: { entries: (after ? 6 : 3) + (h % 2), cyclists: 1, exits: 4, personSeconds: 600, occupancyMax: 2 } },
        ...(h === 5 ? { gapSeconds: 600 } : {}),
      });
      cam1.zones.z1.dwellHistogram = [1, 0, 1, 2, 0, 0, 0, 0, 0];
      await store.bins.insert(cam1, now);
      const cam2 = makeBatch({ camera: 'cam2', seq: (after ? 100 : 0) + h, binStart, binSeconds: 3600, zones: { c1: { entries: (after ? 4 : 3) + (h % 2), exits: 3, personSeconds: 300, occupancyMax: 1 } } });
      await store.bins.insert(cam2, now);
    }
  }
}

beforeAll(async () => {
  ({ store, dispose } = await openTestStore());
  for (const camera of ['cam1', 'cam2']) await store.cameras.register({ site: 'park', camera, mqttUsername: `park/${camera}`, passwordHash: 'x' }, now);
  for (const role of ['admin', 'planner', 'researcher'] as const) {
    tokens[role] = newApiToken();
    await store.tokens.add({ role, tokenHash: tokenHash(tokens[role]) }, now);
  }
  await store.statuses.add({ v: 1, site: 'park', camera: 'cam1', state: 'online', at: '2026-06-20T11:59:00Z', model: 'yolo', fps: 9.5, outboxDepth: 2, outboxDropped: 0 }, now);
  await store.deadLetters.add({ topic: 'byliv/v1/park/cam1/counts', reason: 'not JSON', payload: Buffer.from('{"v":'), sender: 'park/cam1' }, now);
  api = createApi({ store, clock: () => now, tileUrl: 'https://tile.example.org/{z}/{x}/{y}.png' });
}, 60_000);
afterAll(async () => {
  await dispose();
});

describe('the contract check itself', () => {
  const site = { site: 'park', name: 'Parken', createdAt: '2026-06-01T00:00:00.000Z', cameras: 2 };
  it('accepts a body that is exactly what the schema says', () => {
    expect(mismatch(Site, site)).toBeNull();
    expect(mismatch(Site, { ...site, name: null })).toBeNull();
  });
  it('fails a missing field, a field of another type, and a field the schema does not declare', () => {
    const { cameras: _, ...missing } = site;
    expect(mismatch(Site, missing)).toMatch(/cameras/);
    expect(mismatch(Site, { ...site, cameras: '2' })).toMatch(/cameras/);
    expect(mismatch(Site, { ...site, cameras: 1.5 })).toMatch(/cameras/);
    expect(mismatch(Site, { ...site, region: 'north' })).toBe('the body is not what the schema declares:\nregion (not in the schema)');
  });
});

describe('every route answers what its definition declares', () => {
  it('health and the document', async () => {
    await ok('GET', '/healthz');
    const doc = await ok('GET', '/api/v1/openapi.json');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('catalog: sites, installations, scenes, cameras', async () => {
    const installation = (id: string) => ({ id, site: 'park', name: `Installation ${id}`, kind: 'bench', installedAt: '2026-06-08T00:00:00Z' });
    await ok('POST', '/api/v1/installations', { role: 'admin', json: installation('bench-1') }, 201);
    await ok('POST', '/api/v1/installations', { role: 'admin', json: installation('path-1') }, 201);
    await ok('POST', '/api/v1/installations', { role: 'admin', json: { ...installation('bench-1'), removedAt: '2026-07-01T00:00:00Z' } }, 200);
    const square = [[0, 0], [10, 0], [10, 10]];
    const scene1 = Scene.parse({ site: 'park', camera: 'cam1', lines: [{ id: 'l1', name: 'Path', installation: 'path-1', a: [0, 0], b: [5, 5] }], zones: [{ id: 'z1', name: 'Bench', installation: 'bench-1', polygon: square }] });
    const scene2 = Scene.parse({ site: 'park', camera: 'cam2', zones: [{ id: 'c1', name: 'Control', polygon: square }] });
    await ok('PUT', '/api/v1/sites/park/cameras/cam1/scene?validFrom=2026-05-01', { role: 'admin', json: scene1 }, 201);
    await ok('PUT', '/api/v1/sites/park/cameras/cam2/scene?validFrom=2026-05-01', { role: 'admin', json: scene2 }, 201);
    await seedBins();

    expect((await ok('GET', '/api/v1/sites', { role: 'researcher' })).sites).toHaveLength(1);
    const cameras = await ok('GET', '/api/v1/sites/park/cameras', { role: 'researcher' });
    expect(cameras.cameras[0].scene.lines[0].installation).toBe('path-1');
    expect((await ok('GET', '/api/v1/installations?site=park', { role: 'planner' })).installations).toHaveLength(2);

    await ok('POST', '/api/v1/cameras', { role: 'admin', json: { site: 'park', camera: 'cam3', name: 'Parken' } }, 201);
    await ok('POST', '/api/v1/cameras', { role: 'admin', json: { site: 'park', camera: 'cam3' } }, 409);
    await ok('POST', '/api/v1/cameras', { role: 'admin', json: { site: 'park', camera: 'cam3', rotatePassword: true } }, 200);
  });

  it('counts, summary, camera health, completeness, dead letters (UTC)', async () => {
    const lines = await ok('GET', '/api/v1/counts?site=park&camera=cam1&rollup=day&by=line', { role: 'planner' });
    expect(lines.rows.length).toBeGreaterThan(0);
    const zones = await ok('GET', '/api/v1/counts?site=park&rollup=hour&by=zone&class=person&from=2026-06-01&to=2026-06-02', { role: 'admin' });
    expect(zones.rows[0].zone).toBeDefined();
    const summary = await ok('GET', '/api/v1/summary?camera=cam1', { role: 'planner' });
    expect(summary.zones.z1.visits).toBeGreaterThan(0);
    const health = await ok('GET', '/api/v1/health/cameras', { role: 'planner' });
    expect(health.cameras.find((c: { camera: string }) => c.camera === 'cam1').status.fps).toBe(9.5);
    await ok('GET', '/api/v1/health/completeness?camera=cam1&from=2026-06-01T00:00:00Z&to=2026-06-01T06:00:00Z', { role: 'planner' });
    expect((await ok('GET', '/api/v1/health/dead-letters?limit=5', { role: 'admin' })).total).toBe(1);
  });

  it('the researcher export, its dictionary and citation', async () => {
    await ok('GET', '/api/v1/export/dictionary', { role: 'researcher' });
    expect(await ok('GET', '/api/v1/export/citation', { role: 'researcher' })).toMatch(/Byliv/);
    const csv = await ok('GET', '/api/v1/export?site=park&rollup=day', { role: 'researcher' });
    expect(csv.split('\n').find((l: string) => !l.startsWith('#'))).toContain('period_start');
    const json = await ok('GET', '/api/v1/export?site=park&camera=cam1&rollup=day&format=json', { role: 'researcher' });
    expect(json.rows.length).toBeGreaterThan(0);
  });

  it('indicators and series (local time)', async () => {
    const urban = await ok('GET', '/api/v1/indicators/urban?subject=site:park&period=week&from=2026-06-01&to=2026-06-15', { role: 'researcher' });
    expect(urban.timeZone).toBe('Europe/Copenhagen');
    await ok('GET', '/api/v1/indicators/urban?subject=line:park/cam1/l1', { role: 'researcher' });
    await ok('GET', '/api/v1/series?subject=zone:park/cam1/z1&measure=stayingVisits&rollup=day&from=2026-06-01&to=2026-06-10', { role: 'researcher' });
    await ok('GET', '/api/v1/series?subject=line:park/cam1/l1&measure=forward&rollup=hour&from=2026-06-01&to=2026-06-02', { role: 'researcher' });
    await ok('GET', '/api/v1/series/heatmap?subject=site:park&from=2026-06-01&to=2026-06-15', { role: 'researcher' });
    await ok('GET', '/api/v1/series/dwell?subject=zone:park/cam1/z1&from=2026-06-01&to=2026-06-15', { role: 'researcher' });
    const subjects = await ok('GET', '/api/v1/subjects?site=park', { role: 'researcher' });
    expect(subjects.subjects.map((s: { kind: string }) => s.kind)).toEqual(expect.arrayContaining(['site', 'zone', 'line', 'installation']));
  });

  it('evaluations: with a control (difference in differences), and of a line without zones (null measures)', async () => {
    const periods = 'baselineFrom=2026-06-01T00:00:00Z&baselineTo=2026-06-02T00:00:00Z&interventionFrom=2026-06-08T00:00:00Z&interventionTo=2026-06-09T00:00:00Z';
    const bench = await ok('GET', `/api/v1/evaluations?installation=bench-1&${periods}&control=zone:park/cam2/c1`, { role: 'planner' });
    expect(bench.measures.passers.did).not.toBeNull();
    const path = await ok('GET', `/api/v1/evaluations?installation=path-1&${periods}`, { role: 'planner' });
    expect(path.measures.stayingVisits).toBeNull();
    const controls = await ok('GET', `/api/v1/evaluations/controls?installation=bench-1&${periods}`, { role: 'planner' });
    expect(controls.controls.map((c: { subject: string }) => c.subject)).toContain('zone:park/cam2/c1');
    const audit = await ok('GET', '/api/v1/audit?limit=10', { role: 'admin' });
    expect(Array.isArray(audit.entries)).toBe(true);
  });

  it('social indicators, districts and the map, with their imports', async () => {
    const sample = (name: string) => readFileSync(join(SAMPLE_DIR, name), 'utf8');
    await ok('POST', '/api/v1/imports/districts?source=sample', { role: 'admin', body: sample('districts.geojson'), type: 'application/geo+json' });
    await ok('POST', '/api/v1/imports/social-catalogue?sample=true', { role: 'admin', body: sample('catalogue.json'), type: 'application/json' });
    await ok('POST', '/api/v1/imports/social-indicators?sample=true&source=Eksempel', { role: 'admin', body: sample('social-indicators.csv'), type: 'text/csv' });
    await ok('POST', '/api/v1/imports/site-map', { role: 'admin', body: sample('site-map.geojson'), type: 'application/geo+json' });
    expect((await ok('GET', '/api/v1/districts', { role: 'researcher' })).districts.length).toBeGreaterThan(0);
    const map = await ok('GET', '/api/v1/map', { role: 'researcher' });
    expect(map.tileUrl).toContain('{z}');
    await ok('GET', '/api/v1/social/indicators', { role: 'researcher' });
    const values = await ok('GET', '/api/v1/social/values?indicator=school-absence', { role: 'researcher' });
    expect(values.values.some((v: { light: string | null }) => v.light !== null)).toBe(true);
  });

  it('sessions, users and tokens', async () => {
    const password = 'a long enough password';
    const user = await ok('POST', '/api/v1/users', { role: 'admin', json: { username: 'anna', role: 'planner', password } }, 201);
    expect(user.disabledAt).toBeNull();
    expect((await ok('GET', '/api/v1/users', { role: 'admin' })).users).toHaveLength(1);
    const signIn = await call('POST', '/api/v1/session', { json: { username: 'anna', password } });
    expect(signIn.status).toBe(200);
    const cookie = signIn.res.headers.get('set-cookie')!.split(';')[0];
    expect((await ok('GET', '/api/v1/session', { cookie })).username).toBe('anna');
    expect((await ok('GET', '/api/v1/session', { role: 'researcher' })).username).toBeNull();
    await ok('DELETE', '/api/v1/session', { cookie }, 204);
    expect((await ok('DELETE', '/api/v1/users/anna', { role: 'admin' })).disabledAt).not.toBeNull();

    const token = await ok('POST', '/api/v1/tokens', { role: 'admin', json: { role: 'researcher', label: 'Aalborg' } }, 201);
    expect(token.token.length).toBeGreaterThan(20);
    expect((await ok('GET', '/api/v1/tokens', { role: 'admin' })).tokens.length).toBeGreaterThan(3);
    await ok('DELETE', `/api/v1/tokens/${token.id}`, { role: 'admin' }, 204);
  });

  it('errors are the declared Error body with a declared status', async () => {
    const expectError = async (status: number, method: string, url: string, init: Parameters<typeof call>[2] = {}) => {
      const r = await call(method, url, init);
      expect(r.status, `${method} ${url}: ${JSON.stringify(r.body)}`).toBe(status);
      expect(typeof r.body.reason).toBe('string');
      return r.body;
    };
    await expectError(401, 'GET', '/api/v1/sites');
    await expectError(403, 'GET', '/api/v1/counts?site=park', { role: 'researcher' });
    expect((await expectError(400, 'GET', '/api/v1/counts?site=park&rollup=year', { role: 'planner' })).reason).toMatch(/^bad query parameters:\nrollup: /);
    await expectError(404, 'GET', '/api/v1/counts?site=nowhere', { role: 'planner' });
    await expectError(404, 'GET', '/api/v1/series?subject=zone:park/cam9/z1', { role: 'researcher' });
    await expectError(400, 'GET', '/api/v1/series/dwell?subject=line:park/cam1/l1', { role: 'researcher' });
    expect((await expectError(400, 'POST', '/api/v1/installations', { role: 'admin', json: { id: 'x' } })).reason).toMatch(/^not a valid installation:\nsite: /);
    expect((await expectError(400, 'POST', '/api/v1/installations', { role: 'admin', body: '{', type: 'application/json' })).reason).toBe('the request body must be JSON');
    expect((await expectError(415, 'POST', '/api/v1/installations', { role: 'admin', body: '{}', type: 'text/plain' })).error).toBe('unsupported_media_type');
    await expectError(409, 'POST', '/api/v1/users', { role: 'admin', json: { username: 'anna', role: 'planner', password: 'another long password' } });
    await expectError(404, 'DELETE', '/api/v1/tokens/999999', { role: 'admin' });
    const broken = await expectError(400, 'POST', '/api/v1/imports/districts', { role: 'admin', json: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'x' }, geometry: null }] } });
    expect(broken.features.length).toBeGreaterThan(0);
  });

  it('every declared route answered 2xx at least once (so each was checked)', () => {
    const declared = routes().map((r) => `${r.method} ${r.path}`);
    expect(declared.length).toBeGreaterThan(30);
    expect(declared.filter((r) => !answered.has(r))).toEqual([]);
    expect(checked.length).toBeGreaterThan(declared.length);
  });
});
