/** `npm run docs:refusals`: rewrites the refusal tables of docs/tools/*.md from the tool definitions. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS } from '../src/tools/catalogue.js';
import { writeRefusalTables } from '../src/tools/refusal-docs.js';

const dir = join(import.meta.dirname, '..', 'docs', 'tools');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = writeRefusalTables(before, TOOLS);
  if (after !== before) {
    writeFileSync(path, after);
    console.log(`wrote ${path}`);
  }
}
