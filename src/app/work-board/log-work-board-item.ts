/**
 * Logs a marketplace refund on the work board (Monday): records `work_board.item_requested` with the item to create —
 * its name and column values, from the order and the SOPDESK_MONDAY_COLUMNS mapping — and the outbox creates it with
 * `create_item` after the commit (dispatch-outbox.ts), then records `work_board.item_created` with Monday's item id.
 * Refused when no board is configured: the procedure's board step is then a manual step with evidence.
 */
import { z } from 'zod';
import { findOrderForBoard } from '../../db/repo/work-board.js';
import { columnValuesOf } from '../../domain/work-board.js';
import { notEligible, notFound } from '../../kernel/errors.js';
import { formatOrderNumber } from '../../kernel/ids.js';
import { toDecimal } from '../../kernel/money.js';
import { orderIdArg } from '../args.js';
import type { AppContext, WriteOptions } from '../context.js';
import { resolveOrderId } from '../orders/resolve-order.js';
import { write } from '../write.js';

export const WORK_BOARD_POLICY =
  'Marketplace refunds are logged on the team’s work board by order number; without a configured board a person logs them by hand.';

export const LogWorkBoardItemInput = z.object({
  orderId: orderIdArg,
  summary: z.string().trim().min(1).max(200).describe('What is logged, e.g. "Kogan refund: 1 × Desk lamp"'),
  amount: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("The amount refunded, in minor units of the order's currency (e.g. 1250 = 12.50)"),
});

export const LogWorkBoardItemOutput = z.object({
  status: z.literal('queued').describe('queued: the outbox creates the item; work_board.item_created gives its id'),
  orderNumber: z.string().describe('The order number logged (#1009)'),
  boardId: z.string().describe('The board'),
  groupId: z.string().describe('The group on it'),
  itemName: z.string().describe("The item's name"),
  columnValues: z.record(z.string(), z.string()).describe('Column id → value, as sent'),
});

export async function logWorkBoardItem(
  ctx: AppContext,
  input: z.infer<typeof LogWorkBoardItemInput>,
  opts: WriteOptions,
): Promise<z.infer<typeof LogWorkBoardItemOutput>> {
  const board = ctx.workBoard;
  if (!board)
    throw notEligible(
      'work_board_not_configured',
      'No work board is configured (SOPDESK_MONDAY_*): log the item on the board by hand and give its number as evidence.',
      WORK_BOARD_POLICY,
    );
  return write(ctx, 'log_work_board_item', input, opts, async ({ tx, now, record }) => {
    const orderId = await resolveOrderId(tx, input.orderId);
    const order = await findOrderForBoard(tx, orderId);
    if (!order) throw notFound('order', input.orderId);
    const orderNumber = formatOrderNumber(order.number);
    const itemName = `${orderNumber} ${input.summary}`;
    const columnValues = columnValuesOf(board.columns, {
      orderNumber,
      channel: order.channel,
      externalRef: order.externalRef,
      summary: input.summary,
      amount: input.amount === undefined ? null : toDecimal(input.amount, order.currency),
      date: now.toISOString().slice(0, 10),
    });
    const item = { boardId: board.boardId, groupId: board.groupId, itemName, columnValues };
    // No customer: a board that is down holds back none of the customer's messages.
    await record({ type: 'work_board.item_requested', customerId: null, orderId, data: item });
    return { status: 'queued' as const, orderNumber, ...item };
  });
}
