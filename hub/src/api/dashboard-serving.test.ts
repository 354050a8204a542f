import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { HubStore } from '../store/index.ts';
import { createApi, tileSource } from './app.ts';
import { tempDir } from '../../test/fixtures.ts';
import { openTestStore } from '../../test/stores.ts';

let dir: ReturnType<typeof tempDir>;
let store: HubStore;
let dispose: () => Promise<void>;

beforeEach(async () => {
  dir = tempDir('byliv-dashboard-serving-');
  ({ store, dispose } = await openTestStore());
});
afterEach(async () => {
  await dispose();
  dir.remove();
});

const JS = 'console.log("byliv, precompressed by the build");'.repeat(20);

/** A build with app.js next to its .br and .gz (as dashboard/build.mjs writes them). */
function built(): string {
  const dist = join(dir.path, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app-XYZ.js"></script>');
  writeFileSync(join(dist, 'assets', 'app-XYZ.js'), JS);
  writeFileSync(join(dist, 'assets', 'app-XYZ.js.br'), brotliCompressSync(JS));
  writeFileSync(join(dist, 'assets', 'app-XYZ.js.gz'), gzipSync(JS));
  return dist;
}

describe('precompressed assets (serveStatic)', () => {
  it('serves the .br to a client that accepts brotli, the .gz to one that accepts only gzip, the file itself otherwise', async () => {
    const api = createApi({ store, dashboardDir: built() });
    const body = async (res: Response) => Buffer.from(await res.arrayBuffer());

    const br = await api.request('/assets/app-XYZ.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('cache-control')).toContain('immutable');
    expect(brotliDecompressSync(await body(br)).toString()).toBe(JS);

    const gz = await api.request('/assets/app-XYZ.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await body(gz)).toString()).toBe(JS);

    const plain = await api.request('/assets/app-XYZ.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(JS);

    const head = await api.request('/assets/app-XYZ.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('security headers (secure-headers)', () => {
  it('the dashboard page: a CSP that allows only its own files, data: images and the configured tile server', async () => {
    const api = createApi({ store, dashboardDir: built(), tileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' });
    const res = await api.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("img-src 'self' data: https://*.tile.example.org");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('no tile server: images only from the hub; HSTS when served over HTTPS; API answers and the 503 hint carry the headers too', async () => {
    const api = createApi({ store, dashboardDir: join(dir.path, 'not-built'), secureCookies: true });
    const missing = await api.request('/');
    expect(missing.status).toBe(503);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(await missing.text()).toContain('dashboard not built: run npm run build -w dashboard');
    expect(missing.headers.get('content-security-policy')).toContain("img-src 'self' data:;");
    expect(missing.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const health = await api.request('/healthz');
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await api.request('/api/v1/sites')).headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('takes the tile server from the tile template', () => {
    expect(tileSource('https://tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://tile.openstreetmap.org');
    expect(tileSource('https://{s}.basemaps.example.com/{z}/{x}/{y}.png')).toBe('https://*.basemaps.example.com');
    expect(tileSource('http://localhost:8080/tiles/{z}/{x}/{y}.png')).toBe('http://localhost:8080');
    expect(tileSource(null)).toBeNull();
    expect(tileSource('/tiles/{z}/{x}/{y}.png')).toBeNull();
    expect(tileSource("https://evil.example'; script-src *")).toBeNull();
  });
});
