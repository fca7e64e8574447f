/**
 * One order action as a form built from the tool's real input schema: items with quantities (and, for an
 * exchange, the new variant of each), reason enums as selects, the order's items for itemId, the customer's
 * payment methods for paymentMethodId, money in major units. Preview = the tool with dryRun: true; Confirm =
 * the same arguments for real, with one Idempotency-Key per form so a double click acts once.
 */
import { VariantPicker } from '../pickers';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useQueries, useQuery } from '@tanstack/react-query';
import { ApiError, callTool, newKey } from '../api/client';
import { queries } from '../api/queries';
import type { Order, Product } from '../api/types';
import { humanize, schemaOf, typeOf, type JsonSchema, type Tool } from '../schema';
import { exponentOf, parseDecimal } from '../shared';
import { ActionPreview } from './ActionPreview';
import { approvalSent } from './labels';
import { forPeople, refusalOf, type Refusal } from './refusal';
import { Disclosure } from '../ui/Disclosure';

/** Filled in by the form itself, or not for people (newVariantId: the swap form asks for the SKU). */
const HANDLED = new Set(['orderId', 'customerId', 'items', 'dryRun', 'idempotencyKey']);

type Variant = Product['variants'][number];
/** As the exchange rule sees it: not available, or none in stock (a null quantity is not tracked). */
const soldOut = (v: Variant) =>
  v.available === false || (typeof v.inventoryQuantity === 'number' && v.inventoryQuantity < 1);

/** An amount typed in major units ("12.50") as minor units, by the currency's own decimals; a message when it is not one. */
function minorUnits(text: string, currency: string): number | string {
  try {
    return parseDecimal(text, currency);
  } catch {
    const exp = exponentOf(currency);
    return exp === 0
      ? `Enter a whole amount of ${currency}`
      : `Enter an amount of ${currency} with at most ${exp} decimals`;
  }
}

