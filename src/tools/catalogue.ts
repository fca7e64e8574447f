/**
 * The tool catalogue: every agent tool, in the order agents see them. Each family lives in its own file
 * (`src/tools/<family>.ts`) and exports an array of definitions; this file only lists the families.
 * REST (/v1/tools), OpenAPI (/openapi.json), MCP (stdio and /mcp) and the SOP runner all read this list.
 */
import type { AppContext } from '../app/context.js';
import type { ToolDefinition } from './define.js';
import { lookupTools } from './lookup.js';
import { orderChangeTools } from './order-changes.js';
import { accessTools } from './access.js';
import { orderActionTools } from './order-actions.js';
import { returnsTools } from './returns.js';
import { handoffTools } from './handoff.js';
import { sopTools } from './sop.js';
import { workBoardTools } from './work-board.js';

export const TOOLS: readonly ToolDefinition[] = [
  ...lookupTools,
  ...returnsTools,
  ...orderActionTools,
  ...orderChangeTools,
  ...accessTools,
  ...handoffTools,
  ...workBoardTools,
  ...sopTools,
];

const BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

export function findTool(name: string): ToolDefinition | undefined {
  return BY_NAME.get(name);
}

/** The tools listed to agents in this context (GET /v1/tools, MCP tools/list): those whose `listed` does not say no. */
export function listedTools(ctx: AppContext, tools: readonly ToolDefinition[]): ToolDefinition[] {
  return tools.filter((t) => t.listed?.(ctx) ?? true);
}
