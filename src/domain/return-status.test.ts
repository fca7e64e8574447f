import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, RETURN_STATUSES, RETURN_TRANSITIONS } from './return-status.js';
import { DomainError } from '../kernel/errors.js';

describe('return transition table', () => {
  it('follows requested → approved → picked_up → received → refunded', () => {
    expect(canTransition('requested', 'approved')).toBe(true);
    expect(canTransition('approved', 'picked_up')).toBe(true);
    expect(canTransition('picked_up', 'received')).toBe(true);
    expect(canTransition('received', 'refunded')).toBe(true);
  });

  it('lets only requested or approved returns be declined or canceled', () => {
    for (const s of RETURN_STATUSES) {
      expect(canTransition(s, 'declined')).toBe(s === 'requested' || s === 'approved');
      expect(canTransition(s, 'canceled')).toBe(s === 'requested' || s === 'approved');
    }
  });

  it('never skips approval before pickup and closes refunded, declined and canceled returns', () => {
    expect(canTransition('requested', 'picked_up')).toBe(false);
    expect(canTransition('requested', 'received')).toBe(false);
    for (const s of ['refunded', 'declined', 'canceled'] as const) expect(RETURN_TRANSITIONS[s]).toEqual([]);
  });

  it('refuses a move outside the table with invalid_transition and the allowed next steps', () => {
    try {
      assertTransition('requested', 'received', 'RT-TEST0001');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const d = e as DomainError;
      expect(d.code).toBe('not_eligible');
      expect(d.details.reason).toBe('invalid_transition');
      expect(d.details.allowed).toEqual(['approved', 'declined', 'canceled']);
      expect(d.details.policy).toMatch(/approved/);
    }
  });
});
