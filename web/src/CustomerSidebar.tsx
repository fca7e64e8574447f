import { lazy, memo, Suspense, useCallback, useState } from 'react';
import * as Tabs from '@radix-ui/react-tabs';
import { Truck } from 'lucide-react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { queries, refreshAfterWrite, SIDEBAR_ORDERS_PAGE } from './api/queries';
import type { Conversation, Me, Order, ToolSummary } from './api/types';
import { formatDate, formatMoney } from './shared';
import { tone } from './ui/status';
import { OrderActions } from './OrderActions';
import { CustomerProfile } from './CustomerProfile';

// The other tabs (and the Markdown renderer of the SOP steps) load when first chosen, not with the conversation.
const Timeline = lazy(() => import('./Timeline').then((m) => ({ default: m.Timeline })));
const SopPanel = lazy(() => import('./SopPanel').then((m) => ({ default: m.SopPanel })));

const PAGE = SIDEBAR_ORDERS_PAGE;
const TABS = ['orders', 'timeline', 'sop'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = { orders: 'Orders', timeline: 'Timeline', sop: 'Procedures' };

/**
 * Memoised, like each order card: what changes around it (a reply being typed, the conversation list and counts
 * arriving) does not draw the customer's orders again.
 */
export const CustomerSidebar = memo(function CustomerSidebar({
  customerId,
  conversation,
  me,
  onChanged,
}: {
  customerId: string;
  conversation: Conversation;
  me: Me;
  onChanged: () => void;
}) {
  const queryClient = useQueryClient();
  const tools = useQuery(queries.tools()).data ?? null;
  const customer = useQuery(queries.customer(customerId)).data ?? null;
  // The customer's orders, a page at a time ("Show older orders" adds one).
  const [pageCount, setPageCount] = useState(1);
  const pages = useQueries({
    queries: Array.from({ length: pageCount }, (_, i) => queries.customerOrders(customerId, i * PAGE, PAGE)),
  });
  const [tab, setTab] = useState<Tab>('orders');
  const changed = useCallback(() => {
    void refreshAfterWrite(queryClient);
    onChanged();
  }, [queryClient, onChanged]);

  // The orders this conversation is about come first, however old they are: those not on the first page are read
  // one by one.
  const firstPage = pages[0]?.data?.orders;
  const missing = firstPage ? conversation.orders.filter((o) => !firstPage.some((x) => x.id === o.id)) : [];
  const linkedOrders = useQueries({ queries: missing.map((o) => queries.order(o.id)) });
  const orders: Order[] = [];
  for (const o of [
    ...linkedOrders.flatMap((q) => (q.data ? [q.data] : [])),
    ...pages.flatMap((p) => p.data?.orders ?? []),
  ]) {
    if (!orders.some((x) => x.id === o.id)) orders.push(o);
  }
  const hasMore = pages[pages.length - 1]?.data?.hasMore ?? false;

  const linked = new Set(conversation.orders.map((o) => o.id));
  const sorted = [...orders].sort((a, b) => Number(linked.has(b.id)) - Number(linked.has(a.id)));

  return (
    <aside className="sidebar" aria-label="Customer">
      {customer && (
        <section className="customer">
          <h2>{customer.name}</h2>
          <p className="muted">
            {customer.emails.map((e) => e.email).join(', ')}
            {customer.phone ? ` · ${customer.phone}` : ''}
          </p>
          <CustomerProfile customer={customer} canEdit={me.role !== 'viewer'} />
        </section>
      )}
      {/* Radix Tabs (WAI-ARIA tabs: one tab stop, arrow keys and Home/End move and select). Every panel exists, so
          each aria-controls points at one; only the selected one is shown and filled. */}
      <Tabs.Root value={tab} onValueChange={(v) => setTab(v as Tab)}>
        <Tabs.List className="tabs" aria-label="Customer details">
          {TABS.map((t) => (
            <Tabs.Trigger key={t} value={t}>
              {TAB_LABEL[t]}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {TABS.map((t) => (
          <Tabs.Content key={t} value={t} forceMount hidden={tab !== t} className="panel">
            {tab === t && t === 'orders' && (
              <>
                {sorted.map((o) => (
                  <SidebarOrder
                    key={o.id}
                    order={o}
                    linked={linked.has(o.id)}
                    tools={tools}
                    canAct={me.role !== 'viewer'}
                    onDone={changed}
                  />
                ))}
                {firstPage && orders.length === 0 && <p className="muted">No orders.</p>}
                {hasMore && (
                  <button type="button" onClick={() => setPageCount((n) => n + 1)}>
                    Show older orders
                  </button>
                )}
              </>
            )}
            {tab === t && t !== 'orders' && (
              <Suspense
                fallback={
                  <p className="muted" role="status">
                    Loading…
                  </p>
                }
              >
                {t === 'timeline' && <Timeline customerId={customerId} />}
                {t === 'sop' && (
                  <SopPanel customerId={customerId} conversationId={conversation.id} onChanged={changed} />
                )}
              </Suspense>
            )}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </aside>
  );
});

/** An order card with its actions, drawn again only when the order, the tool list or the role changes. */
const SidebarOrder = memo(function SidebarOrder({
  order,
  linked,
  tools,
  canAct,
  onDone,
}: {
  order: Order;
  linked: boolean;
  tools: Map<string, ToolSummary> | null;
  canAct: boolean;
  onDone: () => void;
}) {
  return (
    <OrderCard order={order} linked={linked}>
      <OrderActions order={order} tools={tools} canAct={canAct} onDone={onDone} />
    </OrderCard>
  );
});

function OrderCard({ order: o, linked, children }: { order: Order; linked: boolean; children?: React.ReactNode }) {
  const money = (n: number) => formatMoney(n, o.currency);
  return (
    <article className={`order${linked ? ' linked' : ''}`} aria-labelledby={`order-${o.id}`}>
      <header>
        <h3 id={`order-${o.id}`}>Order {o.name}</h3>
        <span className="muted">
          {formatDate(o.placedAt)}
          {o.channel !== 'web' ? ` · ${o.channel}` : ''}
          {/* A marketplace's own reference an agent can quote (ESG-…); a Shopify order is quoted by its name, never its API id. */}
          {o.externalRef && o.channel !== 'shopify' ? ` · ${o.externalRef}` : ''}
        </span>
      </header>
      <ul className="labels" aria-label={`Statuses of order ${o.name}`}>
        {o.test && <li className="label test-order">Test order</li>}
        <li className={`label o-${o.status.order}`} data-tone={tone('order', o.status.order)}>
          <span className="sr-only">Order status: </span>
          {o.status.orderLabel}
        </li>
        <li className={`label f-${o.status.financial}`} data-tone={tone('financial', o.status.financial)}>
          <span className="sr-only">Financial status: </span>
          {o.status.financialLabel}
        </li>
        <li className={`label ff-${o.status.fulfillment}`} data-tone={tone('fulfillment', o.status.fulfillment)}>
          <span className="sr-only">Fulfillment status: </span>
          {o.status.fulfillmentLabel}
        </li>
      </ul>
      {o.tags.length > 0 && (
        <ul className="labels" aria-label={`Tags of order ${o.name}`}>
          {o.tags.map((t) => (
            <li key={t} className="label tag">
              {t}
            </li>
          ))}
        </ul>
      )}
      <table className="lines">
        <caption className="sr-only">Items of order {o.name}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Qty</th>
            <th scope="col">{o.totals.tax > 0 ? 'Total (excl. tax)' : 'Total'}</th>
            <th scope="col">Tracking</th>
          </tr>
        </thead>
        <tbody>
          {o.lines.map((l) => (
            <tr key={l.id}>
              <td>
                {l.title}
                {!l.returnable && (
                  <span className="badge" title="No-return policy: refunds need no return">
                    no return
                  </span>
                )}
                <div className="muted small">
                  {l.deliveredQuantity} delivered · {l.fulfilledQuantity} shipped
                </div>
                <AccessCodes customerId={o.customerId} itemId={l.id} />
              </td>
              <td>{l.quantity}</td>
              <td>{money(l.total)}</td>
              <td>
                {l.trackingUrls.length ? (
                  l.trackingUrls.map((u, i) => (
                    <a
                      key={u}
                      href={u}
                      target="_blank"
                      rel="noreferrer"
                      aria-label={`Track ${l.title}${l.trackingUrls.length > 1 ? ` (${i + 1})` : ''}`}
                    >
                      <Truck size={13} aria-hidden />
                      Track
                    </a>
                  ))
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.packages.length > 0 && (
        <ul className="packages" aria-label="Packages">
          {o.packages.map((p) => (
            <li key={p.id}>
              {p.carrier ?? 'Package'} {p.trackingNumber ?? ''}:{' '}
              <span className="label" data-tone={tone('shipment', p.status)}>
                {p.statusLabel}
              </span>
            </li>
          ))}
        </ul>
      )}
      <dl className="totals">
        <dt>Subtotal</dt>
        <dd>{money(o.totals.subtotal)}</dd>
        {o.totals.discount > 0 && (
          <>
            <dt>Discount</dt>
            <dd>−{money(o.totals.discount)}</dd>
          </>
        )}
        <dt>Shipping</dt>
        <dd>{money(o.totals.shipping)}</dd>
        {o.totals.tax > 0 && (
          <>
            <dt>Tax</dt>
            <dd>{money(o.totals.tax)}</dd>
          </>
        )}
        <dt className="total">Total</dt>
        <dd className="total">{money(o.totals.total)}</dd>
        <dt>Paid</dt>
        <dd>{money(o.totals.captured)}</dd>
        {o.totals.refunded > 0 && (
          <>
            <dt>Refunded</dt>
            <dd>{money(o.totals.refunded)}</dd>
          </>
        )}
        {o.totals.outstanding > 0 && (
          <>
            <dt>Outstanding</dt>
            <dd>{money(o.totals.outstanding)}</dd>
          </>
        )}
      </dl>
      {children}
    </article>
  );
}

/** The access codes of a course (digital access) line, so an agent can check the one the customer quotes. */
function AccessCodes({ customerId, itemId }: { customerId: string | null; itemId: string }) {
  const codes = useQuery({ ...queries.productCodes(customerId ?? ''), enabled: !!customerId, staleTime: 30_000 }).data;
  const mine = codes?.codes.filter((c) => c.itemId === itemId) ?? [];
  if (!mine.length) return null;
  return (
    <ul className="access-codes small" aria-label="Access codes">
      {mine.map((c) => (
        <li key={c.id}>
          Access code <code>{c.code}</code> ({c.sku}) —{' '}
          {c.status === 'active' ? 'active' : `revoked${c.revokedAt ? ` ${formatDate(c.revokedAt)}` : ''}`}
        </li>
      ))}
    </ul>
  );
}
