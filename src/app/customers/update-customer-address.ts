import { findCustomerById, lockCustomer, saveDefaultAddress, type CustomerRecord } from '../../db/repo/customers.js';
import { notFound } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AddressData } from '../../domain/timeline.js';
import type { Tx } from '../../db/database.js';
import type { AppContext } from '../context.js';
import { checkAddress, formatAddress, withNullParts } from '../../domain/addresses.js';
import type { UpdateCustomerAddressInput } from '../order-changes/schemas.js';
import { runAction, type ActionOptions, type ActionResult, type WriteScope } from '../write.js';

export interface CustomerAddressPreview {
  customerId: string;
  /** The default address that is replaced; null when the customer had none (a new one is added). */
  addressId: string | null;
  before: AddressData | null;
  after: AddressData;
  summary: string;
}

function toAddress(a: CustomerRecord['addresses'][number]): AddressData {
  const out: AddressData = { line1: a.line1, city: a.city, zip: a.zip, country: a.country };
  if (a.name) out.name = a.name;
  if (a.line2) out.line2 = a.line2;
  if (a.region) out.region = a.region;
  return out;
}

async function readCustomer(tx: Tx, id: string): Promise<CustomerRecord> {
  const customer = await findCustomerById(tx, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

interface Plan {
  preview: CustomerAddressPreview;
  customerId: string;
  /** The default address row to overwrite; null = insert a new default. */
  addressId: string | null;
  before: AddressData | null;
  address: AddressData;
}

/** Replaces the customer's default address (future orders); orders already placed keep their address. */
export async function updateCustomerAddress(
  ctx: AppContext,
  input: UpdateCustomerAddressInput,
  opts: ActionOptions,
): Promise<ActionResult<CustomerAddressPreview, { customer: CustomerRecord }>> {
  return runAction(ctx, 'update_customer_address', input, opts, {
    plan: (scope) => planAddressUpdate(scope, input),
    apply: applyAddressUpdate,
  });
}

async function planAddressUpdate({ tx }: WriteScope, input: UpdateCustomerAddressInput): Promise<Plan> {
  if (!(await lockCustomer(tx, input.customerId))) throw notFound('customer', input.customerId);
  const customer = await readCustomer(tx, input.customerId);
  checkAddress(input.address);
  const current = customer.addresses.find((a) => a.isDefault) ?? null;
  const before = current ? toAddress(current) : null;
  return {
    customerId: customer.id,
    addressId: current?.id ?? null,
    before,
    address: input.address,
    preview: {
      customerId: customer.id,
      addressId: current?.id ?? null,
      before,
      after: input.address,
      summary: `${customer.name}'s default address becomes ${formatAddress(input.address)}.`,
    },
  };
}

async function applyAddressUpdate({ tx, now, record }: WriteScope, plan: Plan): Promise<{ customer: CustomerRecord }> {
  const addressId = await saveDefaultAddress(tx, {
    customerId: plan.customerId,
    addressId: plan.addressId,
    newId: newId('address', now.getTime()),
    address: withNullParts(plan.address),
    at: now.toISOString(),
  });
  await record({
    type: 'customer.address_changed',
    customerId: plan.customerId,
    data: { addressId, before: plan.before, after: plan.address },
  });
  return { customer: await readCustomer(tx, plan.customerId) };
}
