import { findConversation, findHandoffs, findMessages } from '../../db/repo/inbox.js';
import { notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';
import { toConversationView, type ConversationDetail } from './conversation-view.js';

/** A conversation with its whole thread (messages and internal notes) and its handoffs. */
export async function getConversation(ctx: AppContext, id: string): Promise<ConversationDetail> {
  const { db } = ctx.database;
  // Side by side: a conversation that is not there has no messages or handoffs either.
  const [c, messages, handoffs] = await Promise.all([
    findConversation(db, id),
    findMessages(db, id),
    findHandoffs(db, { conversationId: id, limit: 100 }),
  ]);
  if (!c) throw notFound('conversation', id);
  return { ...toConversationView(c), messages, handoffs };
}
