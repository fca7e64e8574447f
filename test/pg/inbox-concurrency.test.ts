/**
 * On PostgreSQL only: resolving a handoff and resolving its conversation at the same moment. Both lock the conversation
 * first and the handoff second, so neither waits on the other in a circle: each call either applies or is refused by
 * the transition table, and never fails with a deadlock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { FixedClock } from '../../src/kernel/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { transferToHuman } from '../../src/app/inbox/transfer-to-human.js';
import { takeHandoff } from '../../src/app/inbox/take-handoff.js';
import { resolveHandoff } from '../../src/app/inbox/resolve-handoff.js';
import { changeConversationStatus } from '../../src/app/inbox/change-conversation-status.js';
import { getHandoff } from '../../src/app/inbox/list-handoffs.js';
import { getConversation } from '../../src/app/inbox/get-conversation.js';
import { isDomainError } from '../../src/kernel/errors.js';

let db: TestDb;
let ctx: AppContext;
const human = { actor: { kind: 'human' as const, id: 'alex' } };

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 8 });
  ctx = { database: db.database, clock: new FixedClock(T0) };
});
afterAll(() => db.drop());

describe('inbox locks on PostgreSQL', () => {
  it('a handoff resolved while its conversation is resolved: no deadlock, both end resolved', async () => {
    const customer = await upsertCustomer(ctx, CustomerInput.parse({ name: 'Ana', emails: ['ana@example.com'] }), {
      actor: { kind: 'system' },
    });
    const faults: unknown[] = [];
    for (let i = 0; i < 40; i++) {
      const h = await transferToHuman(
        ctx,
        { customerId: customer.id, summary: `needs a person ${i}`, customerVerified: true, done: [], refused: [] },
        { actor: { kind: 'ai_agent', id: 'bot' } },
      );
      await takeHandoff(ctx, h.id, human);
      const outcomes = await Promise.allSettled([
        resolveHandoff(ctx, h.id, human),
        changeConversationStatus(ctx, h.conversationId, { status: 'resolved' }, human),
      ]);
      for (const o of outcomes) if (o.status === 'rejected' && !isDomainError(o.reason)) faults.push(o.reason);
      // Whichever came first, the other found its work done (or was refused by the transition table).
      expect((await getHandoff(ctx, h.id)).status).toBe('resolved');
      expect((await getConversation(ctx, h.conversationId)).status).toBe('resolved');
      // The next round hands over again in a fresh conversation.
      await changeConversationStatus(ctx, h.conversationId, { status: 'closed' }, human).catch(() => undefined);
    }
    expect(faults).toEqual([]);
  });
});
