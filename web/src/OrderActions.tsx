/**
 * Order actions, generic over the tool API: each button is one tool from GET /v1/tools. A missing tool shows its
 * button disabled ("not available"); a form is built from the tool's input schema (items, reason and the rest);
 * Preview calls the tool with dryRun: true; Confirm calls it for real with an Idempotency-Key. A refusal
 * (422 with a reason and the policy) disables the action and shows why.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError, formatMoney, get, newKey } from './api';
import type { Order } from './types';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: (string | number)[];
  description?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
}

export interface Tool { name: string; title?: string; description?: string; inputSchema?: JsonSchema; input?: JsonSchema }

export const ACTIONS = [
  { label: 'Cancel', tool: 'cancel_order' },
  { label: 'Refund', tool: 'refund_order' },
  { label: 'Return', tool: 'initiate_return' },
  { label: 'Exchange', tool: 'exchange_items' },
  { label: 'Swap product', tool: 'swap_purchased_product' },
] as const;

/** The server's tools by name; empty when the server has no tool API. */
export function useTools(): Map<string, Tool> | null {
  const [tools, setTools] = useState<Map<string, Tool> | null>(null);
  useEffect(() => {
    get<{ tools?: Tool[] } | Tool[]>('/v1/tools').then(
      (r) => setTools(new Map((Array.isArray(r) ? r : r.tools ?? []).map((t) => [t.name, t]))),
      () => setTools(new Map()),
    );
  }, []);
  return tools;
}

interface Refusal { message: string; reason?: string | undefined; policy?: string | undefined }

const HANDLED = new Set(['orderId', 'customerId', 'items', 'dryRun', 'idempotencyKey']);

const schemaOf = (t: Tool): JsonSchema => t.inputSchema ?? t.input ?? {};
const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? s.type.find((x) => x !== 'null') ?? 'string' : s.type ?? (s.anyOf?.[0]?.type as string | undefined) ?? 'string');

async function callTool(name: string, args: Record<string, unknown>, key?: string): Promise<unknown> {
  return api('POST', `/v1/tools/${name}`, args, key ? { 'idempotency-key': key } : {});
}

/** `newVariantId` → "New variant id": a field name as a label. */
const humanize = (name: string) => name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).replace(/\b([A-Z])(?=[a-z])/g, (c, _m, i: number) => (i === 0 ? c : c.toLowerCase()));

const refusalOf = (e: unknown): Refusal => (e instanceof ApiError ? { message: e.message, reason: e.reason, policy: e.policy } : { message: 'The server could not be reached.' });

export function OrderActions({ order, tools, onDone }: { order: Order; tools: Map<string, Tool> | null; onDone: () => void }) {
  const [open, setOpen] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<Record<string, Refusal>>({});

  // Seed 003: cancel is only for undelivered orders; ask the server up front so the button says why it is disabled.
  useEffect(() => {
    if (!tools?.has('cancel_order')) return;
    callTool('cancel_order', { orderId: order.id, reason: 'other', dryRun: true }).then(
      () => setRefusals((r) => { const { cancel_order: _drop, ...rest } = r; return rest; }),
      (e: unknown) => { if (e instanceof ApiError && e.status === 422) setRefusals((r) => ({ ...r, cancel_order: refusalOf(e) })); },
    );
  }, [tools, order.id, order.status.order, order.status.financial]);

  if (!tools) return null;
  const missing = ACTIONS.filter((a) => !tools.has(a.tool));
  return (
    <section className="actions" aria-label={`Actions on order ${order.name}`}>
      <div className="action-buttons">
        {ACTIONS.map((a) => {
          const tool = tools.get(a.tool);
          const refusal = refusals[a.tool];
          const why = !tool ? 'not available on this server' : refusal ? refusal.message : undefined;
          return (
            <button key={a.tool} type="button" disabled={!tool || !!refusal} aria-expanded={open === a.tool}
              aria-describedby={!tool ? `why-${order.id}-missing` : refusal ? `why-${order.id}-${a.tool}` : undefined}
              title={why} onClick={() => setOpen(open === a.tool ? null : a.tool)}>{a.label}</button>
          );
        })}
      </div>
      {missing.length > 0 && (
        <p id={`why-${order.id}-missing`} className="why">Not available on this server: {missing.map((a) => a.label).join(', ')}.</p>
      )}
      {ACTIONS.filter((a) => tools.has(a.tool) && refusals[a.tool]).map((a) => {
        const refusal = refusals[a.tool]!;
        return <p key={a.tool} id={`why-${order.id}-${a.tool}`} className="why refused">{a.label} not allowed: {refusal.message}{refusal.policy ? ` (${refusal.policy})` : ''}</p>;
      })}
      {open && tools.get(open) && (
        <ActionForm key={open} tool={tools.get(open)!} label={ACTIONS.find((a) => a.tool === open)!.label} order={order}
          onRefused={(r) => setRefusals((x) => ({ ...x, [open]: r }))}
          onClose={() => setOpen(null)} onDone={() => { setOpen(null); onDone(); }} />
      )}
    </section>
  );
}

