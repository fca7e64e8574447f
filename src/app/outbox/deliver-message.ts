import { eq } from 'drizzle-orm';
import { conversations, messages } from '../../db/schema/index.js';
import { findCustomerById } from '../../db/repo/customers.js';
import { repliesByEmail } from '../../domain/conversation-status.js';
import type { Tx } from '../../db/database.js';
import type { Mailer } from './mailer.js';

/**
 * Sends a queued outbound message. With a mailer and an email channel it goes by SMTP (delivery `sent`);
 * without one — or on a marketplace channel, whose replies live in the marketplace's thread — it is `kept`:
 * visible in the thread, for the agent to copy where it belongs.
 */
export async function deliverMessage(tx: Tx, messageId: string, mailer: Mailer | undefined, now: Date): Promise<void> {
  const [m] = await tx.select().from(messages).where(eq(messages.id, messageId));
  if (!m || m.kind !== 'outbound' || m.delivery !== 'queued') return;
  const [c] = await tx.select().from(conversations).where(eq(conversations.id, m.conversationId));
  if (!c) return;
  const customer = await findCustomerById(tx, c.customerId);
  const to = customer?.emails[0]?.email;
  if (!mailer || !to || !repliesByEmail(c.channel)) {
    await tx.update(messages).set({ delivery: 'kept' }).where(eq(messages.id, m.id));
    return;
  }
  await mailer.send({ to, subject: c.subject.startsWith('Re:') ? c.subject : `Re: ${c.subject}`, text: m.body, messageId: `<${m.id}@sopdesk>` });
  await tx.update(messages).set({ delivery: 'sent', sentAt: now.toISOString(), deliveryError: null }).where(eq(messages.id, m.id));
}

export async function markDeliveryFailed(tx: Tx, messageId: string, error: string): Promise<void> {
  await tx.update(messages).set({ delivery: 'failed', deliveryError: error.slice(0, 500) }).where(eq(messages.id, messageId));
}
