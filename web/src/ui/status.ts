/**
 * One status → colour map for every badge in the inbox. A colour is a meaning, the same on every card:
 * - `success`: done and fine (paid, fulfilled, delivered, resolved, completed, a return refunded, a message sent);
 * - `warning`: waiting on someone (pending, requested, partially paid or shipped, queued);
 * - `danger`:  needs a person now or went wrong (waiting for a human, failed, declined, a high priority);
 * - `info`:    moving along (open, running, in transit, approved, taken);
 * - `neutral`: over, nothing to do (closed, canceled, voided, archived, refunded money, kept).
 * Components put `data-tone={tone(kind, value)}` on a `.status`, `.label` or `.badge`; styles.css colours the tones.
 */
import type { ApprovalStatus } from '../../../src/domain/approval-policy.js';
import type { ConversationStatus, HandoffStatus } from '../../../src/domain/conversation-status.js';
import type { ExchangeStatus } from '../../../src/domain/exchanges.js';
import type {
  FinancialStatus,
  FulfillmentStatus,
  OrderStatus,
  ShipmentStatus,
} from '../../../src/domain/order-status.js';
import type { ReturnStatus } from '../../../src/domain/return-status.js';
import type { SimulationRunStatus } from '../../../src/domain/simulations.js';
import type { SopRunStatus } from '../../../src/domain/sop-run.js';

export type Tone = 'success' | 'warning' | 'danger' | 'info' | 'neutral';

export type StatusKind =
  | 'conversation'
  | 'handoff'
  | 'order'
  | 'financial'
  | 'fulfillment'
  | 'shipment'
  | 'return'
  | 'exchange'
  | 'run'
  | 'delivery'
  | 'priority'
  | 'approval'
  | 'simulation';

const TONES: Record<StatusKind, Record<string, Tone>> = {
  conversation: {
    open: 'info',
    pending: 'warning',
    waiting_for_human: 'danger',
    resolved: 'success',
    closed: 'neutral',
  } satisfies Record<ConversationStatus, Tone>,
  handoff: { queued: 'danger', taken: 'info', resolved: 'success' } satisfies Record<HandoffStatus, Tone>,
  order: { open: 'info', archived: 'neutral', canceled: 'neutral' } satisfies Record<OrderStatus, Tone>,
  financial: {
    paid: 'success',
    authorized: 'info',
    pending: 'warning',
    partially_paid: 'warning',
    partially_refunded: 'neutral',
    refunded: 'neutral',
    voided: 'neutral',
    expired: 'danger',
  } satisfies Record<FinancialStatus, Tone>,
  fulfillment: { fulfilled: 'success', partially_fulfilled: 'warning', unfulfilled: 'warning' } satisfies Record<
    FulfillmentStatus,
    Tone
  >,
  shipment: {
    label_created: 'warning',
    ready_for_pickup: 'info',
    in_transit: 'info',
    out_for_delivery: 'info',
    delivered: 'success',
    failed: 'danger',
  } satisfies Record<ShipmentStatus, Tone>,
  return: {
    requested: 'warning',
    approved: 'info',
    picked_up: 'info',
    received: 'info',
    refunded: 'success',
    declined: 'neutral',
    canceled: 'neutral',
  } satisfies Record<ReturnStatus, Tone>,
  exchange: { requested: 'warning', completed: 'success', canceled: 'neutral' } satisfies Record<ExchangeStatus, Tone>,
  run: {
    running: 'info',
    waiting: 'warning',
    completed: 'success',
    failed: 'danger',
    canceled: 'neutral',
    handed_off: 'warning',
  } satisfies Record<SopRunStatus, Tone>,
  delivery: { queued: 'warning', sent: 'success', failed: 'danger', kept: 'neutral' },
  priority: { low: 'neutral', normal: 'neutral', high: 'danger', urgent: 'danger' },
  approval: { pending: 'warning', approved: 'success', declined: 'neutral' } satisfies Record<ApprovalStatus, Tone>,
  simulation: {
    running: 'info',
    finished: 'success',
    failed: 'danger',
    interrupted: 'warning',
    canceled: 'neutral',
  } satisfies Record<SimulationRunStatus, Tone>,
};

/** The tone of a status; a value this map does not know yet is neutral. */
export function tone(kind: StatusKind, value: string): Tone {
  return TONES[kind][value] ?? 'neutral';
}
