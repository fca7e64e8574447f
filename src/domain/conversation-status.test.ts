import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assertHandoffTransition,
  assertTransition,
  canTransition,
  CONVERSATION_STATUSES,
  nextStatuses,
  statusAfterCustomerMessage,
  type ConversationStatus,
  type TransitionCause,
} from './conversation-status.js';
import type { DomainError } from '../kernel/errors.js';
import { assertKnownPlaceholders, renderTemplate } from './templates.js';

const reasonOf = (fn: () => void) => {
  try {
    fn();
  } catch (e) {
    return (e as DomainError).details.reason;
  }
  return undefined;
};

describe('conversation status transitions', () => {
  it('lets an agent move open → pending → resolved → closed, and reopen a resolved conversation', () => {
    expect(canTransition('open', 'pending')).toBe(true);
    expect(canTransition('pending', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'open')).toBe(true);
    expect(canTransition('resolved', 'closed')).toBe(true);
  });

  it('only a handoff sets waiting_for_human, and only taking it moves the conversation back to open', () => {
    expect(canTransition('open', 'waiting_for_human', 'agent')).toBe(false);
    expect(canTransition('open', 'waiting_for_human', 'handoff')).toBe(true);
    expect(reasonOf(() => assertTransition('waiting_for_human', 'open', 'agent'))).toBe('handoff_not_taken');
    expect(canTransition('waiting_for_human', 'open', 'handoff_taken')).toBe(true);
    expect(canTransition('waiting_for_human', 'resolved', 'agent')).toBe(true);
  });

  it('a closed conversation is final', () => {
    for (const to of CONVERSATION_STATUSES)
      expect(reasonOf(() => assertTransition('closed', to))).toBe('conversation_closed');
    expect(statusAfterCustomerMessage('closed')).toBeUndefined();
  });

  it('a customer writing reopens a pending or resolved conversation', () => {
    expect(statusAfterCustomerMessage('pending')).toBe('open');
    expect(statusAfterCustomerMessage('resolved')).toBe('open');
    expect(statusAfterCustomerMessage('open')).toBeUndefined();
  });

  it('refuses a move the table lacks with conversation_transition_not_allowed and names the statuses', () => {
    try {
      assertTransition('open', 'closed');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe('not_eligible');
      expect((e as DomainError).details).toMatchObject({
        reason: 'conversation_transition_not_allowed',
        from: 'open',
        to: 'closed',
      });
    }
  });

  it('property: assertTransition accepts exactly what canTransition allows, and nextStatuses lists them', () => {
    const status = fc.constantFrom(...CONVERSATION_STATUSES);
    const cause = fc.constantFrom<TransitionCause>('agent', 'customer_message', 'handoff', 'handoff_taken');
    fc.assert(
      fc.property(status, status, cause, (from: ConversationStatus, to: ConversationStatus, c) => {
        const ok = canTransition(from, to, c);
        expect(reasonOf(() => assertTransition(from, to, c)) === undefined).toBe(ok);
        expect(nextStatuses(from, c).includes(to)).toBe(ok);
        expect(canTransition(from, from, c)).toBe(false);
      }),
    );
  });

  it('a handoff is taken once', () => {
    assertHandoffTransition('queued', 'taken');
    expect(reasonOf(() => assertHandoffTransition('taken', 'taken'))).toBe('handoff_already_taken');
    expect(reasonOf(() => assertHandoffTransition('resolved', 'taken'))).toBe('handoff_resolved');
  });
});

describe('placeholders', () => {
  it('fills known placeholders and refuses unknown ones at save time', () => {
    expect(
      renderTemplate('Hi {{customer.name}}, about {{ order.name }}', { 'customer.name': 'Ana', 'order.name': '#1001' }),
    ).toBe('Hi Ana, about #1001');
    expect(() => assertKnownPlaceholders('body', 'Hi {{customer.nam}}')).toThrow(/customer\.nam/);
  });
});
