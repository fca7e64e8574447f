/**
 * Each timeline event as a short sentence with its key facts: amounts in the event's currency (minor units, shown
 * with the server's own formatMoney), the items by their titles, tracking ids, from → to. The types are the union
 * in src/domain/timeline.ts; an unknown type is shown as it is.
 */
import { formatMoney } from './shared';
import { humanize } from './schema';
import { evidenceFrom } from './sop/types';
import type { Order, TimelineEvent } from './api/types';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const SHIPMENT: Record<string, string> = {
  label_created: 'label created',
  ready_for_pickup: 'ready for pickup',
  in_transit: 'in transit',
  out_for_delivery: 'out for delivery',
  delivered: 'delivered',
  failed: 'delivery failed',
};
const RETURN_STEP: Record<string, string> = {
  'return.approved': 'approved',
  'return.picked_up': 'picked up',
  'return.canceled': 'canceled',
};
const DESTINATION: Record<string, string> = {
  original_payment: 'the original payment method',
  store_credit: 'store credit',
  gift_card: 'a gift card',
};
const PAYMENT: Record<string, string> = {
  authorization: 'authorized',
  capture: 'captured',
  sale: 'charged',
  refund: 'refunded',
  void: 'voided',
};

/** "waiting_for_human" → "waiting for human"; "DAMAGED" → "damaged". */
const words = (s: unknown) => (typeof s === 'string' ? humanize(s).toLowerCase() : '');
const address = (a: unknown) =>
  isObj(a)
    ? [a.line1, a.line2, a.city, a.region, a.zip, a.country].filter((x) => typeof x === 'string' && x).join(', ')
    : '';

/**
 * A tags edit (a conversation's, or a channel's on a customer): what was tagged and untagged; events recorded before
 * those were kept say the new tags.
 */
function tagChanges(d: Obj): string {
  if (!Array.isArray(d.tagsAdded) && !Array.isArray(d.tagsRemoved))
    return `tags: ${strings(d.tags).join(', ') || 'none'}`;
  const added = strings(d.tagsAdded);
  const removed = strings(d.tagsRemoved);
  const parts = [
    added.length ? `tagged ${added.join(', ')}` : '',
    removed.length ? `untagged ${removed.join(', ')}` : '',
  ].filter(Boolean);
  return parts.join('; ') || 'tags unchanged';
}

