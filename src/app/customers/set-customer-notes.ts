/** Saves the team's note and tags of a customer: one write, with its timeline event, under an idempotency key. */
import {
  findCustomerProfile,
  lockCustomer,
  saveCustomerNotes,
  type CustomerProfileRow,
} from '../../db/repo/customers.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import type { SetCustomerNotesInput } from './customer-notes.schemas.js';

export async function setCustomerNotes(
  ctx: AppContext,
  input: SetCustomerNotesInput & { customerId: string },
  opts: WriteOptions,
): Promise<CustomerProfileRow> {
  const tags = [...new Set(input.tags)];
  const note = input.note.trim();
  return write(ctx, 'customer.set_notes', { ...input, tags, note }, opts, async ({ tx, now, record }) => {
    if (!(await lockCustomer(tx, input.customerId))) throw notFound('customer', input.customerId);
    const before = await findCustomerProfile(tx, input.customerId);
    await saveCustomerNotes(tx, input.customerId, { note, tags, at: now.toISOString() });
    await record({
      type: 'customer.notes_changed',
      customerId: input.customerId,
      data: {
        noteChanged: before?.note !== note,
        tagsAdded: tags.filter((t) => !before?.tags.includes(t)),
        tagsRemoved: (before?.tags ?? []).filter((t) => !tags.includes(t)),
      },
    });
    // Read back before commit: what the panel shows is what was stored.
    return (await findCustomerProfile(tx, input.customerId))!;
  });
}