export function ActionForm({
  tool,
  label,
  confirmLabel,
  danger = false,
  order,
  onRefused,
  onClose,
  onDone,
}: {
  tool: Tool;
  label: string;
  /** The confirm button, in an agent's words ("Confirm refund"); by default "Confirm <label>". */
  confirmLabel?: string;
  /** Money leaves or the order ends (cancel, refund): the confirm button is the danger kind. */
  danger?: boolean;
  order: Order;
  onRefused: (r: Refusal) => void;
  onClose: () => void;
  onDone: () => void;
}) {
  const schema = schemaOf(tool);
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const itemProps = props.items?.items?.properties ?? {};
  const exchange = 'newVariantId' in itemProps;
  const [qty, setQty] = useState<Record<string, number>>({});
  const [newVariant, setNewVariant] = useState<Record<string, string>>({});
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [preview, setPreview] = useState<unknown>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  // The arguments the refused call was made with: a 400's field paths (items.0.quantity) are read against them.
  const [sent, setSent] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const key = useMemo(() => newKey(), []);
  const methods =
    useQuery({
      ...queries.customer(order.customerId ?? ''),
      enabled: 'paymentMethodId' in props && order.customerId !== null,
    }).data?.paymentMethods ?? [];
  // The other variants of each line's product: what an exchange can swap it for.
  const productIds = exchange ? [...new Set(order.lines.map((l) => l.productId).filter((x): x is string => !!x))] : [];
  const products = useQueries({ queries: productIds.map((id) => queries.product(id)) });
  const variants: Record<string, Variant[]> = Object.fromEntries(
    productIds.map((id, i) => [id, products[i]?.data?.variants ?? []]),
  );
  const per = 10 ** exponentOf(order.currency);
  const fields = Object.entries(props).filter(([n]) => !HANDLED.has(n) && !(n === 'newVariantId' && 'newSku' in props));

  /** The tool's arguments, or the fields that cannot be sent as typed (an amount with too many decimals). */
  function args(): { args: Record<string, unknown> } | { refusal: Refusal } {
    const a: Record<string, unknown> = {};
    const wrong: { path: string; message: string }[] = [];
    if ('orderId' in props) a.orderId = order.id;
    if ('customerId' in props) a.customerId = order.customerId;
    if ('items' in props) {
      const items = Object.entries(qty)
        .filter(([, q]) => q > 0)
        .map(([itemId, quantity]) => ({
          itemId,
          quantity,
          ...(exchange && newVariant[itemId] ? { newVariantId: newVariant[itemId] } : {}),
        }));
      if (items.length || required.has('items')) a.items = items;
    }
    for (const [name, s] of fields) {
      const v = values[name];
      if (v === undefined || v === '' || v === false) continue;
      const t = typeOf(s);
      if (isMoney(name, s)) {
        const minor = minorUnits(String(v), order.currency);
        if (typeof minor === 'string') wrong.push({ path: name, message: minor });
        else a[name] = minor;
      } else a[name] = t === 'integer' || t === 'number' ? Number(v) : v;
    }
    return wrong.length
      ? { refusal: { status: 400, message: wrong.map((w) => w.message).join('; '), fields: wrong } }
      : { args: a };
  }

  function changed() {
    setPreview(null);
    setRefusal(null);
  }

  async function doPreview(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setRefusal(null);
    const built = args();
    if ('refusal' in built) {
      setRefusal(built.refusal);
      setPreview(null);
      setBusy(false);
      return;
    }
    const a = built.args;
    setSent(a);
    try {
      const r = (await callTool(tool.name, { ...a, dryRun: true })) as { preview?: unknown };
      setPreview(r && typeof r === 'object' && 'preview' in r ? r.preview : r);
    } catch (err) {
      const rf = refusalOf(err);
      setRefusal(rf);
      setPreview(null);
      // The panel decides whether the rule rules the action out for the whole order, or only for this input.
      if (err instanceof ApiError && err.status === 422) onRefused(rf);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    setBusy(true);
    const built = args();
    if ('refusal' in built) {
      setRefusal(built.refusal);
      setBusy(false);
      return;
    }
    const a = built.args;
    setSent(a);
    try {
      const r = (await callTool(tool.name, a, key)) as { result?: { trackingId?: unknown; refundId?: unknown } } | null;
      const tracking = r?.result?.trackingId;
      setDone(
        approvalSent(r) ??
          (typeof tracking === 'string' ? `${label} done. Return tracking id ${tracking}.` : `${label} done.`),
      );
      onDone();
    } catch (err) {
      const rf = refusalOf(err);
      setRefusal(rf);
      if (err instanceof ApiError && err.status === 422) onRefused(rf);
    } finally {
      setBusy(false);
    }
  }

  /** A field path of a 400 in words: `reason` → "Reason", `items.0.quantity` → "Quantity of Desk lamp — Black". */
  function fieldName(path: string): string {
    const [head, index, sub] = path.split('.');
    if (head === 'items' && index !== undefined && /^\d+$/.test(index)) {
      const item = Array.isArray(sent.items)
        ? (sent.items[Number(index)] as { itemId?: string } | undefined)
        : undefined;
      const title = order.lines.find((l) => l.id === item?.itemId)?.title ?? `item ${Number(index) + 1}`;
      if (sub === 'quantity' || sub === undefined) return `Quantity of ${title}`;
      if (sub === 'newVariantId') return `New variant for ${title}`;
      return `${humanize(sub)} of ${title}`;
    }
    if (head === '(body)') return 'The request';
    if (head && props[head] && !sub) return fieldLabel(head, props[head]!, order.currency);
    return humanize(path.replace(/\./g, ' '));
  }
  const badPaths = refusal?.status === 400 ? (refusal.fields ?? []).map((f) => f.path) : [];
  const invalid = (name: string) => badPaths.some((p) => p === name || p.startsWith(`${name}.`)) || undefined;
  const invalidItem = (lineId: string) =>
    (refusal?.status === 422 && refusal.itemId === lineId) ||
    badPaths.some((p) => {
      const m = /^items\.(\d+)/.exec(p);
      if (p === 'items') return true;
      const item =
        m && Array.isArray(sent.items) ? (sent.items[Number(m[1])] as { itemId?: string } | undefined) : undefined;
      return item?.itemId === lineId;
    }) ||
    undefined;

  // Required fields, and those an action usually needs though the schema cannot require them, are shown; the rest fold away.
  const shown = (n: string) =>
    required.has(n) || n === 'newSku' || n === 'returnId' || (exchange && n === 'paymentMethodId');
  const fid = (name: string) => `f-${order.id}-${tool.name}-${name}`;
  const renderField = ([name, s]: [string, JsonSchema]) => {
    const id = fid(name);
    const t = typeOf(s);
    const req = required.has(name);
    const set = (v: string | boolean) => setValues((x) => ({ ...x, [name]: v }));
    const value = String(values[name] ?? '');
    // Tool descriptions are written for a language model: screen readers get them, the screen shows a tooltip.
    const hint = s.description ? (
      <span id={`${id}-hint`} className="sr-only">
        {s.description}
      </span>
    ) : null;
    const bad = invalid(name);
    // A field the server refused says why beside it, not only in the list under the form.
    const error = bad ? refusal?.fields?.find((f) => f.path === name || f.path.startsWith(`${name}.`)) : undefined;
    const described =
      [s.description ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    let input: ReactNode;
    if (name === 'newSku') {
      input = <VariantPicker id={id} value={value} onChange={(v) => set(v)} invalid={bad} describedBy={described} />;
    } else if (name === 'itemId') {
      input = (
        <select
          id={id}
          value={value}
          required={req}
          aria-invalid={bad}
          aria-describedby={described}
          onChange={(e) => set(e.target.value)}
        >
          <option value="">Choose an item…</option>
          {order.lines.map((l) => (
            <option key={l.id} value={l.id}>
              {l.title}
            </option>
          ))}
        </select>
      );
    } else if (name === 'paymentMethodId') {
      input = (
        <select
          id={id}
          value={value}
          required={req}
          aria-invalid={bad}
          aria-describedby={described}
          onChange={(e) => set(e.target.value)}
        >
          <option value="">Default</option>
          {methods.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      );
    } else if (s.enum) {
      input = (
        <select
          id={id}
          value={value}
          required={req}
          aria-invalid={bad}
          aria-describedby={described}
          onChange={(e) => set(e.target.value)}
        >
          <option value="">{req ? 'Choose…' : 'Default'}</option>
          {s.enum.map((x) => (
            <option key={String(x)} value={String(x)}>
              {humanize(String(x))}
            </option>
          ))}
        </select>
      );
    } else if (t === 'boolean') {
      input = (
        <input
          id={id}
          type="checkbox"
          checked={values[name] === true}
          aria-invalid={bad}
          aria-describedby={described}
          onChange={(e) => set(e.target.checked)}
        />
      );
    } else if (isMoney(name, s)) {
      input = (
        <input
          id={id}
          type="number"
          min={0}
          step={1 / per}
          inputMode="decimal"
          value={value}
          required={req}
          aria-invalid={bad}
          aria-describedby={described}
          onChange={(e) => set(e.target.value)}
        />
      );
    } else {
      input = (
        <input
          id={id}
          type={t === 'integer' || t === 'number' ? 'number' : 'text'}
          value={value}
          required={req}
          aria-invalid={bad}
          aria-describedby={described}
          placeholder={name === 'returnId' ? 'ret_… or RT-…' : undefined}
          onChange={(e) => set(e.target.value)}
        />
      );
    }
    return (
      <div key={name} className="field">
        <label htmlFor={id} className={req ? 'required' : undefined} title={s.description}>
          {fieldLabel(name, s, order.currency)}
        </label>
        {input}
        {hint}
        {error && (
          <span id={`${id}-error`} className="field-error">
            {error.message}
          </span>
        )}
      </div>
    );
  };
  return (
    <form
      className="action-form"
      onSubmit={(e) => void doPreview(e)}
      onChange={changed}
      aria-label={`${label} order ${order.name}`}
    >
      <h4>
        {label} · {order.name}
      </h4>
      {tool.description && <p className="muted small">{firstSentence(tool.description)}</p>}
      {'items' in props && (
        <fieldset>
          <legend className={required.has('items') ? 'required' : undefined}>Items</legend>
          {order.lines.map((l) => (
            <div key={l.id} className="item-row">
              <label htmlFor={fid(`qty-${l.id}`)}>
                {l.title}{' '}
                <span className="muted">
                  (of {l.quantity}
                  {l.returnable ? '' : ', no return'})
                </span>
              </label>
              <input
                id={fid(`qty-${l.id}`)}
                type="number"
                min={0}
                max={l.quantity}
                value={qty[l.id] ?? 0}
                aria-label={`Quantity of ${l.title}`}
                aria-invalid={invalidItem(l.id)}
                aria-describedby={invalidItem(l.id) ? fid('refusal') : undefined}
                onChange={(e) =>
                  setQty((q) => ({ ...q, [l.id]: Math.max(0, Math.min(l.quantity, Number(e.target.value))) }))
                }
              />
              {exchange && (
                <select
                  aria-label={`New variant for ${l.title}`}
                  value={newVariant[l.id] ?? ''}
                  onChange={(e) => setNewVariant((v) => ({ ...v, [l.id]: e.target.value }))}
                >
                  <option value="">Exchange for…</option>
                  {(l.productId ? (variants[l.productId] ?? []) : [])
                    .filter((v) => v.id !== l.variantId)
                    .map((v) => (
                      <option key={v.id} value={v.id} disabled={soldOut(v)}>
                        {v.title} ({v.sku}){soldOut(v) ? ' — sold out' : ''}
                      </option>
                    ))}
                </select>
              )}
            </div>
          ))}
        </fieldset>
      )}
      {fields.filter(([n]) => shown(n)).map(renderField)}
      {fields.some(([n]) => !shown(n)) && (
        <Disclosure className="more-options" summary="More options">
          {fields.filter(([n]) => !shown(n)).map(renderField)}
        </Disclosure>
      )}
      <div className="form-actions">
        <button type="submit" className={preview === null ? 'primary' : undefined} disabled={busy}>
          Preview
        </button>
        {/* Only a preview the rules accept can be confirmed. */}
        {preview !== null && !refusal && (
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            disabled={busy || !!done}
            onClick={() => void confirm()}
          >
            {confirmLabel ?? `Confirm ${label.toLowerCase()}`}
          </button>
        )}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {refusal &&
        (refusal.status === 400 ? (
          // The input, not a rule: name each field at fault.
          <div id={fid('refusal')} className="refusal input-problem" role="alert">
            <strong>
              Input problem — please correct{' '}
              {refusal.fields && refusal.fields.length > 1 ? 'these fields' : 'this field'}:
            </strong>
            {refusal.fields && refusal.fields.length > 0 ? (
              <ul>
                {refusal.fields.map((f) => (
                  <li key={f.path}>
                    <strong>{fieldName(f.path)}</strong>: {f.message}
                  </li>
                ))}
              </ul>
            ) : (
              <> {refusal.message}</>
            )}
          </div>
        ) : (
          <div id={fid('refusal')} className="refusal" role="alert">
            <strong>
              {refusal.status === 422
                ? 'Not allowed:'
                : refusal.status === 404
                  ? 'Not found:'
                  : `Could not ${label.toLowerCase()}:`}
            </strong>{' '}
            {forPeople(refusal.message)}
            {refusal.policy && <p className="policy">Policy: {refusal.policy}</p>}
          </div>
        ))}
      {preview !== null && !refusal && (
        <div className="preview" role="region" aria-label="Preview">
          <h5>{done ? 'Done' : 'Preview — nothing has changed yet'}</h5>
          <ActionPreview
            tool={tool.name}
            preview={preview}
            currency={order.currency}
            shippingFee={order.totals.shipping}
          />
        </div>
      )}
      {done && <p role="status">{done}</p>}
    </form>
  );
}

/** The first sentence of a tool description: not cut at an abbreviation such as "e.g." or "i.e.". */
export function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s+[A-Z(]|$)/s.exec(
    text.replace(/\b(e\.g|i\.e|etc|vs)\./gi, (x) => x.replace(/\./g, '\u0000')),
  );
  return (m ? m[0] : text).replaceAll('\u0000', '.');
}

const isMoney = (name: string, s: JsonSchema) => typeOf(s) === 'integer' && /amount$/i.test(name);

function fieldLabel(name: string, s: JsonSchema, currency: string): string {
  if (name === 'returnId') return 'Return';
  if (name === 'itemId') return 'Item';
  if (name === 'paymentMethodId') return 'Payment method';
  if (name === 'newSku') return 'Correct product (name or SKU)';
  if (isMoney(name, s)) return `${humanize(name)} (${currency})`;
  return humanize(name);
}
