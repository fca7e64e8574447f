import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiTypes, SCHEMA_FILE } from './gen-api.js';

describe("the web client's generated API types", () => {
  it('match the OpenAPI document the server serves now (run `npm run gen:api` after changing the API)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    // The diff vitest prints names the operation that drifted.
    expect(committed, 'web/src/api/schema.d.ts is stale: run npm run gen:api').toBe(await apiTypes());
  });
});
