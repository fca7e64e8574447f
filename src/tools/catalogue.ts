/**
 * The tool catalogue: every agent tool, in the order agents see them. Each family lives in its own file
 * (`src/tools/<family>.ts`) and exports an array of definitions; this file only lists the families.
 * REST (/v1/tools), OpenAPI (/openapi.json), MCP (stdio and /mcp) and the SOP runner all read this list.
 */
import type { ToolDefinition } from './define.js';
import { sopTools } from './sop.js';

export const TOOLS: readonly ToolDefinition[] = [
  // ...familyTools — one spread per family file
  ...sopTools,
];

const BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

export function findTool(name: string): ToolDefinition | undefined {
  return BY_NAME.get(name);
}
