import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AppContext } from '../app/context.js';
import { TOOLS } from '../tools/catalogue.js';
import { createMcpServer } from './server.js';

/** Protocol errors are answered before any tool runs, so no database is needed. */
async function connect(): Promise<Client> {
  const server = createMcpServer({} as AppContext, { caller: { actor: { kind: 'ai_agent', id: 'test' } } as never, tools: TOOLS });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('MCP protocol errors', () => {
  it('send their text once, without a second "MCP error <code>:" prefix', async () => {
    const client = await connect();
    const unknown = (await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: unknown) => e)) as McpError;
    expect(unknown).toBeInstanceOf(McpError);
    expect(unknown.code).toBe(ErrorCode.InvalidParams);
    expect(unknown.message).toBe('MCP error -32602: Unknown tool: no_such_tool. tools/list gives the catalogue.');
    const bad = (await client.callTool({ name: 'get_order_details', arguments: { orderId: '#1001', dry_run: true } }).catch((e: unknown) => e)) as McpError;
    expect(bad.code).toBe(ErrorCode.InvalidParams);
    expect(bad.message).toMatch(/^MCP error -32602: Invalid arguments for get_order_details: dry_run/);
    await client.close();
  });
});
