/**
 * The work board (Monday): a marketplace refund is logged there as an item on a configured board and group. The port
 * is ours (one call); `src/connectors/monday/client.ts` implements it over Monday's GraphQL API. docs/connectors.md.
 */

/** The facts of a board item, each put in the column the setting maps it to (SOPDESK_MONDAY_COLUMNS). */
export const WORK_BOARD_FIELDS = ['orderNumber', 'channel', 'externalRef', 'summary', 'amount', 'date'] as const;
export type WorkBoardField = (typeof WORK_BOARD_FIELDS)[number];

export interface WorkBoardItem {
  boardId: string;
  groupId: string;
  itemName: string;
  /** Column id → value, as Monday's `column_values` takes them (simple strings). */
  columnValues: Record<string, string>;
}

export type WorkBoardOutcome =
  | { kind: 'created'; itemId: string }
  /** Monday refused the request (a GraphQL error that asking again will not change). */
  | { kind: 'refused'; message: string }
  /** Monday asked to be called later (rate or complexity limit). */
  | { kind: 'throttled'; retryAfterMs: number }
  /** No answer, a 5xx: try again on the retry schedule. */
  | { kind: 'failed'; message: string };

export interface WorkBoardPort {
  createItem(item: WorkBoardItem): Promise<WorkBoardOutcome>;
}

export interface WorkBoardConfig {
  boardId: string;
  groupId: string;
  /** Which board column each field goes in; a field not mapped is not sent. */
  columns: Partial<Record<WorkBoardField, string>>;
}

/** The column values of an item: each mapped field's value, as text (numbers and dates as Monday reads them). */
export function columnValuesOf(
  columns: WorkBoardConfig['columns'],
  facts: Record<WorkBoardField, string | null>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of WORK_BOARD_FIELDS) {
    const column = columns[field];
    const value = facts[field];
    if (column && value !== null) values[column] = value;
  }
  return values;
}

/** Parses SOPDESK_MONDAY_COLUMNS: a JSON object of field → column id, e.g. {"orderNumber":"text_mkx1"}. */
export function parseColumnMapping(text: string): WorkBoardConfig['columns'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('must be a JSON object');
  const columns: WorkBoardConfig['columns'] = {};
  for (const [field, column] of Object.entries(parsed)) {
    if (!(WORK_BOARD_FIELDS as readonly string[]).includes(field))
      throw new Error(`names an unknown field "${field}" (known: ${WORK_BOARD_FIELDS.join(', ')})`);
    if (typeof column !== 'string' || !/^[A-Za-z0-9_]{1,100}$/.test(column))
      throw new Error(`maps "${field}" to "${String(column)}", not a column id`);
    columns[field as WorkBoardField] = column;
  }
  return columns;
}
