/**
 * Order actions, over the tool API: each button is one tool from GET /v1/tools (a missing tool is disabled,
 * "not available"). Before anyone clicks, the rules are asked: a dry-run cancel, the return eligibility check and,
 * for an order with nothing captured, a dry-run refund — so Cancel on a delivered order, Return on an order with
 * nothing returnable and Refund on an unpaid order are disabled with the reason and policy of the rule that refuses.
 * A refusal met in a preview is shown in the form; it disables the action only when the order itself rules it out
 * (order_unpaid, order_canceled, …: see rulesOutOrder), never for what was entered.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, callTool } from './api/client';
import type { Order, ReturnEligibility, Tool } from './api/types';
import { ActionForm } from './actions/ActionForm';
import { refusalOf, rulesOutOrder, type Refusal } from './actions/refusal';

/** Until the server's dry run answers (or if it cannot), the refund rule for an order with nothing captured. */
const REFUND_UNPAID_POLICY =
  'Only orders with a captured payment can be refunded; an unpaid order can only be canceled.';
/** Financial statuses with nothing captured: the refund option is not offered for them. */
const NOTHING_CAPTURED = new Set(['pending', 'authorized', 'voided', 'expired']);

export const ACTIONS = [
  { label: 'Cancel', tool: 'cancel_order' },
  { label: 'Refund', tool: 'refund_order' },
  { label: 'Return', tool: 'initiate_return' },
  { label: 'Exchange', tool: 'exchange_items' },
  { label: 'Swap product', tool: 'swap_purchased_product' },
] as const;

/** A refusal, or none, and when it was learnt: the newest word on an action wins. */
interface Verdict {
  refusal: Refusal | null;
  at: number;
}

/** A dry run as a question to the rules: null when they allow it, the refusal when a rule (422) refuses. */
async function dryRunRefusal(tool: string, args: Record<string, unknown>): Promise<Refusal | null> {
  try {
    await callTool(tool, { ...args, dryRun: true });
    return null;
  } catch (e) {
    if (e instanceof ApiError && e.status === 422) return refusalOf(e);
    throw e;
  }
}

