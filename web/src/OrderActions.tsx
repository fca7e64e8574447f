/**
 * Order actions, over the tool API: each button is one tool from GET /v1/tools (a missing tool is disabled,
 * "not available"). Before anyone clicks, the rules are asked: a dry-run cancel, the return eligibility check and,
 * for an order with nothing captured, a dry-run refund — so Cancel on a delivered order, Return on an order with
 * nothing returnable and Refund on an unpaid order are disabled with the reason and policy of the rule that refuses.
 * A refusal met in a preview is shown in the form; it disables the action only when the order itself rules it out
 * (order_unpaid, order_canceled, …: see rulesOutOrder), never for what was entered.
 */
import { useEffect, useState } from 'react';
import { ApiError, get } from './api';
import type { Tool } from './schema';
import type { Order } from './types';
import { ActionForm, callTool } from './actions/ActionForm';
import { refusalOf, rulesOutOrder, type Refusal } from './actions/refusal';

/** Until the server's dry run answers (or if it cannot), the refund rule for an order with nothing captured. */
const REFUND_UNPAID_POLICY = 'Only orders with a captured payment can be refunded; an unpaid order can only be canceled.';
/** Financial statuses with nothing captured (the Shopify order rules: "the refund option will not be available"). */
const NOTHING_CAPTURED = new Set(['pending', 'authorized', 'voided', 'expired']);

export type { Tool } from './schema';

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

interface Eligibility { items: { eligible: boolean; reason?: string; message?: string; policy?: string }[] }

export function OrderActions({ order, tools, onDone }: { order: Order; tools: Map<string, Tool> | null; onDone: () => void }) {
  const [open, setOpen] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<Record<string, Refusal>>({});
  const refuse = (tool: string, r: Refusal | null) => setRefusals((x) => {
    const { [tool]: _drop, ...rest } = x;
    return r ? { ...rest, [tool]: r } : rest;
  });

  // Ask the rules up front (the Shopify order rules: cancel only before delivery; returns only for eligible items).
  useEffect(() => {
    if (tools?.has('cancel_order')) {
      callTool('cancel_order', { orderId: order.id, reason: 'other', dryRun: true }).then(
        () => refuse('cancel_order', null),
        (e: unknown) => { if (e instanceof ApiError && e.status === 422) refuse('cancel_order', refusalOf(e)); },
      );
    }
    if (tools?.has('refund_order')) {
      if (order.totals.captured <= 0 || NOTHING_CAPTURED.has(order.status.financial)) {
        // Seed 003: no refund for an unpaid order. Disabled at once; the rule's own words replace these when the
        // server's dry run answers (the refund rule checks the capture before any item).
        refuse('refund_order', {
          status: 422, reason: 'order_unpaid', policy: REFUND_UNPAID_POLICY,
          message: `Order ${order.name} is ${order.status.financialLabel}: nothing has been captured, so there is nothing to refund. It can only be canceled.`,
        });
        callTool('refund_order', { orderId: order.id, reason: 'Can this order be refunded?', dryRun: true }).then(
          () => refuse('refund_order', null),
          (e: unknown) => { if (e instanceof ApiError && e.status === 422 && e.reason === 'order_unpaid') refuse('refund_order', refusalOf(e)); },
        );
      } else {
        // Paid now: an earlier "unpaid" no longer holds.
        setRefusals((x) => {
          if (x.refund_order?.reason !== 'order_unpaid') return x;
          const { refund_order: _drop, ...rest } = x;
          return rest;
        });
      }
    }
    if (tools?.has('initiate_return') && tools.has('check_return_eligibility')) {
      callTool('check_return_eligibility', { orderId: order.id }).then((r) => {
        const items = (r as Eligibility).items ?? [];
        const first = items.find((i) => !i.eligible);
        refuse('initiate_return', items.length > 0 && items.every((i) => !i.eligible) && first
          ? { message: first.message ?? 'No item of this order can be returned now.', reason: first.reason, policy: first.policy } : null);
      }, () => refuse('initiate_return', null));
    }
  }, [tools, order.id, order.name, order.status.order, order.status.financial, order.status.financialLabel, order.status.fulfillment, order.totals.captured]);

  if (!tools) return null;
  const missing = ACTIONS.filter((a) => !tools.has(a.tool));
  return (
    <section className="actions" aria-label={`Actions on order ${order.name}`}>
      <div className="action-buttons">
        {ACTIONS.map((a) => {
          const tool = tools.get(a.tool);
          const refusal = refusals[a.tool];
          return (
            <button key={a.tool} type="button" disabled={!tool || !!refusal} aria-expanded={open === a.tool}
              aria-describedby={!tool ? `why-${order.id}-missing` : refusal ? `why-${order.id}-${a.tool}` : undefined}
              title={!tool ? 'not available on this server' : refusal?.message} onClick={() => setOpen(open === a.tool ? null : a.tool)}>{a.label}</button>
          );
        })}
      </div>
      {missing.length > 0 && (
        <p id={`why-${order.id}-missing`} className="why">Not available on this server: {missing.map((a) => a.label).join(', ')}.</p>
      )}
      {ACTIONS.filter((a) => tools.has(a.tool) && refusals[a.tool]).map((a) => {
        const r = refusals[a.tool]!;
        return (
          <p key={a.tool} id={`why-${order.id}-${a.tool}`} className="why refused">
            <strong>{a.label} not allowed{r.reason ? ` (${r.reason})` : ''}:</strong> {r.message}{r.policy ? ` Policy: ${r.policy}` : ''}
          </p>
        );
      })}
      {open && tools.get(open) && (
        <ActionForm key={open} tool={tools.get(open)!} label={ACTIONS.find((a) => a.tool === open)!.label} order={order}
          onRefused={(r) => { if (rulesOutOrder(open, r, order)) refuse(open, r); }}
          onClose={() => setOpen(null)} onDone={onDone} />
      )}
    </section>
  );
}
