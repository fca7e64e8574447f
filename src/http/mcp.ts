/**
 * MCP over Streamable HTTP at /mcp, stateless: each POST gets its own server bound to the caller's
 * token. No server-initiated stream, so GET and DELETE answer 405 (clients then just POST).
 */
import { Hono } from 'hono';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { AppContext } from '../app/context.js';
import { createMcpServer } from '../mcp/server.js';
import type { ToolDefinition } from '../tools/define.js';
import type { Env } from './auth.js';

export function mcpRoutes(ctx: AppContext, tools: readonly ToolDefinition[]) {
  return new Hono<Env>()
    .post('/', async (c) => {
      const server = createMcpServer(ctx, { tools, caller: { role: c.get('principal').role, actor: c.get('actor') } });
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true }) // no sessionIdGenerator: stateless;
      await server.connect(transport);
      try {
        return await transport.handleRequest(c.req.raw);
      } finally {
        await server.close();
      }
    })
    .on(['GET', 'DELETE'], '/', (c) =>
      c.json({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; send requests with POST.' }, id: null }, 405, { allow: 'POST' }));
}
