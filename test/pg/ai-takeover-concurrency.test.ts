/**
 * On PostgreSQL only: a person takes the AI's conversation at the very moment the AI acts on it — changes the order's
 * address and replies. Each AI write checks, in its own transaction and under the conversation's lock, that the AI
 * still has the conversation; the takeover takes the same lock. So every AI write either committed before the takeover
 * (its event comes first) or was refused (`not_in_charge`) and changed nothing — and no round deadlocks.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiPrecondition, AI_ACTOR } from '../../src/agent/turn.js';
import type { AppContext } from '../../src/app/context.js';
import { assignConversation } from '../../src/app/inbox/assign-conversation.js';
import { createConversation } from '../../src/app/inbox/create-conversation.js';
import { CreateConversationInput } from '../../src/app/inbox/schemas.js';
import { sendReply } from '../../src/app/inbox/send-reply.js';
import { isNotInCharge } from '../../src/app/write.js';
import { rows } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { runTool, type Caller } from '../../src/tools/invoke.js';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { makeCustomer, makeOrder, makeProducts, SYS } from '../support/orders.js';

let db: TestDb;
let ctx: AppContext;
const alice = { actor: { kind: 'human' as const, id: 'alice' } };

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 8 });
  ctx = { database: db.database, clock: new FixedClock(T0) };
});
afterAll(() => db.drop());

const ROUNDS = 30;

describe('a takeover racing the AI on PostgreSQL', () => {
  it('every AI write commits before the takeover or not at all, and nothing deadlocks', async () => {
    await makeProducts(ctx);
    const store = await makeCustomer(ctx);
    const order = await makeOrder(ctx, store, { lines: [{ sku: 'LAMP', quantity: 1 }], payment: 'none' });
    const conversation = await createConversation(
      ctx,
      CreateConversationInput.parse({
        customerId: store.customerId,
        channel: 'chat',
        subject: 'Where does my lamp go?',
        body: 'Please change it',
      }),
      SYS,
    );
    const caller: Caller = {
      role: 'ai_agent',
      actor: AI_ACTOR,
      customerId: store.customerId,
      precondition: aiPrecondition(conversation.id, []),
    };
    const tool = TOOLS.find((t) => t.name === 'modify_pending_order_address')!;
    const outcomes = { before: 0, refused: 0 };
    const faults: unknown[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await assignConversation(ctx, conversation.id, { assignee: 'ai_agent' }, SYS);
      const [{ seq: from } = { seq: 0 }] = await rows<{ seq: number }>(
        ctx.database.db,
        sql`select coalesce(max(seq), 0)::int as seq from timeline_events`,
      );
      const address = { line1: `${i} Market St`, city: 'Melbourne', zip: '3000', country: 'AU' };
      const settled = await Promise.allSettled([
        runTool(ctx, tool, { orderId: order.id, address }, caller, `round-${i}-address`),
        sendReply(
          ctx,
          conversation.id,
          { body: `Round ${i}: done.` },
          { actor: AI_ACTOR, precondition: caller.precondition },
        ),
        assignConversation(ctx, conversation.id, { assignee: 'alice' }, alice),
      ]);
      for (const s of settled) if (s.status === 'rejected' && !isNotInCharge(s.reason)) faults.push(s.reason);
      const events = await rows<{ seq: number; type: string; actor_kind: string; data: { assignee?: string } }>(
        ctx.database.db,
        sql`select seq::int, type, actor_kind, data from timeline_events where seq > ${from} order by seq`,
      );
      const takeover = events.find((e) => e.type === 'conversation.assigned' && e.actor_kind === 'human')!;
      expect(takeover).toBeDefined();
      const ai = events.filter((e) => e.actor_kind === 'ai_agent');
      // What the AI did came before the takeover; what it did not do left no trace.
      for (const e of ai) expect(e.seq).toBeLessThan(takeover.seq);
      const [address0, reply] = settled;
      expect(address0.status === 'fulfilled').toBe(ai.some((e) => e.type === 'order.address_changed'));
      expect(reply.status === 'fulfilled').toBe(ai.some((e) => e.type === 'message.sent'));
      const [shipping] = await rows<{ line1: string }>(
        ctx.database.db,
        sql`select shipping_address->>'line1' as line1 from orders where id = ${order.id}`,
      );
      if (address0.status === 'fulfilled') expect(shipping?.line1).toBe(address.line1);
      else expect(shipping?.line1).not.toBe(address.line1);
      for (const s of [address0, reply]) outcomes[s.status === 'fulfilled' ? 'before' : 'refused']++;
    }
    expect(faults).toEqual([]);
    // Both sides of the race happened: writes that came first, and writes the takeover stopped.
    console.log(`ai takeover race: ${outcomes.before} AI writes before the takeover, ${outcomes.refused} refused`);
    expect(outcomes.before + outcomes.refused).toBe(2 * ROUNDS);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
