import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { applyEvents, changedBy, type LiveEvent } from './live';

const event = (over: Partial<LiveEvent>): LiveEvent => ({
  seq: 1,
  id: 'evt_1',
  type: 'message.received',
  customerId: 'cus_a1b2',
  orderId: null,
  conversationId: 'cnv_a1b2',
  actorKind: 'system',
  actorId: null,
  data: {},
  occurredAt: '2026-11-20T10:00:00.000Z',
  ...over,
});
const key = (...queryKey: unknown[]) => ({ queryKey });

describe('which reads a live event changes', () => {
  it("a message changes the conversation lists and that conversation, not another's", () => {
    const e = event({});
    expect(changedBy(e, key('/v1/conversations', { status: '' }))).toBe(true);
    expect(changedBy(e, key('/v1/conversations/{id}', { id: 'cnv_a1b2' }))).toBe(true);
    expect(changedBy(e, key('/v1/conversations/{id}', { id: 'cnv_other' }))).toBe(false);
    expect(changedBy(e, key('/v1/customers/{id}/timeline', { id: 'cus_a1b2', types: '' }))).toBe(true);
    expect(changedBy(e, key('/v1/approvals', { status: 'pending' }))).toBe(false);
    expect(changedBy(e, key('/v1/macros'))).toBe(false);
  });

  it('a handoff changes the queue; an approval the approvals; a refund the order but no conversation list', () => {
    expect(changedBy(event({ type: 'handoff.created' }), key('/v1/handoffs', { status: 'queued' }))).toBe(true);
    expect(changedBy(event({ type: 'approval.requested' }), key('/v1/approvals', { status: 'pending' }))).toBe(true);
    const refund = event({ type: 'refund.issued', orderId: 'ord_a1b2', conversationId: null });
    expect(changedBy(refund, key('/v1/orders/{ref}', { ref: '#1001' }))).toBe(true);
    expect(changedBy(refund, key('/v1/conversations', {}))).toBe(false);
  });

  it("a waiting run is read again on any event of its customer (it goes on when read after its event); another's is not", () => {
    const returned = event({ type: 'return.refunded', orderId: 'ord_a1b2', conversationId: null });
    const run = (status: string, customerId: string) => ({
      ...key('/v1/sop-runs/{id}', { id: 'run_1' }),
      state: { data: { status, customerId } },
    });
    expect(changedBy(returned, run('waiting', 'cus_a1b2'))).toBe(true);
    expect(changedBy(returned, run('waiting', 'cus_other'))).toBe(false);
    expect(changedBy(returned, run('running', 'cus_a1b2'))).toBe(false);
    expect(changedBy(event({ type: 'sop.step_completed', data: { runId: 'run_1' } }), run('running', 'x'))).toBe(true);
  });

  it('applying a batch refetches only the reads it changed', async () => {
    const qc = new QueryClient();
    qc.setQueryData(['/v1/conversations/{id}', { id: 'cnv_a1b2' }], { n: 1 });
    qc.setQueryData(['/v1/conversations/{id}', { id: 'cnv_other' }], { n: 1 });
    qc.setQueryData(['/v1/macros'], { n: 1 });
    await applyEvents(qc, [event({})]);
    const stale = qc
      .getQueryCache()
      .getAll()
      .filter((q) => q.isStale())
      .map((q) => JSON.stringify(q.queryKey));
    expect(stale).toEqual([JSON.stringify(['/v1/conversations/{id}', { id: 'cnv_a1b2' }])]);
  });
});
