import { findMacro } from '../../db/repo/macros.js';
import { findConversation } from '../../db/repo/inbox.js';
import { renderTemplate } from '../../domain/templates.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { placeholderValues } from './placeholder-values.js';

/** The macro's text filled in for one conversation: its customer, its most recent linked order, the agent. */
export async function renderMacro(
  ctx: AppContext,
  macroId: string,
  input: { conversationId: string; agentName?: string | undefined },
): Promise<{ body: string }> {
  const { db } = ctx.database;
  const m = await findMacro(db, macroId);
  if (!m) throw notFound('macro', macroId);
  const c = await findConversation(db, input.conversationId);
  if (!c) throw notFound('conversation', input.conversationId);
  const values = await placeholderValues(db, {
    customerId: c.customerId,
    orderId: c.orders[0]?.id,
    agentName: input.agentName,
    subject: c.subject,
  });
  return { body: renderTemplate(m.body, values) };
}
