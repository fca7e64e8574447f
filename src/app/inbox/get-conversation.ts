import { findConversation, findHandoffs, findMessages } from '../../db/repo/inbox.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { toConversationView, type ConversationDetail } from './conversation-view.js';

/** A conversation with its whole thread (messages and internal notes) and its handoffs. */
export async function getConversation(ctx: AppContext, id: string): Promise<ConversationDetail> {
  const { db } = ctx.database;
  const c = await findConversation(db, id);
  if (!c) throw notFound('conversation', id);
  const [messages, handoffs] = await Promise.all([
    findMessages(db, id),
    findHandoffs(db, { conversationId: id, limit: 100 }),
  ]);
  return { ...toConversationView(c), messages, handoffs };
}
