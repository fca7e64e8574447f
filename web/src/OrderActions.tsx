/**
 * Order actions, over the tool API: each button is one tool from GET /v1/tools (a missing tool is disabled,
 * "not available"). Before anyone clicks, the rules are asked: a dry-run cancel and the return eligibility
 * check, so Cancel on a delivered order or Return on an order with nothing returnable is disabled with the
 * reason and policy from the rule that refuses it. A refusal met in a preview disables the action the same way.
 */
import { useEffect, useState } from 'react';
import { ApiError, get } from './api';
import type { Tool } from './schema';
import type { Order } from './types';
import { ActionForm, callTool } from './actions/ActionForm';
import { refusalOf, type Refusal } from './actions/refusal';

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

  // Ask the rules up front (seed 003: cancel only before delivery; returns only for eligible items).
  useEffect(() => {
    if (tools?.has('cancel_order')) {
      callTool('cancel_order', { orderId: order.id, reason: 'other', dryRun: true }).then(
        () => refuse('cancel_order', null),
        (e: unknown) => { if (e instanceof ApiError && e.status === 422) refuse('cancel_order', refusalOf(e)); },
      );
    }
    if (tools?.has('initiate_return') && tools.has('check_return_eligibility')) {
      callTool('check_return_eligibility', { orderId: order.id }).then((r) => {
        const items = (r as Eligibility).items ?? [];
        const first = items.find((i) => !i.eligible);
        refuse('initiate_return', items.length > 0 && items.every((i) => !i.eligible) && first
          ? { message: first.message ?? 'No item of this order can be returned now.', reason: first.reason, policy: first.policy } : null);
      }, () => refuse('initiate_return', null));
    }
  }, [tools, order.id, order.status.order, order.status.financial, order.status.fulfillment]);

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
          onRefused={(r) => refuse(open, r)}
          onClose={() => setOpen(null)} onDone={onDone} />
      )}
    </section>
  );
}
