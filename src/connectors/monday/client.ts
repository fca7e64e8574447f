/**
 * Monday's GraphQL API (POST {apiUrl}, `Authorization: <token>`): the one call we make, `create_item` on a board and
 * group with its column values as a JSON string. Errors come back as `errors` (often with HTTP 200); a rate or
 * complexity limit says when to call again (`retry_in_seconds`, or HTTP 429 with Retry-After).
 */
import type { WorkBoardItem, WorkBoardOutcome, WorkBoardPort } from '../../domain/work-board.js';

export const MONDAY_API_URL = 'https://api.monday.com/v2';

const CREATE_ITEM = `mutation ($boardId: ID!, $groupId: String!, $itemName: String!, $columnValues: JSON!) {
  create_item (board_id: $boardId, group_id: $groupId, item_name: $itemName, column_values: $columnValues) { id }
}`;

interface GraphQlError {
  message?: string;
  extensions?: { code?: string; retry_in_seconds?: number; status_code?: number };
}

const LIMIT_CODES = new Set([
  'COMPLEXITY_BUDGET_EXHAUSTED',
  'RATE_LIMIT_EXCEEDED',
  'Rate Limit Exceeded',
  'maxConcurrencyExceeded',
]);

export function mondayBoard(opts: {
  token: string;
  apiUrl?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}): WorkBoardPort {
  const call = opts.fetch ?? fetch;
  return {
    async createItem(item: WorkBoardItem): Promise<WorkBoardOutcome> {
      let res: Response;
      try {
        res = await call(opts.apiUrl ?? MONDAY_API_URL, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: opts.token },
          body: JSON.stringify({
            query: CREATE_ITEM,
            variables: {
              boardId: item.boardId,
              groupId: item.groupId,
              itemName: item.itemName,
              columnValues: JSON.stringify(item.columnValues),
            },
          }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
      } catch (e) {
        return { kind: 'failed', message: `Monday did not answer: ${(e as Error).message}` };
      }
      if (res.status === 429) {
        const after = Number(res.headers.get('retry-after'));
        return { kind: 'throttled', retryAfterMs: (Number.isFinite(after) && after > 0 ? after : 60) * 1000 };
      }
      if (res.status >= 500) return { kind: 'failed', message: `Monday answered HTTP ${res.status}` };
      let body: { data?: { create_item?: { id?: string } | null }; errors?: GraphQlError[]; error_message?: string };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        return { kind: 'failed', message: `Monday answered HTTP ${res.status} without JSON` };
      }
      const errors = body.errors ?? [];
      const limit = errors.find((e) => LIMIT_CODES.has(e.extensions?.code ?? ''));
      if (limit) return { kind: 'throttled', retryAfterMs: (limit.extensions?.retry_in_seconds ?? 60) * 1000 };
      // A token refused is a setting to fix, not a verdict on the item: retried, then a dead letter a person retries.
      if (res.status === 401 || res.status === 403)
        return { kind: 'failed', message: `Monday refused the token (HTTP ${res.status})` };
      const id = body.data?.create_item?.id;
      if (errors.length || !id) {
        const message = errors.map((e) => e.message).join('; ') || body.error_message || `HTTP ${res.status}`;
        return { kind: 'refused', message: `Monday refused create_item: ${message}` };
      }
      return { kind: 'created', itemId: String(id) };
    },
  };
}
