/**
 * What a conversation already knows, as answers to a procedure's ask steps: the customer (a `customer` ask), their
 * email (an `email` ask) and the order linked to the conversation (an `order` ask; the most recent one). A run
 * started from the conversation with these completes those steps by itself, so the agent sees them answered
 * instead of being asked again. Answers given at start win.
 */
import type { AppContext } from '../app/context.js';
import { findConversation } from '../db/repo/inbox.js';
import type { SopDocument } from './format.js';

export async function conversationInputs(
  ctx: AppContext,
  doc: SopDocument,
  input: { conversationId: string; customerId?: string | undefined },
): Promise<Record<string, unknown>> {
  const c = await findConversation(ctx.database.db, input.conversationId);
  if (!c || (input.customerId && input.customerId !== c.customerId)) return {};
  const known = {
    customer: c.customerId,
    email: c.customer.email ?? undefined,
    order: c.orders[0]?.name,
  } as const;
  const inputs: Record<string, unknown> = {};
  for (const st of doc.steps) {
    if (st.def.kind !== 'ask' || !(st.def.type in known)) continue;
    const value = known[st.def.type as keyof typeof known];
    if (value !== undefined && inputs[st.def.input] === undefined) inputs[st.def.input] = value;
  }
  return inputs;
}
