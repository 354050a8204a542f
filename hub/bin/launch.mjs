// Starts a package's CLI in this very process (no second Node, so signals reach it directly).
// Compiled JS (dist/) in production; in a development checkout (tsx installed, src/ present)
// the TypeScript source through tsx, so an edit needs no build. BYLIV_RUN_FROM=dist|src forces one.
//
// The workspace packages export their source by default (tsx and vitest need no build) and
// dist/ under the "compiled" condition, which the hook registered here adds to every import.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const ADD_COMPILED_CONDITION =
  'data:text/javascript,export async function resolve(specifier, context, next) {' +
  ' return next(specifier, { ...context, conditions: [...context.conditions, "compiled"] }); }';

function tsxInstalled() {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

/** `packageUrl`: the package folder's URL; `cli`: the CLI's path under src/ without extension. */
export async function launch(packageUrl, cli) {
  const source = new URL(`src/${cli}.ts`, packageUrl);
  const compiled = new URL(`dist/${cli}.js`, packageUrl);
  const from = process.env.BYLIV_RUN_FROM ?? (existsSync(source) && tsxInstalled() ? 'src' : 'dist');
  if (from === 'src') {
    const { register: registerTsx } = await import('tsx/esm/api');
    registerTsx();
    await import(source.href);
  } else if (from === 'dist') {
    if (!existsSync(compiled)) {
      process.stderr.write(`${cli}: ${compiled.pathname} is missing: build it with \`npm run build\` in the repository\n`);
      process.exit(1);
    }
    register(ADD_COMPILED_CONDITION);
    await import(compiled.href);
  } else {
    process.stderr.write(`BYLIV_RUN_FROM must be "dist" or "src", got "${from}"\n`);
    process.exit(2);
  }
}
