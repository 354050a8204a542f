import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { HubStore } from '../store/index.ts';
import { createApi } from './app.ts';
import { DEFAULT_DASHBOARD_DIR } from './routes/dashboard.ts';
import { tempDir } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

let dir: ReturnType<typeof tempDir>;
let store: HubStore;
let dispose: () => Promise<void>;

beforeEach(async () => {
  dir = tempDir('byliv-dashboard-static-');
  ({ store, dispose } = await openTestStore());
});
afterEach(async () => {
  await dispose();
  dir.remove();
});

function built(): string {
  const dist = join(dir.path, 'dist');
  mkdirSync(join(dist, 'assets', 'sub'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="da"><script type="module" src="/assets/app-ABC123.js"></script></html>');
  writeFileSync(join(dist, 'assets', 'app-ABC123.js'), 'console.log("byliv")');
  writeFileSync(join(dist, 'assets', 'app-ABC123.css'), 'body{color:#111}');
  writeFileSync(join(dist, 'assets', 'sub', 'x.svg'), '<svg/>');
  writeFileSync(join(dist, 'manifest.json'), '{}');
  writeFileSync(join(dir.path, 'secret.txt'), 'not for the web');
  return dist;
}

describe('the dashboard static route', () => {
  it('serves index.html at / (revalidated) and hashed assets with a long cache and the right types', async () => {
    const api = createApi({ store, dashboardDir: built() });
    const index = await api.request('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('app-ABC123.js');
    expect((await api.request('/index.html')).status).toBe(200);

    const js = await api.request('/assets/app-ABC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(await js.text()).toBe('console.log("byliv")');
    expect((await api.request('/assets/app-ABC123.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await api.request('/assets/sub/x.svg')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('gzips text assets for clients that accept it, and only for them', async () => {
    const api = createApi({ store, dashboardDir: built() });
    const zipped = await api.request('/assets/app-ABC123.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('accept-encoding');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe('console.log("byliv")');
    const plain = await api.request('/assets/app-ABC123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe('console.log("byliv")');
  });

  it('refuses directory traversal in every spelling', async () => {
    const api = createApi({ store, dashboardDir: built() });
    for (const path of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e%5c..%5csecret.txt', '/assets/.hidden', '/assets/', '/assets/sub', '/assets/%00x', '/assets/%E0%A4%A']) {
      const res = await api.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain('not for the web');
    }
    // manifest.json and other files outside assets/ are not served either
    expect((await api.request('/manifest.json')).status).toBe(404);
  });

  it('answers 503 with what to run when the dashboard is not built', async () => {
    const api = createApi({ store, dashboardDir: join(dir.path, 'nothing-here') });
    const res = await api.request('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('dashboard not built: run npm run build -w dashboard');
    expect((await api.request('/assets/app.js')).status).toBe(404);
  });

  it('never answers /api paths: an unknown API route is still a JSON 404, and API routes still work', async () => {
    const api = createApi({ store, dashboardDir: built() });
    for (const path of ['/api/v1/unknown', '/api/v1/', '/api/v2/sites', '/api']) {
      const res = await api.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: string }).error).toBe('not_found');
    }
    expect((await api.request('/api/v1/sites')).status).toBe(401);
    expect((await api.request('/healthz')).status).toBe(200);
  });

  it('defaults to the dashboard package’s dist folder', () => {
    expect(DEFAULT_DASHBOARD_DIR.replace(/\\/g, '/')).toMatch(/\/dashboard\/dist\/$/);
  });
});
