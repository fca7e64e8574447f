/**
 * `sopdesk mcp`: the tool catalogue over MCP on stdin/stdout, for an MCP host (Claude Desktop, an agent
 * framework) that starts sopdesk itself. Opens the database like `start`; acts as an AI agent named by
 * SOPDESK_MCP_ACTOR, or as the owner of SOPDESK_MCP_TOKEN when given. stdout carries only the protocol.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { actorFor, verifyToken } from '../app/tokens/tokens.js';
import { createMcpServer } from '../mcp/server.js';
import type { Caller } from '../tools/invoke.js';
import type { Config } from './config.js';
import { openContext } from './open.js';

export async function runMcpStdio(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const ctx = await openContext(config);
  let caller: Caller = { role: 'ai_agent', actor: { kind: 'ai_agent', id: env.SOPDESK_MCP_ACTOR || 'mcp' } };
  if (env.SOPDESK_MCP_TOKEN) {
    const principal = await verifyToken(ctx, env.SOPDESK_MCP_TOKEN);
    if (!principal) {
      await ctx.database.close();
      throw new Error('SOPDESK_MCP_TOKEN is unknown or revoked');
    }
    caller = { role: principal.role, actor: actorFor(principal) };
  }
  const server = createMcpServer(ctx, { caller });
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close().catch(() => {});
    await ctx.database.close();
    process.exit(0);
  };
  process.stdin.once('end', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  await server.connect(new StdioServerTransport());
  process.stderr.write(`sopdesk mcp: serving ${caller.actor.kind} ${caller.actor.id ?? ''} on stdio (${ctx.database.kind} database)\n`);
}
