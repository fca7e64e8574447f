/**
 * `initiate_return`'s transaction as a pgbench script, written from sopdesk's own prepared statements (their SQL text
 * comes from the code, so the replay cannot drift from it), sent in the three pipelined groups sopdesk sends
 * (src/db/pipelining.ts): begin + the lock that claims the idempotency key + the order and action-state read; the
 * return insert with its read-back; the journal + commit. The values sopdesk computes in TypeScript (ids, the event,
 * the stored response) are SQL expressions of the same size, per placeholder name; a placeholder without one stops
 * the bench, so a changed statement is noticed. pgbench cannot keep a result inside a pipeline, so the order id the
 * insert and the journal need is looked up again by number (one index probe).
 */
import { writeFileSync } from 'node:fs';
import { preparedStatement } from '../src/db/database.js';
// Loading the repositories registers their prepared statements.
import '../src/db/repo/orders.js';
import '../src/db/repo/actions.js';
import '../src/db/repo/journal.js';

const KEY = `'pgbench-' || (:client_id)::text || '-' || (:r)::text`;
const ORDER = `(select id from orders where number = (:num)::int)`;
const CUSTOMER = `(select customer_id from orders where id = ${ORDER})`;
const RETURN_ID = `'ret_' || (:r)::text`;
const TRACKING = `'RT-' || (:r)::text`;
const ITEMS = `(select jsonb_agg(jsonb_build_object('lineId', l.id, 'quantity', 1, 'itemCost', 9790))
    from (select id from order_lines where order_id = ${ORDER} order by position limit 1) l)`;
const EVENT_DATA = `jsonb_build_object('returnId', ${RETURN_ID}, 'trackingId', ${TRACKING}, 'reason', 'DEFECTIVE',
    'items', jsonb_build_array(jsonb_build_object('lineId', 'li_01m7akagr0jctfj2g5jjt067s5', 'quantity', 1)))`;
const EVENTS = `jsonb_build_array(jsonb_build_object('n', 0, 'id', 'evt_' || (:r)::text, 'customerId', ${CUSTOMER}, 'orderId', ${ORDER},
    'type', 'return.requested', 'actorKind', 'ai_agent', 'actorId', 'tok_01m7akagr0jctfj2g5jjt067s5', 'data', ${EVENT_DATA},
    'outboxId', 'obx_' || (:r)::text,
    'payload', jsonb_build_object('eventId', 'evt_' || (:r)::text, 'customerId', ${CUSTOMER}, 'orderId', ${ORDER},
      'actor', jsonb_build_object('kind', 'ai_agent', 'id', 'tok_01m7akagr0jctfj2g5jjt067s5'), 'data', ${EVENT_DATA})))`;
const RESPONSE = `jsonb_build_object('dryRun', false,
    'preview', jsonb_build_object('orderId', ${ORDER}, 'orderName', '#1002', 'reason', 'DEFECTIVE', 'currency', 'AUD',
      'items', jsonb_build_array(jsonb_build_object('itemId', 'li_01m7akagr0jctfj2g5jjt067s5', 'sku', 'KG-SHEETS-QUEEN',
        'title', 'Bamboo Bed Sheet Set - Queen', 'quantity', 1, 'itemCost', 9790)),
      'estimatedRefund', 9790, 'disclosures', jsonb_build_array('Shipping fees are not refunded; only the cost of the items is.',
        'The return will be approved first; pickup starts only after approval.')),
    'result', jsonb_build_object('return', jsonb_build_object('id', ${RETURN_ID}, 'trackingId', ${TRACKING}, 'status', 'requested')))`;

/** The transaction's groups, in order: each statement with an SQL expression for each of its placeholders. */
type Statement = { name: string; values: Record<string, string> } | 'BEGIN' | 'COMMIT';
const GROUPS: Statement[][] = [
  [
    'BEGIN',
    {
      name: 'sopdesk_order_lock_by_number_claiming',
      values: { scope: `'initiate_return'`, key: KEY, requestHash: `'hash'`, at: 'now()', ref: '(:num)::int' },
    },
    { name: 'sopdesk_order_for_action_by_number', values: { ref: '(:num)::int' } },
  ],
  [
    {
      name: 'sopdesk_return_insert',
      values: {
        id: RETURN_ID,
        trackingId: TRACKING,
        orderId: ORDER,
        customerId: CUSTOMER,
        reason: `'DEFECTIVE'`,
        note: 'null',
        status: `'requested'`,
        at: 'now()',
        items: ITEMS,
      },
    },
  ],
  [
    {
      name: 'sopdesk_journal_write',
      values: { events: EVENTS, at: 'now()', response: RESPONSE, scope: `'initiate_return'`, key: KEY },
    },
    'COMMIT',
  ],
];

function replayed(s: Statement): string {
  if (typeof s === 'string') return `${s};\n`;
  const { text, placeholders } = preparedStatement(s.name);
  const sqlText = text.replace(/\$(\d+)/g, (_, n: string) => {
    const name = placeholders[Number(n) - 1]!;
    const value = s.values[name];
    if (value === undefined)
      throw new Error(`bench/replay.ts: ${s.name} has a placeholder "${name}" the replay gives no value for`);
    return `(${value})`;
  });
  return `${sqlText.trim()};\n`;
}

/** Writes the script to `file`; run it with `-D orders=<number of orders>` (order numbers 1001 … 1000 + orders). */
export function writeInitiateReturnReplay(file: string): void {
  const group = (g: Statement[]) =>
    g.length > 1 ? ['\\startpipeline\n', ...g.map(replayed), '\\endpipeline\n'] : g.map(replayed);
  writeFileSync(
    file,
    ['\\set num random(1001, 1000 + :orders)\n', '\\set r random(1, 1000000000000)\n', ...GROUPS.flatMap(group)].join(
      '',
    ),
  );
}
