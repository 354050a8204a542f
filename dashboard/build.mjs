/**
 * Builds the dashboard into dist/: index.html, assets/app-[hash].js and app-[hash].css
 * (minified, content-hashed so the hub can cache them for a year) with their .br and .gz
 * (the hub's serveStatic sends those to browsers that accept them), and manifest.json.
 * Run from anywhere: `npm run build -w dashboard` or `node dashboard/build.mjs`;
 * `--outdir DIR` builds elsewhere (the layout test builds its own copy, not the shared dist/).
 */
import { build } from 'esbuild';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({ options: { outdir: { type: 'string' } } });
const dist = args.outdir ? resolve(args.outdir) : join(root, 'dist');

// dist is emptied first: refuse a folder that is not a dashboard build, so a mistyped --outdir deletes nothing else.
const existing = await readdir(dist).catch(() => []);
if (existing.length && !existing.includes('manifest.json')) throw new Error(`--outdir ${dist} holds files but no manifest.json: not a dashboard build, not emptying it`);
await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, 'assets'), { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'src/main.tsx' },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(dist, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => relative(dist, join(root, p)).split('\\').join('/'));
const js = outputs.find((p) => p.endsWith('.js'));
const css = outputs.find((p) => p.endsWith('.css'));
if (!js || !css) throw new Error(`esbuild did not write both app.js and app.css (got ${outputs.join(', ')})`);

// The favicon is hashed like the bundle: /assets/ is cached for a year.
const faviconSvg = await readFile(join(root, 'public/favicon.svg'));
const favicon = `assets/favicon-${createHash('sha256').update(faviconSvg).digest('hex').slice(0, 8)}.svg`;
await writeFile(join(dist, favicon), faviconSvg);

const html = `<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Byliv</title>
<link rel="icon" type="image/svg+xml" href="/${favicon}">
<link rel="stylesheet" href="/${css}">
<script type="module" src="/${js}"></script>
</head>
<body>
<div id="app"><noscript>Byliv kræver JavaScript. / Byliv needs JavaScript.</noscript></div>
</body>
</html>
`;
await writeFile(join(dist, 'index.html'), html);

// Compressed once here, not per request: the hub serves app-[hash].js.br / .gz as they are.
for (const file of [js, css, favicon]) {
  const body = await readFile(join(dist, file));
  await writeFile(join(dist, `${file}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  await writeFile(join(dist, `${file}.gz`), gzipSync(body, { level: 9 }));
}

const sizes = Object.fromEntries(Object.entries(result.metafile.outputs).map(([p, o]) => [relative(dist, join(root, p)).split('\\').join('/'), o.bytes]));
await writeFile(join(dist, 'manifest.json'), `${JSON.stringify({ 'app.js': `/${js}`, 'app.css': `/${css}`, sizes, builtAt: new Date().toISOString() }, null, 2)}\n`);
console.log(JSON.stringify({ dist, js: `/${js}`, css: `/${css}`, sizes }));
