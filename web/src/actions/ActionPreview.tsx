/**
 * A tool's dry run, in words an agent reads out: the summary sentence, the items, what is refunded or voided
 * and where to, that shipping is not refunded, how the order's statuses end up, and the disclosures to give.
 * Everything else the tool answered stays one click away under Details.
 */
import { formatMoney } from '../shared';
import { humanize } from '../schema';
import { Disclosure } from '../ui/Disclosure';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function ActionPreview({
  tool,
  preview,
  currency: fallback,
  shippingFee,
}: {
  tool: string;
  preview: unknown;
  currency: string;
  /** The order's shipping fee: with none, nothing is said about refunding shipping. */
  shippingFee?: number;
}) {
  const charged = shippingFee === undefined || shippingFee > 0;
  if (!isObj(preview)) return <p>{String(preview)}</p>;
  const currency = str(preview.currency) ?? fallback;
  const money = (n: number) => formatMoney(n, currency);
  const items = Array.isArray(preview.items) ? preview.items.filter(isObj) : [];
  const refund = isObj(preview.refund) ? preview.refund : null;
  const status = isObj(preview.resultingStatus) ? preview.resultingStatus : null;
  const disclosures = Array.isArray(preview.disclosures)
    ? preview.disclosures.filter((d): d is string => typeof d === 'string')
    : [];
  const facts: [string, string][] = [];

  if (tool === 'cancel_order') {
    facts.push(['Will be canceled', 'the whole order']);
    facts.push([
      'Refunded',
      refund
        ? `${money(num(refund.amount) ?? 0)}${num(refund.shippingAmount) ? ` (shipping ${money(num(refund.shippingAmount)!)} included)` : charged ? ' (shipping not refunded)' : ''}`
        : 'nothing',
    ]);
    const voided = num(preview.voidedAmount);
    if (voided) facts.push(['Payment voided', money(voided)]);
  }
  if (tool === 'refund_order') {
    facts.push(['Refunded', money(num(preview.amount) ?? 0)]);
    const shipping = num(preview.shippingAmount) ?? 0;
    if (shipping > 0 || charged)
      facts.push(['Shipping', shipping > 0 ? `${money(shipping)} refunded` : 'Shipping fees are not refunded']);
    const to = Array.isArray(preview.to) ? preview.to.filter(isObj) : [];
    if (to.length)
      facts.push([
        'To',
        to.map((t) => `${str(t.label) ?? 'payment method'} (${money(num(t.amount) ?? 0)})`).join(', '),
      ]);
  }
  if (tool === 'initiate_return') {
    const est = num(preview.estimatedRefund);
    if (est !== null)
      facts.push([
        'Refund once received',
        `${money(est)}${charged ? ' (item cost only; shipping fees are not refunded)' : ' (item cost)'}`,
      ]);
  }
  if (tool === 'exchange_items') {
    const diff = num(preview.priceDifference);
    if (diff !== null)
      facts.push([
        'Price difference',
        diff === 0 ? 'none' : diff > 0 ? `${money(diff)} to charge` : `${money(-diff)} to refund`,
      ]);
  }
  if (tool === 'swap_purchased_product') {
    const from = isObj(preview.from) ? preview.from : null;
    const to = isObj(preview.to) ? preview.to : null;
    if (from && to)
      facts.push(['Product', `${str(from.title) ?? str(from.sku) ?? ''} → ${str(to.title) ?? str(to.sku) ?? ''}`]);
    // Either the codes themselves or how many (the tool answers codesToIssue as a count).
    const count = (v: unknown) => (Array.isArray(v) ? v.length : (num(v) ?? 0));
    const revoke = count(preview.codesToRevoke);
    const issue = count(preview.codesToIssue);
    if (revoke || issue) facts.push(['Access codes', `${revoke} revoked, ${issue} issued`]);
  }
  if (status)
    facts.push([
      'Afterwards',
      [status.orderLabel, status.financialLabel, status.fulfillmentLabel]
        .filter((x) => typeof x === 'string')
        .join(' · '),
    ]);

  return (
    <div className="preview-body">
      {str(preview.summary) && <p className="summary">{str(preview.summary)}</p>}
      {items.length > 0 && (
        <ul aria-label="Items in this action">
          {items.map((i, n) => {
            const amount = num(i.amount) ?? num(i.itemCost);
            // An exchange names each item as from → to.
            const from = isObj(i.from) ? (str(i.from.title) ?? str(i.from.sku)) : null;
            const to = isObj(i.to) ? (str(i.to.title) ?? str(i.to.sku)) : null;
            const what = str(i.title) ?? (from && to ? `${from} → ${to}` : from) ?? str(i.sku) ?? str(i.itemId);
            return (
              <li key={n}>
                {num(i.quantity) ?? 1} × {what}
                {amount !== null ? ` — ${money(amount)}` : ''}
              </li>
            );
          })}
        </ul>
      )}
      {facts.length > 0 && (
        <dl className="kv">
          {facts.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {disclosures.length > 0 && (
        <div className="disclosures">
          <strong>Tell the customer:</strong>
          <ul>
            {disclosures.map((d) => (
              <li key={d} className="disclosure">
                {d}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Disclosure summary="Details">
        <Value v={preview} currency={currency} />
      </Disclosure>
    </div>
  );
}

const MONEY_KEY = /amount|total|refund|subtotal|shipping|price|fee|captured|outstanding|difference|cost|refundable/i;

/** Any JSON answer as a definition list: money keys formatted. */
export function Value({ v, currency, name }: { v: unknown; currency: string; name?: string }) {
  if (v === null || v === undefined) return <span className="muted">—</span>;
  if (typeof v === 'number') return <span>{name && MONEY_KEY.test(name) ? formatMoney(v, currency) : v}</span>;
  if (typeof v === 'string' || typeof v === 'boolean') return <span>{String(v)}</span>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <span className="muted">none</span>;
    return (
      <ul>
        {v.map((x, i) => (
          <li key={i}>
            <Value v={x} currency={currency} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <dl className="kv">
      {Object.entries(v as Obj)
        .filter(([k]) => !k.endsWith('Formatted'))
        .map(([k, x]) => (
          <div key={k}>
            <dt>{humanize(k)}</dt>
            <dd>
              <Value v={x} currency={currency} name={k} />
            </dd>
          </div>
        ))}
    </dl>
  );
}
