-- initiate_return's transaction as sopdesk sends it (src/db/repo: orders.ts lockByNumberClaiming, actions.ts
-- forActionByNumber and insertReturn, journal.ts writeJournal), replayed by pgbench without the server: what the
-- action costs PostgreSQL alone. The values sopdesk computes in TypeScript (ids, the event, the stored response)
-- are written here as SQL of the same size. Run by `npm run bench -- actions` beside TPC-B; -D orders=<count>.
-- Keep it in step with those statements when they change.
\set num random(1001, 1000 + :orders)
\set r random(1, 1000000000000)
BEGIN;
with claim as (
insert into idempotency_keys (scope, key, request_hash, response, created_at)
values ('initiate_return', 'pgbench-' || (:client_id)::text || '-' || (:r)::text, 'hash', 'null'::jsonb, now())
on conflict do nothing
returning key)
select (select count(*) from claim)::int as claimed, (select id from orders where number = (:num)::int for no key update) as id \gset
select
  json_build_object(
    'id', o.id, 'number', o.number, 'customerId', o.customer_id, 'channel', o.channel, 'externalRef', o.external_ref,
    'currency', o.currency, 'placedAt', o.placed_at, 'shippingAddress', o.shipping_address,
    'shippingFee', o.shipping_fee, 'discount', o.discount, 'tax', o.tax, 'note', o.note,
    'canceledAt', o.canceled_at, 'cancelReason', o.cancel_reason, 'archivedAt', o.archived_at,
    'createdAt', o.created_at, 'updatedAt', o.updated_at,
    'lines', coalesce((
      select json_agg(json_build_object(
        'id', l.id, 'position', l.position, 'variantId', l.variant_id, 'productId', p.product_id, 'productKind', p.kind,
        'sku', l.sku, 'title', l.title, 'quantity', l.quantity, 'unitPrice', l.unit_price, 'discount', l.discount,
        'returnable', coalesce(p.returnable, true), 'returnWindowDays', p.return_window_days, 'category', p.category,
        'requiresShipping', coalesce(p.kind <> 'digital_access', true),
        'activeCodes', (select count(*) from access_codes c where c.line_id = l.id and c.revoked_at is null)
      ) order by l.position)
      -- a lateral lookup per line by primary key: a plain join would hash the whole catalogue for every order
      from order_lines l left join lateral (
        select v.product_id, p.kind, p.returnable, p.return_window_days, p.category
        from variants v join products p on p.id = v.product_id where v.id = l.variant_id offset 0
      ) p on true
      where l.order_id = o.id), '[]'::json),
    'transactions', coalesce((
      select json_agg(
json_build_object(
  'id', t.id, 'paymentMethodId', t.payment_method_id, 'kind', t.kind, 'status', t.status, 'amount', t.amount,
  'currency', t.currency, 'parentId', t.parent_id, 'gatewayRef', t.gateway_ref,
  'expiresAt', t.expires_at, 'processedAt', t.processed_at
) order by t.processed_at, t.id)
      from payment_transactions t where t.order_id = o.id), '[]'::json),
    'packages', coalesce((
      select json_agg(json_build_object(
        'id', k.id, 'carrier', k.carrier, 'trackingNumber', k.tracking_number, 'trackingUrl', k.tracking_url,
        'status', k.status, 'estimatedDeliveryAt', k.estimated_delivery_at, 'deliveredAt', k.delivered_at,
        'createdAt', k.created_at, 'updatedAt', k.updated_at,
        'items', coalesce((select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity) order by i.line_id)
                           from package_items i where i.package_id = k.id), '[]'::json)
      ) order by k.created_at, k.id)
      from packages k where k.order_id = o.id), '[]'::json)
  ) as o,
json_build_object(
  'shippingRefunded', (select coalesce(sum(shipping_amount), 0) from refunds where order_id = o.id),
  'lines', coalesce((select json_agg(json_build_object(
    'lineId', l.id,
    'refunded', coalesce((select sum(ri.quantity) from refund_items ri where ri.line_id = l.id), 0),
    'refundedWithoutReturn', coalesce((select sum(ri.quantity) from refund_items ri
              where ri.line_id = l.id and (select r.return_id from refunds r where r.id = ri.refund_id) is null), 0),
    'returnedOrRequested', coalesce((select sum(ti.quantity) from return_items ti
              where ti.line_id = l.id and (select t.status from returns t where t.id = ti.return_id) in ('requested', 'approved', 'picked_up', 'received', 'refunded')), 0),
    'exchanged', coalesce((select sum(xi.quantity) from exchange_items xi
              where xi.line_id = l.id and (select x.status from exchanges x where x.id = xi.exchange_id) <> 'canceled'), 0),
    'stockTracked', coalesce((select v.inventory_quantity is not null from variants v where v.id = l.variant_id), false)
  )) from order_lines l where l.order_id = o.id), '[]'::json)
) as s,
  (select coalesce(json_agg(json_build_object('scope', scope, 'key', key, 'windowDays', window_days) order by scope, key), '[]'::json)
   from return_policies) as p,
