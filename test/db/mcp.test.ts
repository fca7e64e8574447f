import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { openTestContext } from '../support/db.js';
import { seedLookupStore, type LookupStore } from '../support/lookup-fixture.js';
import { TEST_TOOLS } from '../support/fake-tools.js';
import { createApp } from '../../src/http/app.js';
import { createToken } from '../../src/app/tokens/tokens.js';
import type { Role } from '../../src/domain/roles.js';
import { openDatabase } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { SopEngine, useSopEngine } from '../../src/sop/engine.js';
import { fakeCatalogue, library, REFUND_SOP } from '../support/sop-fakes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let store: LookupStore;
let server: ServerType;
let base: string;
const clients: Client[] = [];

beforeAll(async () => {
  ctx = await openTestContext();
  store = await seedLookupStore(ctx);
  const app = createApp(ctx, { tools: TEST_TOOLS });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const c of clients) await c.close();
  await new Promise<void>((r) => server.close(() => r()));
  await ctx.drop();
});

async function connect(role: Role | undefined): Promise<Client> {
  const headers: Record<string, string> = {};
  if (role) headers.authorization = `Bearer ${(await createToken(ctx, { role, name: `mcp-${role}` })).token}`;
  const client = new Client({ name: 'sopdesk-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

describe('MCP over Streamable HTTP at /mcp', () => {
  let client: Client;
  beforeAll(async () => {
    client = await connect('ai_agent');
  });

  it('lists every catalogue tool with its schemas and annotations', async () => {
    const { tools } = await client.listTools();
    // No work board is configured here: log_work_board_item is listed only with one (test/db/monday.test.ts).
    expect(tools.map((t) => t.name)).toEqual(TEST_TOOLS.map((t) => t.name).filter((n) => n !== 'log_work_board_item'));
    const item = tools.find((t) => t.name === 'get_item_details')!;
    expect(item.annotations).toEqual({
      title: 'Get item details',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(item.inputSchema).toMatchObject({ type: 'object', required: ['itemId'] });
    expect(item.outputSchema?.type).toBe('object');
    const cancel = tools.find((t) => t.name === 'cancel_everything')!;
    expect(cancel.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(Object.keys(cancel.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['orderId', 'dryRun', 'idempotencyKey']),
    );
  });

  it("calls read tools: structured content that passes the client's output-schema check, and the same as text", async () => {
    const found = await client.callTool({
      name: 'find_customer_by_email',
      arguments: { email: 'ana.lima@example.com' },
    });
    expect(found.isError).toBeFalsy();
    expect(found.structuredContent).toMatchObject({ count: 1, customers: [{ customerId: store.customerId }] });
    expect(JSON.parse((found.content as { text: string }[])[0]!.text)).toEqual(found.structuredContent);
    const active = await client.callTool({ name: 'active_orders', arguments: { customerId: store.customerId } });
    const firstOrder = (active.structuredContent as any).orders[0];
    expect(firstOrder.orderId).toBe(store.recent.id);
    const item = await client.callTool({ name: 'get_item_details', arguments: { itemId: firstOrder.items[0].itemId } });
    expect(item.structuredContent).toMatchObject({
      returnable: true,
      deliveredQuantity: 2,
      returnWindow: { open: true },
    });
    const pkg = await client.callTool({
      name: 'get_package_details',
      arguments: { packageId: (item.structuredContent as any).packageIds[0] },
    });
    expect(pkg.structuredContent).toMatchObject({ status: 'delivered', delivered: true });
  });

  it('returns a business refusal as an error result with code, reason and policy a model can act on', async () => {
    await client.listTools(); // the SDK client checks structuredContent against the listed outputSchema, error results included
    const r = await client.callTool({ name: 'cancel_everything', arguments: { orderId: store.recent.name } });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toEqual({
      code: 'not_eligible',
      reason: 'order_delivered',
      policy: 'Only orders that have not been delivered can be canceled.',
      message: 'This order has been delivered, so it cannot be canceled. Offer a return instead.',
    });
    const text = (r.content as { text: string }[])[0]!.text;
    expect(text).toContain('order_delivered');
    expect(text).toContain('Policy: Only orders that have not been delivered can be canceled.');
  });

  it('returns not found as an error result too, naming what was not found as the REST error does', async () => {
    const r = await client.callTool({ name: 'get_order_details', arguments: { orderId: '#999999' } });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toMatchObject({ code: 'not_found', details: { entity: 'order', id: '#999999' } });
  });

  it('answers an unknown tool and invalid arguments with a protocol error (InvalidParams)', async () => {
    const unknown = await client.callTool({ name: 'delete_everything', arguments: {} }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(McpError);
    expect((unknown as McpError).code).toBe(ErrorCode.InvalidParams);
    const bad = await client.callTool({ name: 'get_item_details', arguments: { itemId: 42 } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(McpError);
    expect((bad as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((bad as McpError).message).toContain('itemId');
  });

  it('answers an unexpected fault with a generic error result and keeps the cause on the server', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const r = await client.callTool({ name: 'broken_read', arguments: {} });
    expect(r.isError).toBe(true);
    expect((r.structuredContent as any).code).toBe('internal');
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(log.mock.calls.some((c) => String(c.at(-1)).includes('hunter2'))).toBe(true);
    log.mockRestore();
  });

  it("acts as the token's owner: an AI agent for ai_agent tokens, passing the idempotencyKey argument", async () => {
    const r = await client.callTool({ name: 'echo_caller', arguments: { note: 'hi', idempotencyKey: 'mcp-1' } });
    expect(r.structuredContent).toMatchObject({
      actorKind: 'ai_agent',
      actorId: 'mcp-ai_agent',
      idempotencyKey: 'mcp-1',
    });
  });

  it('lets a viewer read but refuses its writes as an error result', async () => {
    const viewer = await connect('viewer');
    expect(
      (await viewer.callTool({ name: 'get_customer_details', arguments: { customerId: store.customerId } })).isError,
    ).toBeFalsy();
    const w = await viewer.callTool({ name: 'echo_caller', arguments: { note: 'x' } });
    expect(w.isError).toBe(true);
    expect((w.structuredContent as any).code).toBe('forbidden');
  });

  it('needs a bearer token', async () => {
    await expect(connect(undefined)).rejects.toThrow();
    const res = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(401);
  });
});

describe('an SOP run over MCP', () => {
  let client: Client;
  beforeAll(async () => {
    useSopEngine(ctx, new SopEngine({ ctx, catalogue: fakeCatalogue().catalogue, library: library(REFUND_SOP) }));
    client = await connect('ai_agent');
  });

  it("asks the prompt as written, and tells the agent to use the step's tool and arguments when it calls another", async () => {
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as any;
    const start = await call('start_sop', { sopId: 'two-system-refund' });
    expect(start.structuredContent.nextAction).toMatch(/^Ask: Your registered email\? Then call sop_submit_step /);
    const runId = start.structuredContent.id;
    await call('sop_submit_step', { runId, stepId: 'email', answer: 'mo@example.com' });
    const atRefund = await call('sop_submit_step', { runId, stepId: 'order_ref', answer: '#1001' });
    expect(atRefund.structuredContent.current).toMatchObject({
      stepId: 'store_refund',
      allowedTools: ['refund_order'],
    });

    const otherTool = await call('sop_submit_step', {
      runId,
      stepId: 'store_refund',
      tool: 'marketplace_refund',
      confirm: true,
    });
    const otherArgs = await call('sop_submit_step', {
      runId,
      stepId: 'store_refund',
      tool: 'refund_order',
      arguments: { orderId: 'ord_other' },
      confirm: true,
    });
    for (const [r, reason] of [
      [otherTool, 'tool_not_allowed'],
      [otherArgs, 'arguments_differ'],
    ] as const) {
      expect(r.isError).toBe(true);
      expect(r.structuredContent).toMatchObject({ code: 'not_eligible', reason });
      const text = r.content[0].text as string;
      expect(text).toContain('sop_next_step');
      expect(text).not.toMatch(/to the customer|transfer to a human/);
    }
  });
});

describe('sopdesk mcp over stdio', () => {
  let dir: string;
  let client: Client;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sopdesk-mcp-'));
    const database = await openDatabase({ dataDir: join(dir, 'pgdata') });
    const seeded = { database, clock: new FixedClock('2026-11-20T10:00:00Z') };
    store = await seedLookupStore(seeded);
    await database.close();
    client = new Client({ name: 'sopdesk-stdio-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: ['--import', 'tsx', 'src/cli/main.ts', 'mcp'],
        cwd: ROOT,
        env: { ...process.env, SOPDESK_DATA_DIR: dir, DATABASE_URL: '', SOPDESK_MCP_ACTOR: 'stdio-test' } as Record<
          string,
          string
        >,
        stderr: 'ignore',
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the catalogue with annotations', async () => {
    const { tools } = await client.listTools();
    // No work board is configured here, so log_work_board_item is not listed (it is listed only with a board).
    expect(tools.map((t) => t.name)).toEqual(TOOLS.map((t) => t.name).filter((n) => n !== 'log_work_board_item'));
    expect(tools.every((t) => t.annotations?.readOnlyHint !== undefined && t.annotations.title)).toBe(true);
  });

  it('calls read tools on the embedded database', async () => {
    const found = await client.callTool({ name: 'find_customer_by_email', arguments: { email: 'ana@work.example' } });
    expect(found.structuredContent).toMatchObject({
      count: 1,
      customers: [{ customerId: store.customerId, name: 'Ana Lima' }],
    });
    const order = await client.callTool({ name: 'get_order_details', arguments: { orderId: store.recent.name } });
    expect(order.structuredContent).toMatchObject({ orderId: store.recent.id, status: { financialLabel: 'Paid' } });
  });

  it('returns a DomainError as an error result with its code', async () => {
    const r = await client.callTool({
      name: 'get_customer_details',
      arguments: { customerId: 'cus_00000000000000000000000000' },
    });
    expect(r.isError).toBe(true);
    expect(r.structuredContent).toMatchObject({ code: 'not_found' });
  });
});
