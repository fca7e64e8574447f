/**
 * A return's lifecycle (the Handling Returns procedure): it is approved before pickup starts, picked up (in transit), received at the
 * centre, then refunded — which closes it. Before pickup it may be declined by the store or canceled.
 * A return's status moves only through this table.
 */
import { notEligible } from '../kernel/errors.js';

export const RETURN_STATUSES = [
  'requested',
  'approved',
  'picked_up',
  'received',
  'refunded',
  'declined',
  'canceled',
] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, readonly ReturnStatus[]>> = {
  requested: ['approved', 'declined', 'canceled'],
  approved: ['picked_up', 'declined', 'canceled'],
  picked_up: ['received'],
  received: ['refunded'],
  refunded: [],
  declined: [],
  canceled: [],
};

export const RETURN_STATUS_LABEL: Record<ReturnStatus, string> = {
  requested: 'Requested, awaiting approval',
  approved: 'Approved, awaiting pickup',
  picked_up: 'In transit to the returns centre',
  received: 'Received, awaiting refund',
  refunded: 'Refunded (closed)',
  declined: 'Declined',
  canceled: 'Canceled',
};

/** Statuses whose items still count against what may be returned (the return is live or done). */
export const ACTIVE_RETURN_STATUSES: readonly ReturnStatus[] = [
  'requested',
  'approved',
  'picked_up',
  'received',
  'refunded',
];

export function canTransition(from: ReturnStatus, to: ReturnStatus): boolean {
  return RETURN_TRANSITIONS[from].includes(to);
}

export const TRANSITION_POLICY =
  'A return moves requested → approved → picked up → received → refunded; only a requested or approved return can be declined or canceled.';

/** Throws `invalid_transition` naming the allowed next steps when `from → to` is not in the table. */
export function assertTransition(from: ReturnStatus, to: ReturnStatus, trackingId: string): void {
  if (canTransition(from, to)) return;
  const next = RETURN_TRANSITIONS[from];
  throw notEligible(
    'invalid_transition',
    `Return ${trackingId} is ${RETURN_STATUS_LABEL[from].toLowerCase()}; it cannot become ${to.replace('_', ' ')}. ` +
      (next.length
        ? `From here it can only become: ${next.join(', ')}.`
        : 'It is closed; nothing more can happen to it.'),
    TRANSITION_POLICY,
    { status: from, requested: to, allowed: [...next] },
  );
}
