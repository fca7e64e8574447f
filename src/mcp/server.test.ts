import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { AppContext } from '../app/context.js';
import { TOOLS } from '../tools/catalogue.js';
import { createMcpServer } from './server.js';

/** Protocol errors are answered before any tool runs, so no database is needed. */
async function connect(): Promise<Client> {
  const server = createMcpServer({} as AppContext, {
    caller: { actor: { kind: 'ai_agent', id: 'test' } } as never,
    tools: TOOLS,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('MCP protocol errors', () => {
  it('send their text once, without a second "MCP error <code>:" prefix', async () => {
    const client = await connect();
    const unknown = (await client
      .callTool({ name: 'no_such_tool', arguments: {} })
      .catch((e: unknown) => e)) as McpError;
    expect(unknown).toBeInstanceOf(McpError);
    expect(unknown.code).toBe(ErrorCode.InvalidParams);
    expect(unknown.message).toBe('MCP error -32602: Unknown tool: no_such_tool. tools/list gives the catalogue.');
    const bad = (await client
      .callTool({ name: 'get_order_details', arguments: { orderId: '#1001', dry_run: true } })
      .catch((e: unknown) => e)) as McpError;
    expect(bad.code).toBe(ErrorCode.InvalidParams);
    expect(bad.message).toMatch(/^MCP error -32602: Invalid arguments for get_order_details: dry_run/);
    await client.close();
  });

  it('a tools/call whose arguments are not an object, or with no tool name, is InvalidParams naming the problem, not an internal error', async () => {
    const client = await connect();
    const send = (params: unknown) =>
      client.request({ method: 'tools/call', params } as never, CallToolResultSchema).then(
        () => undefined,
        (e: unknown) => e as McpError,
      );
    for (const [args, kind] of [
      ['order #1001', 'a string'],
      [[1, 2], 'an array'],
      [42, 'a number'],
      [true, 'a boolean'],
    ] as const) {
      const e = await send({ name: 'get_order_details', arguments: args });
      expect([e?.code, e?.message]).toEqual([
        ErrorCode.InvalidParams,
        `MCP error -32602: params.arguments must be a JSON object of the tool's arguments, not ${kind}.`,
      ]);
    }
    for (const params of [{ arguments: {} }, { name: 7 }, { name: '' }]) {
      const e = await send(params);
      expect(e?.code).toBe(ErrorCode.InvalidParams);
      expect(e?.message).not.toMatch(/invalid_type|expected|"path"/);
    }
    // Arguments nested far deeper than the stack allows are refused by depth, not a stack overflow (-32603).
    const deep = await send({
      name: 'get_order_details',
      arguments: { orderId: JSON.parse('['.repeat(10_000) + ']'.repeat(10_000)) },
    });
    expect([deep?.code, deep?.message]).toEqual([ErrorCode.InvalidParams, expect.stringContaining('deeper than')]);
    // Arguments left out or null are no arguments: the tool's own schema then names what is missing.
    const missing = await send({ name: 'get_order_details' });
    expect([missing?.code, missing?.message]).toEqual([ErrorCode.InvalidParams, expect.stringContaining('orderId')]);
    await client.close();
  });
});
