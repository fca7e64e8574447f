/**
 * The customer scope of a call: a caller acting for one customer may name only that customer's records. The check
 * reads the arguments by the agreed argument names (src/app/args.ts) at any depth, so every tool — and every tool a
 * future definition adds with those names — is covered by this one function, not by each tool.
 */
import type { Executor } from '../../db/database.js';
import { findCustomersByEmail, findCustomersByExternalId } from '../../db/repo/customers.js';
import { findOwner, type OwnedKind } from '../../db/repo/owners.js';
import { outsideScope } from '../../domain/customer-scope.js';
import { resolveOrderId } from '../orders/resolve-order.js';

/** Argument names that name a record, and the kind of record. */
const OWNED: Readonly<Record<string, OwnedKind>> = {
  itemId: 'item',
  packageId: 'package',
  returnId: 'return',
  exchangeId: 'exchange',
  paymentMethodId: 'payment method',
  conversationId: 'conversation',
  runId: 'SOP run',
};

/**
 * Fields whose contents are passed on to another call rather than used by this one (an SOP step's tool arguments, a
 * run's start inputs): checked, but left as given, since the run compares them with what its procedure computes.
 */
const PASSED_ON = new Set(['arguments', 'inputs']);

/**
 * Checks every record `input` names against `customerId` and answers the input with each order reference replaced by
 * the id it resolves to within the scope (a reference two orders share, one of them another customer's, then means
 * this customer's; the use case gets the id). Throws `outsideScope` for the first record that is not the customer's.
 */
export async function scopeArguments<T>(ex: Executor, customerId: string, input: T): Promise<T> {
  return (await walk(ex, customerId, input, '', true)) as T;
}

async function walk(ex: Executor, scope: string, value: unknown, path: string, rewrite: boolean): Promise<unknown> {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, v] of value.entries()) out.push(await walk(ex, scope, v, `${path}${i}.`, rewrite));
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = typeof v === 'string' ? await checkField(ex, scope, key, v, `${path}${key}`, rewrite) : v;
    if (typeof v === 'object' && v !== null)
      out[key] = await walk(ex, scope, v, `${path}${key}.`, rewrite && !PASSED_ON.has(key));
  }
  return out;
}

async function checkField(
  ex: Executor,
  scope: string,
  key: string,
  v: string,
  path: string,
  rewrite: boolean,
): Promise<string> {
  if (key === 'customerId') {
    if (v.trim() !== scope) throw outsideScope('customer', v);
    return v;
  }
  if (key === 'orderId') {
    const id = await resolveOrderId(ex, v, path, scope);
    return rewrite ? id : v;
  }
  if (key === 'email') {
    if (!(await findCustomersByEmail(ex, v)).some((c) => c.id === scope)) throw outsideScope('customer with email', v);
    return v;
  }
  if (key === 'imsId') {
    if (!(await findCustomersByExternalId(ex, 'ims', v)).some((c) => c.id === scope))
      throw outsideScope('customer with IMS id', v);
    return v;
  }
  const kind = OWNED[key];
  if (kind && (await findOwner(ex, kind, v)) !== scope) throw outsideScope(kind, v);
  return v;
}

/**
 * The safety net behind the argument check: an answer naming another customer (`customerId`, or a customer's own
 * `cus_…` id) is refused rather than shown. Nothing reaches it when the arguments were checked; it guards what a
 * future tool might read beyond its arguments.
 */
export function assertAnswerInScope(scope: string, answer: unknown): void {
  const stack: unknown[] = [answer];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const names = k === 'customerId' || (k === 'id' && typeof x === 'string' && x.startsWith('cus_'));
        if (names && typeof x === 'string' && x !== scope) throw outsideScope('customer', x);
        if (typeof x === 'object') stack.push(x);
      }
    }
  }
}
