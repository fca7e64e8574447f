/**
 * The work board (Monday): log_work_board_item queues an item with the mapped column values, and the outbox creates it
 * with create_item on a fake of Monday's GraphQL API — after the commit, retried on failure, put off by a complexity
 * limit, a refusal noted for a person — and the tool is refused, and not listed to agents (GET /v1/tools, MCP
 * tools/list), when no board is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openActionStore, makeOrder, type Store } from '../support/orders.js';
import { startFakeMonday, type FakeMonday } from '../support/fake-monday.js';
import { rows } from '../../src/db/database.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { mondayBoard } from '../../src/connectors/monday/client.js';
import { invokeTool } from '../../src/tools/invoke.js';
import { logWorkBoardItemTool } from '../../src/tools/work-board.js';
import type { ToolDefinition } from '../../src/tools/define.js';
import type { AppContext } from '../../src/app/context.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { testApi } from '../support/api.js';

let ctx: Awaited<ReturnType<typeof openActionStore>>['ctx'];
let store: Store;
let monday: FakeMonday;
let board: AppContext;
let order: { id: string; name: string };

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.test';
const COLUMNS = { orderNumber: 'text_order', externalRef: 'text_esg', amount: 'numeric_amt', date: 'date4' };

beforeAll(async () => {
  ({ ctx, store } = await openActionStore());
  monday = await startFakeMonday({ token: TOKEN, boards: { '1234567890': ['topics', 'refunds'] } });
  board = {
    ...ctx,
    workBoard: {
      boardId: '1234567890',
      groupId: 'refunds',
      columns: COLUMNS,
      port: mondayBoard({ token: TOKEN, apiUrl: monday.url }),
    },
  };
  const made = await makeOrder(ctx, store, {
    lines: [{ sku: 'LAMP', quantity: 1 }],
    channel: 'kogan',
    externalRef: 'ESG-58231467',
  });
  order = { id: made.id, name: made.name };
});
afterAll(async () => {
  await monday.close();
  await ctx.drop();
});

const STAFF = { role: 'agent' as const, actor: { kind: 'human' as const, id: 'alex' } };
const log = (c: AppContext, args: Record<string, unknown>) =>
  invokeTool(
    c,
    logWorkBoardItemTool as unknown as ToolDefinition,
    { orderId: order.name, summary: 'Kogan refund', ...args },
    STAFF,
  );

const events = (type: string) =>
  rows<{ data: Record<string, string> }>(
    ctx.database.db,
    sql`select data from timeline_events where type = ${type} order by seq`,
  );

async function mcpToolNames(c: AppContext): Promise<string[]> {
  const server = createMcpServer(c, { caller: STAFF });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'board-test', version: '1.0.0' });
  await Promise.all([server.connect(a), client.connect(b)]);
  const { tools } = await client.listTools();
  await client.close();
  return tools.map((t) => t.name);
}

describe('log_work_board_item', () => {
  it('is listed to agents (GET /v1/tools, MCP tools/list) only when a board is configured', async () => {
    const without = await testApi(ctx, 'agent');
    const withBoard = await testApi(board, 'agent');
    const listed = async (api: typeof without) =>
      ((await api.request('GET', '/v1/tools')).body.tools as { name: string }[]).map((t) => t.name);
    expect(await listed(without)).not.toContain('log_work_board_item');
    expect(await listed(without)).toContain('refund_order');
    expect(await listed(withBoard)).toContain('log_work_board_item');
    expect(await mcpToolNames(ctx)).not.toContain('log_work_board_item');
    expect(await mcpToolNames(board)).toEqual(TOOLS.map((t) => t.name));
  });

  it('is refused when no board is configured, naming the rule', async () => {
    await expect(log(ctx, { amount: 2000 })).rejects.toMatchObject({
      code: 'not_eligible',
      details: { reason: 'work_board_not_configured' },
    });
  });

  it('creates the item on the configured board and group, with the mapped columns, after the commit', async () => {
    const queued = (await log(board, { amount: 2500, idempotencyKey: 'board-1' })) as Record<string, unknown>;
    expect(queued).toMatchObject({
      status: 'queued',
      orderNumber: order.name,
      itemName: `${order.name} Kogan refund`,
      columnValues: { text_order: order.name, text_esg: 'ESG-58231467', numeric_amt: '25.00', date4: '2026-11-20' },
    });
    expect(monday.items).toHaveLength(0);
    await dispatchOutbox(board);
    expect(monday.items).toEqual([
      {
        id: expect.any(String),
        boardId: '1234567890',
        groupId: 'refunds',
        name: `${order.name} Kogan refund`,
        columnValues: { text_order: order.name, text_esg: 'ESG-58231467', numeric_amt: '25.00', date4: '2026-11-20' },
      },
    ]);
    expect((await events('work_board.item_created')).at(-1)!.data).toMatchObject({ itemId: monday.items[0]!.id });
    // The same key again: the first answer, and no second item.
    await log(board, { amount: 2500, idempotencyKey: 'board-1' });
    await dispatchOutbox(board);
    expect(monday.items).toHaveLength(1);
  });

  it('a server error is retried on the schedule; a complexity limit waits the time Monday gives', async () => {
    const before = monday.items.length;
    await log(board, {});
    monday.fail(1, 'server_error');
    expect((await dispatchOutbox(board)).failed).toBe(1);
    ctx.clock.advance(2 * 60_000);
    monday.fail(1, 'complexity');
    const r = await dispatchOutbox(board);
    expect(r.failed).toBe(0);
    expect(monday.items).toHaveLength(before);
    ctx.clock.advance(19_000);
    await dispatchOutbox(board);
    expect(monday.items).toHaveLength(before);
    ctx.clock.advance(1_000);
    await dispatchOutbox(board);
    expect(monday.items).toHaveLength(before + 1);
  });

  it('an unknown group is a refusal: noted on the order for a person, not retried', async () => {
    const wrong: AppContext = { ...board, workBoard: { ...board.workBoard!, groupId: 'nope' } };
    await log(wrong, {});
    await dispatchOutbox(wrong);
    expect((await events('work_board.item_failed')).at(-1)!.data.message).toContain('Group not found');
  });
});
