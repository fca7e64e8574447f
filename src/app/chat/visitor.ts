/** A chat visitor: who holds a visitor token, and a message as the visitor sees it. */
import { findVisitorByTokenHash, type VisitorMessageRecord, type VisitorRecord } from '../../db/repo/chat.js';
import type { Executor } from '../../db/database.js';
import { DomainError } from '../../kernel/errors.js';
import { visitorTokenHash } from './identity.js';

export interface VisitorMessage {
  id: string;
  seq: number;
  from: 'visitor' | 'support';
  body: string;
  createdAt: string;
}

/** The visitor whose token this is; a missing or unknown token is 401. */
export async function authenticateVisitor(ex: Executor, token: string | undefined): Promise<VisitorRecord> {
  if (!token)
    throw new DomainError('unauthorized', 'Send the visitor token as `Authorization: Bearer <token>`.', {
      reason: 'visitor_token_required',
    });
  const visitor = await findVisitorByTokenHash(ex, visitorTokenHash(token));
  if (!visitor)
    throw new DomainError('unauthorized', 'This visitor token is not known here; start a new chat.', {
      reason: 'visitor_token_invalid',
    });
  return visitor;
}

export function toVisitorMessage(m: VisitorMessageRecord): VisitorMessage {
  return {
    id: m.id,
    seq: m.seq,
    from: m.kind === 'inbound' ? 'visitor' : 'support',
    body: m.body,
    createdAt: m.createdAt,
  };
}
