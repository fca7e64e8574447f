/** `npm run docs:refusals`: rewrites the refusal tables of the docs (REFUSAL_PAGES) from the tool definitions. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS } from '../src/tools/catalogue.js';
import { REFUSAL_PAGES, writeRefusalTables } from '../src/tools/refusal-docs.js';

const root = join(import.meta.dirname, '..');
for (const file of REFUSAL_PAGES) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = writeRefusalTables(before, TOOLS);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`wrote ${path}`);
  }
}
