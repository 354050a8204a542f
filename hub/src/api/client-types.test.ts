import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CLIENT_TYPES_FILE, clientTypes } from '../../../scripts/api-types.ts';

describe("the dashboard's API types", () => {
  it('are generated from the routes as they are now: dashboard/src/api/schema.gen.ts is not stale (else run npm run api:types)', async () => {
    const committed = readFileSync(CLIENT_TYPES_FILE, 'utf8');
    const now = await clientTypes();
    expect(committed === now, `${CLIENT_TYPES_FILE} is stale: run npm run api:types and commit it`).toBe(true);
  }, 60_000);
});