function ActionForm({ tool, label, order, onRefused, onClose, onDone }: {
  tool: Tool; label: string; order: Order; onRefused: (r: Refusal) => void; onClose: () => void; onDone: () => void;
}) {
  const schema = schemaOf(tool);
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const [qty, setQty] = useState<Record<string, number>>({});
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [preview, setPreview] = useState<unknown>(null);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const key = useMemo(() => newKey(), []);

  function args(): Record<string, unknown> {
    const a: Record<string, unknown> = {};
    if ('orderId' in props) a.orderId = order.id;
    if ('customerId' in props) a.customerId = order.customerId;
    if ('items' in props) a.items = Object.entries(qty).filter(([, q]) => q > 0).map(([itemId, quantity]) => ({ itemId, quantity }));
    for (const [name, s] of Object.entries(props)) {
      if (HANDLED.has(name)) continue;
      const v = values[name];
      if (v === undefined || v === '') continue;
      const t = typeOf(s);
      a[name] = t === 'integer' || t === 'number' ? Number(v) : v;
    }
    return a;
  }

  async function doPreview(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      const r = (await callTool(tool.name, { ...args(), dryRun: true })) as { preview?: unknown };
      setPreview(r && typeof r === 'object' && 'preview' in r ? r.preview : r);
    } catch (err) {
      const rf = refusalOf(err);
      setRefusal(rf);
      setPreview(null);
      if (err instanceof ApiError && err.status === 422) onRefused(rf);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    setBusy(true);
    try {
      await callTool(tool.name, args(), key);
      setDone(`${label} done.`);
      onDone();
    } catch (err) {
      setRefusal(refusalOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="action-form" onSubmit={(e) => void doPreview(e)} aria-label={`${label} order ${order.name}`}>
      <h4>{label} · {order.name}</h4>
      {tool.description && <p className="muted small">{tool.description.split('. ')[0]}.</p>}
      {'items' in props && (
        <fieldset>
          <legend>Items</legend>
          {order.lines.map((l) => (
            <label key={l.id} className="item-row">
              <span>{l.title} <span className="muted">(of {l.quantity}{l.returnable ? '' : ', no return'})</span></span>
              <input type="number" min={0} max={l.quantity} value={qty[l.id] ?? 0} aria-label={`Quantity of ${l.title}`}
                onChange={(e) => setQty((q) => ({ ...q, [l.id]: Math.max(0, Math.min(l.quantity, Number(e.target.value))) }))} />
            </label>
          ))}
        </fieldset>
      )}
      {Object.entries(props).filter(([n]) => !HANDLED.has(n)).map(([name, s]) => {
        const t = typeOf(s);
        const id = `f-${order.id}-${tool.name}-${name}`;
        const lineSelect = name === 'itemId' || name === 'lineId';
        return (
          <div key={name} className="field">
            <label htmlFor={id}>{humanize(name)}{required.has(name) && <span aria-hidden="true"> *</span>}</label>
            {lineSelect ? (
              <select id={id} value={String(values[name] ?? '')} required={required.has(name)} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}>
                <option value="">Choose an item…</option>
                {order.lines.map((l) => <option key={l.id} value={l.id}>{l.title}</option>)}
              </select>
            ) : s.enum ? (
              <select id={id} value={String(values[name] ?? '')} required={required.has(name)} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}>
                <option value="">Choose…</option>
                {s.enum.map((x) => <option key={String(x)} value={String(x)}>{String(x)}</option>)}
              </select>
            ) : t === 'boolean' ? (
              <input id={id} type="checkbox" checked={values[name] === true} onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.checked }))} />
            ) : (
              <input id={id} type={t === 'integer' || t === 'number' ? 'number' : 'text'} value={String(values[name] ?? '')} required={required.has(name)}
                onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))} />
            )}
            {s.description && <span className="muted small">{s.description}</span>}
          </div>
        );
      })}
      <div className="form-actions">
        <button type="submit" disabled={busy}>Preview</button>
        <button type="button" className="primary" disabled={busy || preview === null || !!refusal || !!done} onClick={() => void confirm()}>Confirm {label.toLowerCase()}</button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      {refusal && (
        <div className="refusal" role="alert">
          <strong>Not allowed{refusal.reason ? ` (${refusal.reason})` : ''}:</strong> {refusal.message}
          {refusal.policy && <p className="policy">{refusal.policy}</p>}
        </div>
      )}
      {preview !== null && !refusal && (
        <div className="preview" role="region" aria-label="Preview">
          <h5>Preview — nothing has changed yet</h5>
          <Value v={preview} currency={order.currency} />
        </div>
      )}
      {done && <p role="status">{done}</p>}
    </form>
  );
}

const MONEY_KEY = /amount|total|refund|subtotal|shipping|price|fee|captured|outstanding|difference/i;

/** Renders a preview object generically: money keys formatted, disclosures highlighted. */
function Value({ v, currency, name }: { v: unknown; currency: string; name?: string }) {
  if (v === null || v === undefined) return <span className="muted">—</span>;
  if (typeof v === 'number') return <span>{name && MONEY_KEY.test(name) ? formatMoney(v, currency) : v}</span>;
  if (typeof v === 'string' || typeof v === 'boolean') return <span>{String(v)}</span>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <span className="muted">none</span>;
    return <ul>{v.map((x, i) => <li key={i} className={name === 'disclosures' ? 'disclosure' : undefined}><Value v={x} currency={currency} /></li>)}</ul>;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  return (
    <dl className="kv">
      {entries.map(([k, x]) => (
        <div key={k} className={k === 'disclosures' ? 'disclosures' : undefined}>
          <dt>{k}</dt><dd><Value v={x} currency={typeof (v as Record<string, unknown>).currency === 'string' ? String((v as Record<string, unknown>).currency) : currency} name={k} /></dd>
        </div>
      ))}
    </dl>
  );
}
