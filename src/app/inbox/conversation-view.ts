import type { ConversationRecord, HandoffRecord, MessageRecord } from '../../db/repo/inbox.js';
import { CONVERSATION_STATUS_LABEL, nextStatuses, type ConversationStatus } from '../../domain/conversation-status.js';

export interface ConversationView extends Omit<ConversationRecord, 'assigneeKind' | 'assigneeId'> {
  statusLabel: string;
  /** Statuses an agent may move to from here (the transition table). */
  nextStatuses: ConversationStatus[];
  assignee: { kind: string; name: string } | null;
}

export interface ConversationDetail extends ConversationView {
  messages: MessageRecord[];
  handoffs: HandoffRecord[];
}

export function toConversationView(r: ConversationRecord): ConversationView {
  const { assigneeKind, assigneeId, ...rest } = r;
  const status = r.status;
  return {
    ...rest,
    statusLabel: CONVERSATION_STATUS_LABEL[status],
    nextStatuses: nextStatuses(status),
    assignee: assigneeKind ? { kind: assigneeKind, name: assigneeId ?? assigneeKind } : null,
  };
}
