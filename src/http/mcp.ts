/**
 * MCP over Streamable HTTP at /mcp, stateless: each POST gets its own server bound to the caller's
 * token. No server-initiated stream, so GET and DELETE answer 405 (clients then just POST).
 */
import { Hono } from 'hono';
import type { AppContext } from '../app/context.js';
import type { ToolDefinition } from '../tools/define.js';
import { callerOf, type Env } from './auth.js';

/** The MCP SDK is loaded on the first MCP request, not at start: it is a third of the server's start-up imports. */
let sdk:
  | Promise<
      [
        typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
        typeof import('../mcp/server.js'),
      ]
    >
  | undefined;
const loadSdk = () =>
  (sdk ??= Promise.all([
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
    import('../mcp/server.js'),
  ]));

export function mcpRoutes(ctx: AppContext, tools: readonly ToolDefinition[]) {
  return new Hono<Env>()
    .post('/', async (c) => {
      const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }] = await loadSdk();
      const server = createMcpServer(ctx, { tools, caller: callerOf(c) });
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true }); // no sessionIdGenerator: stateless;
      await server.connect(transport);
      try {
        return await transport.handleRequest(c.req.raw);
      } finally {
        await server.close();
      }
    })
    .on(['GET', 'DELETE'], '/', (c) =>
      c.json(
        {
          jsonrpc: '2.0',
          error: {
            code: -32000,
            message: 'Method not allowed: this MCP endpoint is stateless; send requests with POST.',
          },
          id: null,
        },
        405,
        { allow: 'POST' },
      ),
    );
}
