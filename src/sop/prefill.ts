/**
 * What a conversation already knows, for a run started from it. As answers to a procedure's ask steps: the customer
 * (a `customer` ask), their email (an `email` ask) and the order linked to the conversation (an `order` ask; the most
 * recent one) — a run started with these completes those steps by itself, so the agent sees them answered instead of
 * being asked again; answers given at start win. As evidence of a manual step (`from: conversation.ticket`): the
 * marketplace's ticket reference.
 */
import type { AppContext } from '../app/context.js';
import { findConversation, type ConversationRecord } from '../db/repo/inbox.js';
import { isMarketplaceChannel } from '../domain/marketplace.js';
import type { SopDocument } from './format.js';

interface RunConversation {
  conversationId: string;
  customerId?: string | null | undefined;
}

/** The conversation, unless the run is another customer's (it then knows nothing of this one). */
async function conversationOf(ctx: AppContext, input: RunConversation): Promise<ConversationRecord | undefined> {
  const c = await findConversation(ctx.database.db, input.conversationId);
  return c && (!input.customerId || input.customerId === c.customerId) ? c : undefined;
}

export async function conversationInputs(
  ctx: AppContext,
  doc: SopDocument,
  input: RunConversation,
): Promise<Record<string, unknown>> {
  const c = await conversationOf(ctx, input);
  if (!c) return {};
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

/**
 * The marketplace's ticket reference of the conversation: its `externalRef` when it is on a marketplace channel (the
 * marketplace mail rule files a Kogan ticket so, docs/email.md). An email or chat conversation has no ticket.
 */
export async function conversationTicket(ctx: AppContext, input: RunConversation): Promise<string | undefined> {
  const c = await conversationOf(ctx, input);
  return c && isMarketplaceChannel(c.channel) ? (c.externalRef ?? undefined) : undefined;
}
