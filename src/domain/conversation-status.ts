/**
 * A conversation (ticket) moves only through this table. Every status change in the app asks
 * `assertTransition`, so the one place that says which moves are allowed is here.
 */
import { notEligible } from '../kernel/errors.js';
import type { ActorKind } from './timeline.js';

export const CONVERSATION_STATUSES = ['open', 'pending', 'waiting_for_human', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_STATUS_LABEL: Record<ConversationStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  waiting_for_human: 'Waiting for human',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** What moved the conversation; some moves are allowed only for some causes. */
export type TransitionCause =
  /** An agent set the status by hand. */
  | 'agent'
  /** The customer wrote (reopens a pending or resolved conversation). */
  | 'customer_message'
  /** transfer_to_human_representative. */
  | 'handoff'
  /** A human took the handoff. */
  | 'handoff_taken';

interface Rule {
  to: ConversationStatus;
  causes: readonly TransitionCause[];
}

const ALL: readonly TransitionCause[] = ['agent', 'customer_message', 'handoff', 'handoff_taken'];

/**
 * open → pending / waiting_for_human / resolved; pending → open (agent or the customer writing) / waiting_for_human / resolved;
 * waiting_for_human → open (only by a human taking the handoff) / resolved; resolved → open (reopen: an agent, or the customer
 * writing again) / closed; closed is final: a customer writing after that starts a new conversation.
 */
export const CONVERSATION_TRANSITIONS: Record<ConversationStatus, readonly Rule[]> = {
  open: [
    { to: 'pending', causes: ['agent'] },
    { to: 'waiting_for_human', causes: ['handoff'] },
    { to: 'resolved', causes: ['agent'] },
  ],
  pending: [
    { to: 'open', causes: ['agent', 'customer_message'] },
    { to: 'waiting_for_human', causes: ['handoff'] },
    { to: 'resolved', causes: ['agent'] },
  ],
  waiting_for_human: [
    { to: 'open', causes: ['handoff_taken'] },
    { to: 'resolved', causes: ['agent'] },
  ],
  resolved: [
    { to: 'open', causes: ['agent', 'customer_message'] },
    { to: 'waiting_for_human', causes: ['handoff'] },
    { to: 'closed', causes: ['agent'] },
  ],
  closed: [],
};

export function canTransition(
  from: ConversationStatus,
  to: ConversationStatus,
  cause: TransitionCause = 'agent',
): boolean {
  return CONVERSATION_TRANSITIONS[from].some((r) => r.to === to && r.causes.includes(cause));
}

/** The statuses an agent may pick by hand from `from` (what the UI offers). */
export function nextStatuses(from: ConversationStatus, cause: TransitionCause = 'agent'): ConversationStatus[] {
  return CONVERSATION_TRANSITIONS[from].filter((r) => r.causes.includes(cause)).map((r) => r.to);
}

export const TRANSITION_POLICY =
  'A conversation moves open → pending / waiting for human / resolved, and a resolved one can be reopened or closed; ' +
  'a conversation waiting for a human leaves that status only when a human takes the handoff or resolves it; a closed conversation is final.';

/** Throws not_eligible `conversation_transition_not_allowed` (or `conversation_closed`) naming both statuses. */
export function assertTransition(
  from: ConversationStatus,
  to: ConversationStatus,
  cause: TransitionCause = 'agent',
): void {
  if (canTransition(from, to, cause)) return;
  if (from === 'closed') {
    throw notEligible(
      'conversation_closed',
      'This conversation is closed and cannot change any more; start a new conversation with the customer.',
      TRANSITION_POLICY,
      { from, to },
    );
  }
  if (from === 'waiting_for_human' && to === 'open') {
    throw notEligible(
      'handoff_not_taken',
      'This conversation is waiting for a human: take the handoff from the queue to continue it.',
      TRANSITION_POLICY,
      { from, to },
    );
  }
  const allowed = nextStatuses(from, cause).map((s) => CONVERSATION_STATUS_LABEL[s]);
  throw notEligible(
    'conversation_transition_not_allowed',
    `A conversation cannot go from ${CONVERSATION_STATUS_LABEL[from]} to ${CONVERSATION_STATUS_LABEL[to]}${allowed.length ? `; from here it can go to ${allowed.join(', ')}` : ''}.`,
    TRANSITION_POLICY,
    { from, to },
  );
}

/** Where an inbound customer message takes the conversation; undefined = it stays (or, when closed, a new one starts). */
export function statusAfterCustomerMessage(from: ConversationStatus): ConversationStatus | undefined {
  return from === 'pending' || from === 'resolved' ? 'open' : undefined;
}

export const CHANNELS = ['email', 'chat', 'phone', 'web', 'kogan', 'marketplace'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Marketplace tickets are answered in the marketplace's own thread (the Kogan procedure), so sopdesk keeps the reply there, not by email. */
export function repliesByEmail(channel: string): boolean {
  return channel === 'email' || channel === 'chat' || channel === 'web' || channel === 'phone';
}

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Who a conversation is assigned to; a conversation without one is unassigned. */
export type AssigneeKind = 'human' | 'ai_agent';

/** inbound (from the customer), outbound (to the customer), note (internal, never sent). */
export type MessageKind = 'inbound' | 'outbound' | 'note';

/** Who wrote a message: the customer, or an actor of the timeline. */
export type AuthorKind = 'customer' | ActorKind;

/**
 * An outbound message's delivery: queued (waiting for the outbox), sending (claimed by a dispatcher), sent (by SMTP),
 * kept (no mail transport: visible in the thread), failed.
 */
export type MessageDelivery = 'queued' | 'sending' | 'sent' | 'kept' | 'failed';

/** Handoffs: queued → taken → resolved. */
export const HANDOFF_STATUSES = ['queued', 'taken', 'resolved'] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

const HANDOFF_TRANSITIONS: Record<HandoffStatus, readonly HandoffStatus[]> = {
  queued: ['taken', 'resolved'],
  taken: ['resolved'],
  resolved: [],
};

export const HANDOFF_POLICY =
  'A handoff is taken by one human, who continues the conversation and resolves it; a taken or resolved handoff cannot be taken again.';

/**
 * A handoff is for a person: only a human takes or resolves one, and only a human moves a conversation out of
 * waiting for a human (an AI agent would dismiss the very request it made). Throws not_eligible `handoff_needs_human`.
 */
export function assertHumanForHandoff(actorKind: string, doing: string): void {
  if (actorKind !== 'human')
    throw notEligible('handoff_needs_human', `Only a human agent can ${doing}.`, HANDOFF_POLICY);
}

export function assertHandoffTransition(from: HandoffStatus, to: HandoffStatus): void {
  if (HANDOFF_TRANSITIONS[from].includes(to)) return;
  if (to === 'taken')
    throw notEligible(
      from === 'taken' ? 'handoff_already_taken' : 'handoff_resolved',
      `This handoff is already ${from}.`,
      HANDOFF_POLICY,
      { from, to },
    );
  throw notEligible('handoff_transition_not_allowed', `A handoff cannot go from ${from} to ${to}.`, HANDOFF_POLICY, {
    from,
    to,
  });
}
