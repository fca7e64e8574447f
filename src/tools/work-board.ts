import {
  LogWorkBoardItemInput,
  LogWorkBoardItemOutput,
  logWorkBoardItem,
  WORK_BOARD_POLICY,
} from '../app/work-board/log-work-board-item.js';
import { defineTool, WRITE, writeOptions, type ToolDefinition } from './define.js';
import { refusal } from './refusals.js';

export const logWorkBoardItemTool = defineTool({
  name: 'log_work_board_item',
  title: 'Log an item on the work board',
  description:
    "Log a marketplace refund on the team's work board (Monday) by the store's order number, with a short summary and the " +
    'amount refunded. The item is created on the configured board and group right after the call (the answer says it is ' +
    'queued); its Monday item id arrives as the work_board.item_created event.',
  refusals: [refusal('work_board_not_configured', 'no work board is configured', WORK_BOARD_POLICY)],
  input: LogWorkBoardItemInput,
  output: LogWorkBoardItemOutput,
  hints: WRITE,
  // Listed only with a board: without one the Kogan procedure's board step is a manual step with evidence.
  listed: (ctx) => ctx.workBoard !== undefined,
  // Moves no money, stock or order: it runs by itself in an SOP, with nothing to preview.
  previewable: false,
  run: (input, call) => logWorkBoardItem(call.ctx, input, writeOptions(call)),
});

export const workBoardTools: ToolDefinition[] = [logWorkBoardItemTool as unknown as ToolDefinition];