export function describeEvent(e: TimelineEvent, order: Order | undefined): string {
  const d = e.data;
  const currency = str(d.currency) ?? order?.currency ?? null;
  const money = (v: unknown) => {
    const n = num(v);
    return n === null ? '' : currency ? formatMoney(n, currency) : String(n);
  };
  const on = order ? ` on order ${order.name}` : '';
  /** `[{ lineId | itemId, quantity }]` → "2 × Desk lamp — Black, 1 × Phone case — Clear". */
  const items = (v: unknown) =>
    list(v)
      .map((i) => {
        const id = str(i.lineId) ?? str(i.itemId);
        const line = order?.lines.find((l) => l.id === id);
        return `${num(i.quantity) ?? 1} × ${line?.title ?? str(i.sku) ?? 'item'}`;
      })
      .join(', ');
  const withItems = (v: unknown) => {
    const s = items(v);
    return s ? `: ${s}` : '';
  };
  const refundTo = (v: unknown) => (str(v) ? ` to ${DESTINATION[v as string] ?? words(v)}` : '');
  const codes = (v: unknown, what: string) => {
    const c = strings(v);
    return c.length ? `; ${plural(c.length, 'access code')} ${what}` : '';
  };

  switch (e.type) {
    case 'customer.created':
      return `Customer ${str(d.name) ?? ''} created${strings(d.emails).length ? ` (${strings(d.emails).join(', ')})` : ''}`;
    case 'customer.updated':
      return `Customer details changed: ${
        strings(d.changed)
          .map((f) =>
            f === 'tags' && (Array.isArray(d.tagsAdded) || Array.isArray(d.tagsRemoved)) ? tagChanges(d) : words(f),
          )
          .join(', ') || 'details'
      }`;
    case 'customer.notes_changed': {
      const added = strings(d.tagsAdded);
      const removed = strings(d.tagsRemoved);
      const parts = [
        d.noteChanged ? 'note edited' : '',
        added.length ? `tagged ${added.join(', ')}` : '',
        removed.length ? `untagged ${removed.join(', ')}` : '',
      ].filter(Boolean);
      return `Team notes: ${parts.join('; ') || 'saved unchanged'}`;
    }
    case 'customer.address_changed':
      return `Customer address changed to ${address(d.after)}`;
    case 'product.created':
      return `Product ${str(d.title) ?? ''} created`;
    case 'product.updated':
      return `Product ${str(d.title) ?? ''} updated`;
    case 'store.imported':
      return `Store imported: ${plural(num(d.customers) ?? 0, 'customer')}, ${plural(num(d.products) ?? 0, 'product')}, ${plural(num(d.orders) ?? 0, 'order')}`;

    case 'order.created':
      return `Order #${String(d.number)} placed${num(d.total) !== null ? `: ${money(d.total)}` : ''}${str(d.channel) && d.channel !== 'web' ? ` (${String(d.channel)})` : ''}`;
    case 'order.canceled': {
      const refunded = num(d.refundAmount) ?? 0;
      const voided = num(d.voidedAmount) ?? 0;
      const facts = [
        refunded > 0 ? `${money(refunded)} refunded${refundTo(d.refundDestination)}` : null,
        voided > 0 ? `payment of ${money(voided)} voided` : null,
        refunded === 0 && num(d.capturedAmount) === 0 ? 'nothing had been charged' : null,
        list(d.restocked).length
          ? `${plural(
              list(d.restocked).reduce((n, r) => n + (num(r.quantity) ?? 0), 0),
              'unit',
            )} restocked`
          : null,
      ].filter(Boolean);
      return `Order #${String(d.number)} canceled${str(d.reason) ? ` (reason: ${words(d.reason)})` : ''}${facts.length ? ` — ${facts.join('; ')}` : ''}`;
    }
    case 'order.edited_by_channel': {
      const parts = [
        ...list(d.added).map((x) => `added ${String(x.quantity)} × ${String(x.sku)}`),
        ...list(d.changed).map((x) => `${String(x.sku)} ${String(x.before)} → ${String(x.after)}`),
        ...list(d.removed).map((x) => `removed ${String(x.sku)}`),
        ...(d.shippingAddress ? ['new shipping address'] : []),
      ];
      return `Order edited in ${str(d.channel) ?? 'its channel'}: ${parts.join(', ') || 'no change'}`;
    }
    case 'order.canceled_by_channel':
      return `Order #${String(d.number)} canceled in ${str(d.channel) ?? 'its channel'}${str(d.reason) ? ` (reason: ${words(d.reason)})` : ''}`;
    case 'order.address_changed':
      return `Shipping address${on} changed to ${address(d.after)}`;
    case 'order.items_changed': {
      const changes = list(d.changes).map(
        (c) =>
          `${num(c.quantity) ?? 1} × ${isObj(c.before) ? (str(c.before.title) ?? str(c.before.sku)) : '?'} → ${isObj(c.after) ? (str(c.after.title) ?? str(c.after.sku)) : '?'}`,
      );
      return `Items changed${on}: ${changes.join(', ')}${priceDifference(num(d.priceDifference), money)}`;
    }
    case 'order.payment_changed': {
      const moved = (num(d.capturedMoved) ?? 0) || (num(d.authorizedMoved) ?? 0);
      return `Payment${on} moved to another payment method${moved ? ` (${money(moved)})` : ''}`;
    }
    case 'payment.recorded': {
      const kind = str(d.kind);
      const what = kind === 'authorization' ? 'Payment authorization' : kind === 'refund' ? 'Refund' : 'Payment';
      const verb =
        d.status === 'failure' ? 'failed' : d.status === 'pending' ? 'pending' : (PAYMENT[kind ?? ''] ?? 'recorded');
      return `${what} of ${money(d.amount)}${on} ${verb}`;
    }
    case 'fulfillment.created':
      return `Shipped${withItems(d.items)}${str(d.carrier) ? ` with ${String(d.carrier)}` : ''}${str(d.trackingNumber) ? `, tracking ${String(d.trackingNumber)}` : ''}`;
    case 'shipment.status_changed': {
      const pkg = order?.packages.find((p) => p.id === d.packageId);
      const name = pkg?.trackingNumber ? `Package ${pkg.trackingNumber}` : `A package${on}`;
      return `${name}: ${SHIPMENT[String(d.from)] ?? words(d.from)} → ${SHIPMENT[String(d.to)] ?? words(d.to)}`;
    }

    case 'refund.issued':
    case 'return.refunded': {
      const shipping = num(d.shippingAmount) ?? 0;
      const head =
        e.type === 'return.refunded'
          ? `Return ${str(d.trackingId) ?? ''} refunded: ${money(d.amount)}`
          : `Refunded ${money(d.amount)}`;
      return `${head}${refundTo(d.destination)}${on}${shipping > 0 ? ` (shipping ${money(shipping)} included)` : ''}${withItems(d.items)}${codes(d.revokedCodes, 'revoked')}`;
    }
    case 'refund.issued_by_channel':
      return `Refunded ${money(d.amount)} in ${str(d.channel) ?? 'its channel'}${on}${withItems(d.items)}`;
    case 'return.requested':
      return `Return ${str(d.trackingId) ?? ''} requested${str(d.reason) ? ` (${words(d.reason)})` : ''}${on}${withItems(d.items)}`;
    case 'return.approved':
    case 'return.picked_up':
    case 'return.canceled':
      return `Return ${str(d.trackingId) ?? ''} ${RETURN_STEP[e.type]}${on}`;
    case 'return.declined':
      return `Return ${str(d.trackingId) ?? ''} declined${on}${str(d.reason) ? `: ${String(d.reason)}` : ''}`;
    case 'return.received': {
      const restocked = list(d.restocked).reduce((n, r) => n + (num(r.quantity) ?? 0), 0);
      return `Return ${str(d.trackingId) ?? ''} received at the centre${on}${restocked ? `; ${plural(restocked, 'unit')} restocked` : ''}`;
    }
    case 'approval.requested': {
      const amount = money(d.amount);
      return `${humanize(String(d.tool ?? 'action'))}${amount ? ` of ${amount}` : ''}${on} waits for approval (${strings(d.reasons).map(words).join(', ')})`;
    }
    case 'approval.approved':
      return `Approved ${words(d.tool)}${on}, asked for by ${str(d.requestedBy) ?? 'someone'}`;
    case 'approval.declined':
      return `Declined ${words(d.tool)}${on}${str(d.reason) ? `: ${String(d.reason)}` : ''}`;
    case 'approval_policy.changed':
      return `Approval limits of ${words(d.actorKind)} changed`;
    case 'return_policy.changed':
      return `Return window for ${words(d.scope)} ${String(d.key ?? '')} ${num(d.windowDays) === null ? 'reset to the default' : `set to ${plural(num(d.windowDays)!, 'day')}`}`;
    case 'exchange.requested': {
      const xs = list(d.items).map(
        (i) => `${num(i.quantity) ?? 1} × ${str(i.fromSku) ?? '?'} → ${str(i.toSku) ?? '?'}`,
      );
      return `Exchange requested${on}: ${xs.join(', ')}${priceDifference(num(d.priceDifference), money)}`;
    }
    case 'exchange.completed':
      return `Exchange completed${on}`;
    case 'exchange.canceled': {
      const reversed = num(d.reversedAmount) ?? 0;
      return `Exchange canceled${on}${str(d.reason) ? ` (${String(d.reason)})` : ''}${reversed ? `; ${money(Math.abs(reversed))} reversed` : ''}`;
    }
    case 'product.swapped': {
      const from = isObj(d.before) ? (str(d.before.title) ?? str(d.before.sku)) : null;
      const to = isObj(d.after) ? (str(d.after.title) ?? str(d.after.sku)) : null;
      const revoked = strings(d.revokedCodes).length;
      const issued = strings(d.issuedCodes).length;
      return `Product swapped${on}: ${from ?? '?'} → ${to ?? '?'}${revoked || issued ? `; access codes: ${revoked} revoked, ${issued} issued` : ''}`;
    }
    case 'access_codes.issued':
    case 'access_codes.revoked': {
      const c = strings(d.codes);
      return `${plural(c.length, 'access code')} ${e.type.endsWith('issued') ? 'issued' : 'revoked'} for ${str(d.sku) ?? 'an item'}${c.length ? `: ${c.join(', ')}` : ''}`;
    }
    case 'shopify.push_failed':
      return `Shopify did not take the ${d.action === 'cancel' ? 'cancellation' : d.action === 'address' ? 'new shipping address (Shopify still ships to the old one)' : 'refund'}${d.gaveUp ? ' (no answer after several attempts)' : ''}: ${String(d.message ?? '')} — check the order in Shopify${d.confirmationWithheld ? '; the customer was not sent the confirmation, so tell them what happened' : ''}`;
    case 'kogan.push_failed':
      return `Kogan did not take the ${d.action === 'cancel' ? 'cancellation' : d.action === 'dispatch' ? 'dispatch' : 'refund'}${d.gaveUp ? ' (no answer after several attempts)' : ''}: ${String(d.message ?? '')} — do it in the Kogan seller portal${d.confirmationWithheld ? '; the customer was not sent the confirmation, so tell them what happened' : ''}`;
    case 'kogan.pushed':
      return `Kogan took the ${d.action === 'cancel' ? 'cancellation' : d.action === 'dispatch' ? 'dispatch' : 'refund'} of ${str(d.koganOrderRef) ?? 'the order'}`;
    case 'outbox.retried':
      return `Retried a delivery given up after ${plural(num(d.attempts) ?? 0, 'attempt')} (${String(d.topic ?? '')})${str(d.lastError) ? `: ${String(d.lastError)}` : ''}`;
    case 'purchase_history.synced':
      return `Purchase history synced with IMS ${str(d.imsId) ?? ''}: ${d.changed === false ? 'no changes' : `${num(d.added) ?? 0} added, ${num(d.removed) ?? 0} removed, ${num(d.updated) ?? 0} updated`} (${plural(num(d.entries) ?? 0, 'entry', 'entries')})`;

    case 'conversation.created':
      return `Conversation started (${str(d.channel) ?? 'unknown channel'}): “${str(d.subject) ?? ''}”${str(d.externalRef) ? `, ticket ${String(d.externalRef)}` : ''}${str(d.followsUp) ? ', following up a closed conversation' : ''}`;
    case 'conversation.status_changed':
      return `Conversation ${words(d.from)} → ${words(d.to)}`;
    case 'conversation.updated': {
      const changed = strings(d.changed).map((f) =>
        f === 'linkOrders'
          ? `linked orders${strings(d.linkedOrders).length ? ` (${plural(strings(d.linkedOrders).length, 'order')})` : ''}`
          : f === 'unlinkOrders'
            ? `unlinked ${plural(strings(d.unlinkedOrders).length, 'order')}`
            : f === 'tags'
              ? tagChanges(d)
              : f === 'priority'
                ? `priority: ${String(d.priority ?? '')}`
                : f === 'subject'
                  ? `subject: “${String(d.subject ?? '')}”`
                  : words(f),
      );
      return `Conversation updated${changed.length ? `: ${changed.join('; ')}` : ''}`;
    }
    case 'conversation.assigned':
      return d.assignee
        ? `Assigned to ${String(d.assignee)}${d.assigneeKind === 'ai_agent' ? ' (AI agent)' : ''}`
        : 'Unassigned';
    case 'conversation.ai_paused':
      return `AI agent paused on the conversation${str(d.by) ? ` by ${String(d.by)}` : ''}`;
    case 'conversation.ai_resumed':
      return `AI agent resumed on the conversation${str(d.by) ? ` by ${String(d.by)}` : ''}`;
    case 'message.received':
      return `Customer wrote: ${String(d.excerpt ?? '')}`;
    case 'message.sent':
      return `Reply (${String(d.delivery ?? '')}): ${String(d.excerpt ?? '')}`;
    case 'note.added':
      return `Note: ${String(d.excerpt ?? '')}`;
    case 'handoff.created':
      return `Handed over to a human: ${String(d.summary ?? '')}`;
    case 'handoff.taken':
      return `Handoff taken by ${String(d.takenBy ?? 'an agent')}`;
    case 'handoff.resolved':
      return `Handoff resolved${str(d.resolvedBy) ? ` by ${String(d.resolvedBy)}` : ''}`;

    case 'sop.run_started':
      return `Procedure ${str(d.sopId) ?? ''} started${str(d.version) ? ` (version ${String(d.version)})` : ''}`;
    case 'sop.step_completed': {
      // Its heading in the procedure, how it went when that is news, and what was recorded of work done by hand.
      const name = str(d.title) ?? `Step ${str(d.stepId) ?? ''}`;
      const how = d.outcome === 'next' || !d.outcome ? '' : ` — ${words(d.outcome)}`;
      const recorded = list(d.evidence)
        .map(
          (f) =>
            `${str(f.label) ?? ''}: ${typeof f.value === 'boolean' ? (f.value ? 'yes' : 'no') : String(f.value)}${evidenceFrom(f.from) ? `, ${evidenceFrom(f.from)}` : ''}`,
        )
        .join('; ');
      return `${name}${how}${recorded ? ` (${recorded})` : ''}`;
    }
    case 'sop.run_finished': {
      const comps = list(d.compensations);
      return `Procedure ${str(d.sopId) ?? ''} ${words(d.status)}${str(d.failedStepId) ? ` at step ${String(d.failedStepId)}` : ''}${comps.length ? `; ${plural(comps.length, 'step')} undone` : ''}`;
    }
    default:
      return e.type;
  }
}

function priceDifference(diff: number | null, money: (n: number) => string): string {
  if (!diff) return '';
  return diff > 0 ? `; ${money(diff)} charged` : `; ${money(-diff)} refunded`;
}
