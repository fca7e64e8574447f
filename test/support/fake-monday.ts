/**
 * A fake of Monday's GraphQL API (POST /v2, `Authorization: <token>`) on a free local port: it answers the
 * `create_item` mutation as Monday documents it — `{ data: { create_item: { id } } }` — with its errors as Monday
 * gives them: an unknown board or group as a GraphQL error (HTTP 200), a bad token as 401, a spent complexity budget
 * as `COMPLEXITY_BUDGET_EXHAUSTED` with `retry_in_seconds`. Boards and groups are what the test sets up.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMondayItem {
  id: string;
  boardId: string;
  groupId: string;
  name: string;
  columnValues: Record<string, unknown>;
}

export interface FakeMonday {
  url: string;
  items: FakeMondayItem[];
  /** The next `n` calls answer this instead. */
  fail(n: number, how: 'complexity' | 'server_error'): void;
  close(): Promise<void>;
}

export async function startFakeMonday(opts: { token: string; boards: Record<string, string[]> }): Promise<FakeMonday> {
  const items: FakeMondayItem[] = [];
  let failing: { n: number; how: 'complexity' | 'server_error' } = { n: 0, how: 'server_error' };
  let nextId = 9_000_000_001;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v2') return answer(404, { error_message: 'Not found' });
      if (req.headers.authorization !== opts.token)
        return answer(401, { errors: [{ message: 'Not Authenticated', extensions: { code: 'UNAUTHORIZED' } }] });
      if (failing.n > 0) {
        failing.n--;
        if (failing.how === 'server_error') return answer(500, { error_message: 'Internal server error' });
        return answer(200, {
          errors: [
            {
              message: 'Complexity budget exhausted',
              extensions: { code: 'COMPLEXITY_BUDGET_EXHAUSTED', retry_in_seconds: 20 },
            },
          ],
        });
      }
      let body: { query?: string; variables?: Record<string, unknown> };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, { error_message: 'Invalid JSON' });
      }
      const v = body.variables ?? {};
      if (!body.query?.includes('create_item'))
        return answer(200, { errors: [{ message: 'This fake answers create_item only' }] });
      const boardId = String(v.boardId);
      const groups = opts.boards[boardId];
      if (!groups)
        return answer(200, {
          data: { create_item: null },
          errors: [{ message: `Board ${boardId} not found`, extensions: { code: 'ResourceNotFoundException' } }],
        });
      if (!groups.includes(String(v.groupId)))
        return answer(200, {
          data: { create_item: null },
          errors: [{ message: 'Group not found', extensions: { code: 'InvalidGroupIdException' } }],
        });
      if (typeof v.columnValues !== 'string')
        return answer(200, { errors: [{ message: 'column_values must be a JSON string' }] });
      const item: FakeMondayItem = {
        id: String(nextId++),
        boardId,
        groupId: String(v.groupId),
        name: String(v.itemName),
        columnValues: JSON.parse(v.columnValues),
      };
      items.push(item);
      return answer(200, { data: { create_item: { id: item.id } }, account_id: 1 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    items,
    fail: (n, how) => void (failing = { n, how }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