coalesce((select json_agg(json_build_object('id', m.id, 'kind', m.kind, 'label', m.label, 'brand', m.brand,
            'last4', m.last4, 'balance', m.balance, 'currency', m.currency) order by m.created_at, m.id)
          from payment_methods m where m.customer_id = o.customer_id), '[]'::json) as m
from orders o where o.number = (:num)::int;
  with t as (
    insert into returns (id, tracking_id, order_id, customer_id, reason, note, status, requested_at, updated_at)
    values ('ret_' || (:r)::text, 'RT-' || (:r)::text, (:id)::text, (select customer_id from orders where id = (:id)::text),
            'DEFECTIVE', null, 'requested', now(), now())
    returning *
  ), items as (
    insert into return_items (return_id, line_id, quantity)
    select 'ret_' || (:r)::text, l.id, 1 from order_lines l where l.order_id = (:id)::text order by l.position limit 1
    returning line_id, quantity
  )
  select
json_build_object(
  'id', t.id, 'trackingId', t.tracking_id, 'orderId', t.order_id, 'customerId', t.customer_id, 'reason', t.reason, 'note', t.note,
  'status', t.status, 'requestedAt', t.requested_at, 'approvedAt', t.approved_at, 'pickedUpAt', t.picked_up_at,
  'receivedAt', t.received_at, 'refundedAt', t.refunded_at, 'declinedAt', t.declined_at, 'canceledAt', t.canceled_at,
  'closeReason', t.close_reason, 'carrier', t.carrier, 'trackingNumber', t.tracking_number, 'updatedAt', t.updated_at,
  'items', coalesce((select json_agg(json_build_object('lineId', i.line_id, 'quantity', i.quantity) order by i.line_id) from items i), '[]'::json),
  'refund', null
) as r from t;
with e as (
  select * from jsonb_to_recordset(jsonb_build_array(jsonb_build_object(
  'n', 0, 'id', 'evt_' || (:r)::text, 'customerId', (select customer_id from orders where id = (:id)::text), 'orderId', (:id)::text,
  'type', 'return.requested', 'actorKind', 'ai_agent', 'actorId', 'tok_01m7akagr0jctfj2g5jjt067s5',
  'data', jsonb_build_object('returnId', 'ret_' || (:r)::text, 'trackingId', 'RT-' || (:r)::text, 'reason', 'DEFECTIVE',
                             'items', jsonb_build_array(jsonb_build_object('lineId', 'li_01m7akagr0jctfj2g5jjt067s5', 'quantity', 1))),
  'outboxId', 'obx_' || (:r)::text,
  'payload', jsonb_build_object('eventId', 'evt_' || (:r)::text, 'customerId', 'cus_01m7akagr0jctfj2g5jjt067s5', 'orderId', (:id)::text,
                                'actor', jsonb_build_object('kind', 'ai_agent', 'id', 'tok_01m7akagr0jctfj2g5jjt067s5'),
                                'data', jsonb_build_object('returnId', 'ret_' || (:r)::text, 'trackingId', 'RT-' || (:r)::text, 'reason', 'DEFECTIVE',
                                                           'items', jsonb_build_array(jsonb_build_object('lineId', 'li_01m7akagr0jctfj2g5jjt067s5', 'quantity', 1)))))))
    as e(n int, id text, "customerId" text, "orderId" text, type text, "actorKind" text, "actorId" text, data jsonb, "outboxId" text, payload jsonb)
), timeline as (
  insert into timeline_events (id, customer_id, order_id, type, actor_kind, actor_id, data, occurred_at)
  select id, "customerId", "orderId", type, "actorKind", "actorId", data, now() from e order by n
), queued as (
  insert into outbox (id, topic, payload, created_at)
  select "outboxId", type, payload, now() from e order by n
)
update idempotency_keys set response = jsonb_build_object('dryRun', false,
  'preview', jsonb_build_object('orderId', (:id)::text, 'orderName', '#1002', 'reason', 'DEFECTIVE', 'currency', 'AUD',
    'items', jsonb_build_array(jsonb_build_object('itemId', 'li_01m7akagr0jctfj2g5jjt067s5', 'sku', 'KG-SHEETS-QUEEN',
                                                  'title', 'Bamboo Bed Sheet Set - Queen', 'quantity', 1, 'itemCost', 9790)),
    'estimatedRefund', 9790, 'disclosures', jsonb_build_array('Shipping fees are not refunded; only the cost of the items is.',
                                                             'The return will be approved first; pickup starts only after approval.')),
  'result', jsonb_build_object('return', jsonb_build_object('id', 'ret_' || (:r)::text, 'trackingId', 'RT-' || (:r)::text, 'status', 'requested')))
where scope = 'initiate_return' and key = 'pgbench-' || (:client_id)::text || '-' || (:r)::text;
COMMIT;
