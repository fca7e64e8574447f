import { touchOrder } from '../../db/repo/order-changes.js';
import { notEligible } from '../../kernel/errors.js';
import { formatMoney, sumMinor } from '../../kernel/money.js';
import {
  assertCanCharge,
  captureBalances,
  hasBalance,
  methodOf,
  openAuthorizations,
  requireOwnedMethod,
  type PaymentMethodFacts,
} from '../../domain/payments.js';
import type { AppContext } from '../context.js';
import { assertPending, readBack, runOrderAction } from '../orders/action-order.js';
import { toOrderView, type OrderView } from '../orders/order-view.js';
import type { ActionOptions, ActionResult } from '../write.js';
import { moveMoney } from './settle.js';
import type { ModifyPendingOrderPaymentInput } from './schemas.js';
import { assertChangeableInSopdesk } from '../../domain/shopify.js';

export const POLICY_NO_PAYMENT =
  'Only a payment that exists can be moved: the order needs an open authorization or captured money.';
export const POLICY_SAME = 'The order is already paid with this payment method; choose a different one.';

interface MethodRef {
  paymentMethodId: string | null;
  label: string;
  kind: string | null;
}

export interface PaymentChangePreview {
  orderId: string;
  orderName: string;
  currency: string;
  /** Open authorizations that will be voided and authorized again on the new method. */
  authorizations: (MethodRef & { transactionId: string; amount: number })[];
  /** Captured money (minus refunds) per capture on an old method, refunded there and charged on the new method. */
  captured: (MethodRef & { transactionId: string; amount: number })[];
  to: MethodRef & { paymentMethodId: string; balanceAfter: number | null };
  authorizedMoved: number;
  capturedMoved: number;
  /** What will happen, step by step, for the customer to confirm. */
  steps: string[];
  summary: string;
}

function ref(id: string | null, methods: readonly PaymentMethodFacts[]): MethodRef {
  const m = id ? methods.find((x) => x.id === id) : undefined;
  return { paymentMethodId: id, label: m?.label ?? 'the original payment method', kind: m?.kind ?? null };
}

function facts(r: MethodRef): PaymentMethodFacts | null {
  return r.paymentMethodId ? methodFacts({ ...r, paymentMethodId: r.paymentMethodId }) : null;
}

function methodFacts(r: MethodRef & { paymentMethodId: string }): PaymentMethodFacts {
  return { id: r.paymentMethodId, kind: r.kind ?? 'card', label: r.label, balance: null, currency: null };
}

/**
 * Moves the payment of an order that has not shipped to another payment method of the customer:
 * an open authorization is voided and authorized again on the new method; captured money is refunded
 * to the old method and charged on the new one. A gift card must cover the whole amount.
 */
export async function modifyPendingOrderPayment(
  ctx: AppContext,
  input: ModifyPendingOrderPaymentInput,
  opts: ActionOptions,
): Promise<ActionResult<PaymentChangePreview, { order: OrderView }>> {
  return runOrderAction(ctx, 'modify_pending_order_payment', input, opts, {
    order: input.orderId,
    async plan({ now }, o) {
      assertPending(o);
      const order = o.record;
      assertChangeableInSopdesk(order, 'payment_method', ctx.shopify !== undefined);
      const methods = o.paymentMethods;
      const target = requireOwnedMethod(methods, input.paymentMethodId);
      const txs = order.transactions;
      const auths = openAuthorizations(txs, now);
      const held = captureBalances(txs).filter((c) => c.remaining > 0);
      if (auths.length === 0 && held.length === 0) {
        throw notEligible(
          'no_payment_to_move',
          `Order #${order.number} has no open authorization and nothing captured; there is no payment to move.`,
          POLICY_NO_PAYMENT,
        );
      }
      const authorizations = auths
        .filter((a) => methodOf(a, txs) !== target.id)
        .map((a) => ({ ...ref(methodOf(a, txs), methods), transactionId: a.id, amount: a.amount }));
      const captured = held
        .filter((c) => c.paymentMethodId !== target.id)
        .map((c) => ({ ...ref(c.paymentMethodId, methods), transactionId: c.transactionId, amount: c.remaining }));
      if (authorizations.length === 0 && captured.length === 0) {
        throw notEligible(
          'same_payment_method',
          `Order #${order.number} is already paid with ${target.label}.`,
          POLICY_SAME,
        );
      }
      const authorizedMoved = sumMinor(authorizations.map((a) => a.amount));
      const capturedMoved = sumMinor(captured.map((c) => c.amount));
      assertCanCharge(target, authorizedMoved + capturedMoved, order.currency);
      const cur = order.currency;
      const steps = [
        ...authorizations.flatMap((a) => [
          `void the ${formatMoney(a.amount, cur)} authorization on ${a.label}`,
          `authorize ${formatMoney(a.amount, cur)} on ${target.label}`,
        ]),
        ...captured.map((c) => `refund ${formatMoney(c.amount, cur)} to ${c.label}`),
        ...(capturedMoved > 0 ? [`charge ${formatMoney(capturedMoved, cur)} on ${target.label}`] : []),
      ];
      const preview: PaymentChangePreview = {
        orderId: order.id,
        orderName: o.name,
        currency: cur,
        authorizations,
        captured,
        to: {
          paymentMethodId: target.id,
          label: target.label,
          kind: target.kind,
          balanceAfter: hasBalance(target) ? (target.balance ?? 0) - authorizedMoved - capturedMoved : null,
        },
        authorizedMoved,
        capturedMoved,
        steps,
        summary: `Order ${o.name} will be paid with ${target.label}: ${steps.join('; ')}.`,
      };
      return { preview, o };
    },
    async apply(scope, { preview: plan, o }) {
      const { tx, now, record } = scope;
      const to = methodFacts(plan.to);
      const ids: string[] = [];
      const money = { orderId: plan.orderId, currency: plan.currency, now };
      for (const a of plan.authorizations) {
        ids.push(
          await moveMoney(tx, {
            ...money,
            kind: 'void',
            amount: a.amount,
            method: facts(a),
            parentId: a.transactionId,
          }),
        );
        ids.push(await moveMoney(tx, { ...money, kind: 'authorization', amount: a.amount, method: to }));
      }
      // Each capture is refunded where it was paid and charged again on the new method as a sale whose parent is that
      // refund: the pair is a move, so the order stays Paid (movedPayments in order-status.ts).
      for (const c of plan.captured) {
        const refund = await moveMoney(tx, {
          ...money,
          kind: 'refund',
          amount: c.amount,
          method: facts(c),
          parentId: c.transactionId,
        });
        ids.push(
          refund,
          await moveMoney(tx, { ...money, kind: 'sale', amount: c.amount, method: to, parentId: refund }),
        );
      }
      await touchOrder(tx, plan.orderId, now.toISOString());
      const order = await readBack(scope, o);
      await record({
        type: 'order.payment_changed',
        customerId: order.customerId,
        orderId: order.id,
        data: {
          toPaymentMethodId: to.id,
          fromPaymentMethodIds: [...new Set([...plan.authorizations, ...plan.captured].map((x) => x.paymentMethodId))],
          authorizedMoved: plan.authorizedMoved,
          capturedMoved: plan.capturedMoved,
          transactionIds: ids,
        },
      });
      return { order: toOrderView(order, now) };
    },
  });
}
