import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOLS } from './catalogue.js';
import { REFUSAL_PAGES, refusalTablesIn, writeRefusalTables } from './refusal-docs.js';

const root = join(import.meta.dirname, '..', '..');
const pages = REFUSAL_PAGES.map((f) => ({ file: f, text: readFileSync(join(root, f), 'utf8') }));

describe('the refusal tables of the docs', () => {
  it('are what the definitions give (run npm run docs:refusals after changing a refusal)', () => {
    for (const { file, text } of pages) expect(text, file).toBe(writeRefusalTables(text, TOOLS));
  });

  it('cover every tool that can refuse', () => {
    const documented = new Set(pages.flatMap((p) => refusalTablesIn(p.text)));
    const refusing = TOOLS.filter((t) => t.refusals?.length).map((t) => t.name);
    expect(refusing.length).toBeGreaterThan(0);
    for (const name of refusing) expect(documented.has(name), name).toBe(true);
  });

  it('write a stale table anew, and refuse a table of a tool without refusals', () => {
    const stale = '<!-- refusals of cancel_order -->\n| old |\n<!-- end of refusals (npm run docs:refusals) -->';
    expect(writeRefusalTables(stale, TOOLS)).toContain('| `order_delivered` | any unit delivered |');
    expect(() =>
      writeRefusalTables(
        '<!-- refusals of get_order_details -->\n<!-- end of refusals (npm run docs:refusals) -->',
        TOOLS,
      ),
    ).toThrow(/get_order_details/);
  });
});
