/**
 * Serves the dashboard's built files (dashboard/dist): index.html at '/', the content-hashed
 * files under /assets/ with a year's cache. Mounted after every /api route, so it never answers
 * an /api path (those fall through to the JSON 404). The files are read per request, so a
 * rebuild shows without restarting the hub; a missing build answers 503 with what to run.
 */
import { Hono } from 'hono';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ApiEnv } from '../auth.ts';

/** dashboard/dist of this repository, from hub/src/api/routes/. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../../../dashboard/dist/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** An asset name: path segments from a safe alphabet, none of them '.' or '..'. */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // The dashboard loads only its own files; map tiles (if configured) are images from anywhere.
  'content-security-policy': "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;
/** Gzipped bodies by path, size and time: the bundle is compressed once per build, not per request (97 KiB → 32 KiB). */
const gzipped = new Map<string, { key: string; body: Buffer }>();

function gzipOnce(path: string, key: string, body: Buffer): Buffer {
  const hit = gzipped.get(path);
  if (hit?.key === key) return hit.body;
  const zipped = gzipSync(body, { level: 9 });
  gzipped.set(path, { key, body: zipped });
  return zipped;
}

/** The body as the client can take it: gzip where it says so and the type is worth it. */
function encoded(acceptEncoding: string | undefined, path: string, body: Buffer, contentType: string, version: string): { body: Buffer; headers: Record<string, string> } {
  if (!COMPRESSIBLE.test(contentType)) return { body, headers: {} };
  const vary = { vary: 'accept-encoding' };
  if (!/\bgzip\b/.test(acceptEncoding ?? '')) return { body, headers: vary };
  return { body: gzipOnce(path, version, body), headers: { ...vary, 'content-encoding': 'gzip' } };
}

async function readIfFile(path: string): Promise<Buffer | null> {
  try {
    if (!(await stat(path)).isFile()) return null;
    return await readFile(path);
  } catch {
    return null;
  }
}

export function dashboardRoutes(options: { dashboardDir?: string } = {}) {
  const root = resolve(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR);
  const assets = resolve(root, 'assets');
  const app = new Hono<ApiEnv>();

  const index = async () => {
    const html = await readIfFile(resolve(root, 'index.html'));
    if (!html) {
      return new Response(`dashboard not built: run npm run build -w dashboard (looked for ${resolve(root, 'index.html')})\n`, {
        status: 503,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '60' },
      });
    }
    // index.html names the current hashed assets: always revalidate it.
    // (half a kilobyte: not worth compressing)
    return new Response(new Uint8Array(html), { headers: { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-cache', ...SECURITY_HEADERS } });
  };
  app.get('/', index);
  app.get('/index.html', index);

  app.get('/assets/*', async (c, next) => {
    // The raw path, decoded once by us: '%2e%2e' and '..%2f' are caught like '..'.
    const raw = new URL(c.req.url).pathname.slice('/assets/'.length);
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      return next();
    }
    const segments = name.split('/');
    if (!segments.every((s) => SAFE_SEGMENT.test(s))) return next();
    const path = resolve(assets, ...segments);
    if (!path.startsWith(assets + sep)) return next();
    const body = await readIfFile(path);
    if (!body) return next();
    const contentType = CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    // hashed names: the name and size identify the content
    const out = encoded(c.req.header('accept-encoding'), path, body, contentType, `${name}:${body.length}`);
    return new Response(new Uint8Array(out.body), {
      headers: {
        ...out.headers,
        'content-type': contentType,
        // file names carry their content hash: a new build is a new name
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
      },
    });
  });

  return app;
}
