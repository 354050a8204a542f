/**
 * Serves the dashboard's built files (dashboard/dist) with hono's serveStatic: index.html at '/'
 * (and '/index.html'; the dashboard routes by URL hash, so no other path needs it), the
 * content-hashed files under /assets/ with a year's cache, and their .br / .gz siblings (the
 * build writes them) to clients that accept them. Mounted after every /api route, so it never
 * answers an /api path (those fall through to the JSON 404). Files are read per request, so a
 * rebuild shows without restarting the hub; a missing build answers 503 with what to run.
 * The security headers (CSP and the rest) are set for every response by createApi.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

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

/** An asset name: path segments from a safe alphabet, none of them '.' or '..' (no dotfiles either). */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;

type Env = { Variables: { staticFile?: string } };

/** After serveStatic: the project's content types and cache policy. */
function finish(cacheControl: string): MiddlewareHandler<Env> {
  return async (c, next) => {
    await next();
    const file = c.get('staticFile');
    if (c.res.status !== 200 || !file) return;
    const headers = c.res.headers;
    const type = CONTENT_TYPES[extname(file.replace(/\.(br|gz|zst)$/, '')).toLowerCase()];
    if (type) headers.set('content-type', type);
    headers.set('cache-control', cacheControl);
    headers.set('x-content-type-options', 'nosniff');
    if (COMPRESSIBLE.test(headers.get('content-type') ?? '') && !headers.has('vary')) headers.set('vary', 'accept-encoding');
  };
}

/** Gzipped bodies by path, size and time, for files the build left without a .gz: compressed once, not per request. */
const gzipped = new Map<string, { key: string; body: Buffer }>();

const isFile = async (path: string) => (await stat(path).catch(() => null))?.isFile() ?? false;

/**
 * Before serveStatic: a client that takes gzip gets it even for a file the build did not
 * precompress (index.html, or a build from before .br/.gz): gzipped once per version of the file.
 * Everything else (and every precompressed file) is serveStatic's.
 */
function gzipFallback(fileOf: (path: string) => string): MiddlewareHandler<Env> {
  return async (c, next) => {
    const accepts = (c.req.header('accept-encoding') ?? '').split(',').map((e) => e.split(';')[0].trim());
    const file = fileOf(c.req.path);
    const type = CONTENT_TYPES[extname(file).toLowerCase()];
    if (c.req.method !== 'GET' || !accepts.includes('gzip') || !type || !COMPRESSIBLE.test(type)) return next();
    if ((accepts.includes('br') && (await isFile(`${file}.br`))) || (await isFile(`${file}.gz`))) return next();
    const s = await stat(file).catch(() => null);
    if (!s?.isFile()) return next();
    const key = `${s.size}:${s.mtimeMs}`;
    let hit = gzipped.get(file);
    if (hit?.key !== key) gzipped.set(file, (hit = { key, body: gzipSync(await readFile(file), { level: 9 }) }));
    c.set('staticFile', file);
    return c.body(new Uint8Array(hit.body), 200, { 'content-type': type, 'content-encoding': 'gzip', vary: 'accept-encoding' });
  };
}

export function dashboardRoutes(options: { dashboardDir?: string } = {}) {
  const root = resolve(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR);
  const indexFile = resolve(root, 'index.html');
  const app = new Hono<Env>();
  const found = (path: string, c: { set(key: 'staticFile', value: string): void }) => c.set('staticFile', path);

  const notBuilt: MiddlewareHandler<Env> = async (c) =>
    c.text(`dashboard not built: run npm run build -w dashboard (looked for ${indexFile})\n`, 503, { 'cache-control': 'no-store', 'retry-after': '60' });
  // index.html names the current hashed assets: always revalidate it.
  const index = [finish('no-cache'), gzipFallback(() => indexFile), serveStatic<Env>({ path: indexFile, onFound: found }), notBuilt] as const;
  app.get('/', ...index);
  app.get('/index.html', ...index);

  app.get(
    '/assets/*',
    async (c, next) => {
      // Decoded once here: '%2e%2e', '..%2f' and dotfiles never reach the file system.
      let name: string;
      try {
        name = decodeURIComponent(new URL(c.req.url).pathname.slice('/assets/'.length));
      } catch {
        return c.notFound();
      }
      if (!name.split('/').every((s) => SAFE_SEGMENT.test(s))) return c.notFound();
      await next();
    },
    // file names carry their content hash: a new build is a new name
    finish('public, max-age=31536000, immutable'),
    gzipFallback((path) => join(root, path)),
    serveStatic<Env>({ rewriteRequestPath: (path) => join(root, path), precompressed: true, onFound: found }),
  );

  return app;
}
