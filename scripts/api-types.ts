/**
 * The dashboard's API types, generated from the hub's OpenAPI document (which the hub's route
 * definitions make): `npm run api:types` writes dashboard/src/api/schema.gen.ts; `--check`
 * only says whether it is up to date (exit 1 if not). hub/src/api/client-types.test.ts fails
 * when the committed file is stale, so a route change cannot leave the dashboard behind.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { COMMENT_HEADER, astToString } from 'openapi-typescript';
import { openApiDocument } from '../hub/src/api/app.ts';

export const CLIENT_TYPES_FILE = fileURLToPath(new URL('../dashboard/src/api/schema.gen.ts', import.meta.url));

const HEADER = `${COMMENT_HEADER}// From the hub's OpenAPI document (GET /api/v1/openapi.json): npm run api:types. dashboard/src/api/types.ts names what the dashboard uses.\n\n`;

/** The text of schema.gen.ts for the routes as they are declared now. */
export async function clientTypes(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as Parameters<typeof openapiTS>[0], { alphabetize: false, exportType: false, silent: true });
  return `${HEADER}${astToString(ast)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await clientTypes();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    } catch {
      current = '';
    }
    if (current !== text) {
      console.error(`${CLIENT_TYPES_FILE} is out of date: run npm run api:types`);
      process.exit(1);
    }
    console.log(`${CLIENT_TYPES_FILE} is up to date`);
  } else {
    writeFileSync(CLIENT_TYPES_FILE, text);
    console.log(`wrote ${CLIENT_TYPES_FILE}`);
  }
}