export function OrderActions({
  order,
  tools,
  onDone,
}: {
  order: Order;
  tools: Map<string, Tool> | null;
  onDone: () => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  // Refusals met in a form's preview that rule the action out for the whole order (see rulesOutOrder).
  const [fromForms, setFromForms] = useState<Record<string, Verdict>>({});
  // The order's facts the rules read: the checks below are asked again when one changes.
  const facts = [order.status.order, order.status.financial, order.status.fulfillment, order.totals.captured] as const;
  const unpaid = order.totals.captured <= 0 || NOTHING_CAPTURED.has(order.status.financial);

  // Ask the rules up front: cancel only before delivery; returns only for eligible items; no refund for an unpaid order.
  const cancelCheck = useQuery({
    queryKey: ['dry-run', 'cancel_order', order.id, ...facts],
    queryFn: () => dryRunRefusal('cancel_order', { orderId: order.id, reason: 'other' }),
    enabled: !!tools?.has('cancel_order'),
  });
  const refundCheck = useQuery({
    queryKey: ['dry-run', 'refund_order', order.id, ...facts],
    // The refund rule checks the capture before any item, so a dry run without items answers order_unpaid.
    queryFn: () => dryRunRefusal('refund_order', { orderId: order.id, reason: 'Can this order be refunded?' }),
    enabled: !!tools?.has('refund_order') && unpaid,
  });
  const returnCheck = useQuery({
    queryKey: ['eligibility', order.id, ...facts],
    queryFn: async () =>
      ((await callTool('check_return_eligibility', { orderId: order.id })) as ReturnEligibility).items ?? [],
    enabled: !!tools?.has('initiate_return') && !!tools.has('check_return_eligibility'),
  });

  const checks: Record<string, Verdict | undefined> = {
    cancel_order: cancelCheck.isSuccess ? { refusal: cancelCheck.data, at: cancelCheck.dataUpdatedAt } : undefined,
    refund_order: !tools?.has('refund_order')
      ? undefined
      : !unpaid
        ? { refusal: null, at: 0 }
        : refundCheck.isSuccess && (refundCheck.data === null || refundCheck.data.reason === 'order_unpaid')
          ? { refusal: refundCheck.data, at: refundCheck.dataUpdatedAt }
          : // Disabled at once; the rule's own words replace these when the server's dry run answers.
            {
              refusal: {
                status: 422,
                reason: 'order_unpaid',
                policy: REFUND_UNPAID_POLICY,
                message: `Order ${order.name} is ${order.status.financialLabel}: nothing has been captured, so there is nothing to refund. It can only be canceled.`,
              },
              at: refundCheck.dataUpdatedAt,
            },
    initiate_return: returnCheck.isSuccess
      ? { refusal: allIneligible(returnCheck.data), at: returnCheck.dataUpdatedAt }
      : returnCheck.isError
        ? { refusal: null, at: returnCheck.errorUpdatedAt }
        : undefined,
  };
  const refusals: Record<string, Refusal> = {};
  for (const a of ACTIONS) {
    const check = checks[a.tool];
    const form = fromForms[a.tool];
    // Paid now: an earlier "unpaid" from a form no longer holds.
    const formHolds = form && !(a.tool === 'refund_order' && !unpaid && form.refusal?.reason === 'order_unpaid');
    const newest = formHolds && (!check || form.at >= check.at) ? form : check;
    if (newest?.refusal) refusals[a.tool] = newest.refusal;
  }

  if (!tools) return null;
  const missing = ACTIONS.filter((a) => !tools.has(a.tool));
  return (
    <section className="actions" aria-label={`Actions on order ${order.name}`}>
      <div className="action-buttons">
        {ACTIONS.map((a) => {
          const tool = tools.get(a.tool);
          const refusal = refusals[a.tool];
          return (
            <button
              key={a.tool}
              type="button"
              disabled={!tool || !!refusal}
              aria-expanded={open === a.tool}
              aria-describedby={!tool ? `why-${order.id}-missing` : refusal ? `why-${order.id}-${a.tool}` : undefined}
              title={!tool ? 'not available on this server' : refusal?.message}
              onClick={() => setOpen(open === a.tool ? null : a.tool)}
            >
              {a.label}
            </button>
          );
        })}
      </div>
      {missing.length > 0 && (
        <p id={`why-${order.id}-missing`} className="why">
          Not available on this server: {missing.map((a) => a.label).join(', ')}.
        </p>
      )}
      {ACTIONS.filter((a) => tools.has(a.tool) && refusals[a.tool]).map((a) => {
        const r = refusals[a.tool]!;
        return (
          <p key={a.tool} id={`why-${order.id}-${a.tool}`} className="why refused">
            <strong>
              {a.label} not allowed{r.reason ? ` (${r.reason})` : ''}:
            </strong>{' '}
            {r.message}
            {r.policy ? ` Policy: ${r.policy}` : ''}
          </p>
        );
      })}
      {open && tools.get(open) && (
        <ActionForm
          key={open}
          tool={tools.get(open)!}
          label={ACTIONS.find((a) => a.tool === open)!.label}
          order={order}
          onRefused={(r) => {
            if (rulesOutOrder(open, r, order)) setFromForms((x) => ({ ...x, [open]: { refusal: r, at: Date.now() } }));
          }}
          onClose={() => setOpen(null)}
          onDone={onDone}
        />
      )}
    </section>
  );
}

/** When no item of the order can be returned now: the first item's refusal. */
function allIneligible(items: ReturnEligibility['items']): Refusal | null {
  const first = items.find((i) => !i.eligible);
  if (items.length === 0 || items.some((i) => i.eligible) || !first) return null;
  return {
    message: first.message ?? 'No item of this order can be returned now.',
    reason: first.reason ?? undefined,
    policy: first.policy ?? undefined,
  };
}
