/**
 * The refusal tables of the docs (REFUSAL_PAGES), written from the definitions: a table stands between
 * `<!-- refusals of <tool> -->` and `<!-- end of refusals (npm run docs:refusals) -->`. `npm run docs:refusals` rewrites them;
 * refusal-docs.test.ts fails when a committed page is not what the definitions give.
 */
import type { ToolDefinition } from './define.js';
import { refusalTable } from './refusals.js';

/** The pages that hold refusal tables, from the repository root. */
export const REFUSAL_PAGES = [
  'docs/tools/cancel-and-refund.md',
  'docs/tools/returns.md',
  'docs/tools/order-changes.md',
  'docs/tools/access-codes.md',
  'docs/inbox.md',
  'docs/connectors.md',
] as const;

/** `<!-- refusals of cancel_order -->`, or of several tools (`of approve_return, decline_return`): one table. */
const BLOCK = /(<!-- refusals of ([a-z_, ]+) -->\n)[\s\S]*?(<!-- end of refusals \(npm run docs:refusals\) -->)/g;

const namesOf = (list: string) =>
  list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);

/** The page with every refusal table written from its tools' definitions; throws on a table of an unknown tool. */
export function writeRefusalTables(markdown: string, tools: readonly ToolDefinition[]): string {
  return markdown.replace(BLOCK, (_all, open: string, names: string, close: string) => {
    const named = namesOf(names).map((name) => {
      const tool = tools.find((t) => t.name === name);
      if (!tool?.refusals?.length)
        throw new Error(`A refusals table names ${name}, which has no refusals in the catalogue`);
      return tool;
    });
    const table =
      named.length === 1
        ? refusalTable(named[0]!.refusals!)
        : refusalTable(named.flatMap((t) => t.refusals!.map((r) => ({ ...r, when: `\`${t.name}\`: ${r.when}` }))));
    return `${open}${table}\n${close}`;
  });
}

/** The tools whose refusal tables a page holds. */
export function refusalTablesIn(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].flatMap((m) => namesOf(m[2]!));
}
