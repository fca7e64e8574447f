import { findMacro } from '../../db/repo/macros.js';
import { findConversation } from '../../db/repo/inbox.js';
import { missingPlaceholders, renderTemplate, type Placeholder } from '../../domain/templates.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { resolveOrderId } from '../orders/resolve-order.js';
import { placeholderValues } from './placeholder-values.js';

/**
 * The macro's text filled in for one conversation: its customer, the order chosen (`orderId`, one of the customer's)
 * or else its most recent linked order, the agent. `missing` names the placeholders nothing filled (an
 * `{{order.name}}` with no order): the text is not ready to send until they are, so the inbox asks instead.
 */
export async function renderMacro(
  ctx: AppContext,
  macroId: string,
  input: { conversationId: string; orderId?: string | undefined; agentName?: string | undefined },
): Promise<{ body: string; missing: Placeholder[] }> {
  const { db } = ctx.database;
  const m = await findMacro(db, macroId);
  if (!m) throw notFound('macro', macroId);
  const c = await findConversation(db, input.conversationId);
  if (!c) throw notFound('conversation', input.conversationId);
  const orderId = input.orderId ? await resolveOrderId(db, input.orderId, 'orderId', c.customerId) : c.orders[0]?.id;
  const values = await placeholderValues(db, {
    customerId: c.customerId,
    orderId,
    agentName: input.agentName,
    subject: c.subject,
  });
  return { body: renderTemplate(m.body, values), missing: missingPlaceholders(m.body, values) };
}
