/** What a chat visitor reads: their conversation's messages after a cursor (the widget polls this). */
import { findVisitorMessages } from '../../db/repo/chat.js';
import type { AppContext } from '../context.js';
import { authenticateVisitor, toVisitorMessage, type VisitorMessage } from './visitor.js';

const PAGE = 100;

export async function listVisitorMessages(
  ctx: AppContext,
  token: string | undefined,
  input: { after: number },
): Promise<{ verified: boolean; messages: VisitorMessage[] }> {
  const db = ctx.database.db;
  const visitor = await authenticateVisitor(db, token);
  const found = await findVisitorMessages(db, visitor.id, input.after, visitor.verified, PAGE);
  return { verified: visitor.verified, messages: found.map(toVisitorMessage) };
}
