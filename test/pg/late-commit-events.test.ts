/**
 * On PostgreSQL only: an event takes its seq when its transaction writes it, and that transaction can commit after one
 * with a later seq. The readers that look at the timeline after a cursor still find such an event once it commits: the
 * wait worker after the seq its last pass looked up to, a wait that began after the later event, and the AI agent after
 * the seq its last turn checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { rows } from '../../src/db/database.js';
import { FixedClock } from '../../src/kernel/clock.js';
import type { AppContext } from '../../src/app/context.js';
import { write } from '../../src/app/write.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { InboundInput } from '../../src/app/inbox/schemas.js';
import { receiveMessage } from '../../src/app/inbox/receive-message.js';
import { claimAiConversation } from '../../src/db/repo/ai.js';
import { writeJournal } from '../../src/db/repo/journal.js';
import { newId } from '../../src/kernel/ids.js';
import { SopEngine } from '../../src/sop/engine.js';
import { advanceWaits } from '../../src/sop/wait-worker.js';
import { fakeCatalogue, library } from '../support/sop-fakes.js';

const DECLINE_WAIT = `---
id: decline-wait
title: Wait for a return
version: 1
appliesWhen: testing
inputs: [customerId, returnId]
customer: inputs.customerId
---

\`\`\`step
id: received
kind: wait
event: return.received
when: event.data.returnId == inputs.returnId
onEvents:
  - event: return.declined
    when: event.data.returnId == inputs.returnId
    end: completed
\`\`\`
`;

let db: TestDb;
let ctx: AppContext;
let engine: SopEngine;

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 4 });
  ctx = { database: db.database, clock: new FixedClock(T0) };
  engine = new SopEngine({ ctx, catalogue: fakeCatalogue().catalogue, library: library(DECLINE_WAIT) });
});
afterAll(async () => {
  await db.drop();
});

const system = { actor: { kind: 'system' as const } };

async function customer(name: string, email: string): Promise<string> {
  return (await upsertCustomer(ctx, CustomerInput.parse({ name, emails: [email] }), system)).id;
}

/** Writes the return's decline in a transaction that stays open until `commit`: its seq is taken, it is not seen. */
async function heldDecline(customerId: string, returnId: string) {
  let journaled!: () => void;
  let commit!: () => void;
  const inJournal = new Promise<void>((resolve) => (journaled = resolve));
  const held = new Promise<void>((resolve) => (commit = resolve));
  const done = db.database.db.transaction(async (tx) => {
    await writeJournal(tx, {
      at: T0,
      events: [
        {
          id: newId('event', Date.parse(T0)),
          customerId,
          orderId: null,
          type: 'return.declined',
          actorKind: 'system',
          actorId: null,
          data: { returnId, trackingId: 'RT-1', from: 'requested', to: 'declined', reason: 'worn' },
          outboxId: newId('outbox', Date.parse(T0)),
          payload: {},
          webhook: null,
        },
      ],
    });
    journaled();
    await held;
  });
  await inJournal;
  return {
    async commit() {
      commit();
      await done;
    },
  };
}

/** Another customer's event, committed at once: a later seq than the held one. */
async function laterEvent(customerId: string) {
  await write(ctx, 'test', null, system, ({ record }) =>
    record({
      type: 'return.declined',
      customerId,
      data: { returnId: 'ret_other', trackingId: 'RT-2', from: 'requested', to: 'declined', reason: 'worn' },
    }),
  );
}

async function latestSeq(): Promise<number> {
  const [r] = await rows<{ seq: number }>(db.database.db, sql`select max(seq)::float8 as seq from timeline_events`);
  return r!.seq;
}

describe('an event that commits after one with a later seq', () => {
  it('the wait worker finds it, after its last pass looked past its seq', async () => {
    const customerId = await customer('Ana Wait', 'ana@example.com');
    const other = await customer('Ola Other', 'ola@example.com');
    const run = await engine.start({ sopId: 'decline-wait', inputs: { customerId, returnId: 'ret_a' } }, system);
    const first = await advanceWaits(engine, { afterSeq: 0, leaveToAi: false });

    const decline = await heldDecline(customerId, 'ret_a');
    await laterEvent(other);
    const before = await advanceWaits(engine, { afterSeq: first.checkedSeq, leaveToAi: false });
    expect(before.advanced).not.toContain(run.id);
    await decline.commit();

    const after = await advanceWaits(engine, { afterSeq: before.checkedSeq, leaveToAi: false });
    expect(after.advanced).toContain(run.id);
    expect((await engine.view(run.id)).status).toBe('completed');
  });

  it('a wait that began after the later event finds it', async () => {
    const customerId = await customer('Bo Wait', 'bo@example.com');
    const other = await customer('Pia Other', 'pia@example.com');
    const decline = await heldDecline(customerId, 'ret_b');
    await laterEvent(other);
    const run = await engine.start({ sopId: 'decline-wait', inputs: { customerId, returnId: 'ret_b' } }, system);
    expect(run.status).toBe('waiting');
    await decline.commit();

    expect((await engine.view(run.id)).status).toBe('completed');
  });

  it('the AI agent gets a turn for it, after its last turn checked past its seq', async () => {
    const customerId = await customer('Cy Chat', 'cy@example.com');
    const other = await customer('Rae Other', 'rae@example.com');
    const conversationId = (
      await receiveMessage(ctx, InboundInput.parse({ customerId, body: 'Where is my refund?' }), system)
    ).id;
    const run = await engine.start({ sopId: 'decline-wait', inputs: { customerId, returnId: 'ret_c' } }, system);
    await db.database.db.execute(sql`update sop_runs set conversation_id = ${conversationId} where id = ${run.id}`);
    // The AI leads the run and has read and said everything so far.
    await db.database.db.execute(sql`insert into ai_conversations (conversation_id, run_id, read_seq, sent_messages, updated_at)
      values (${conversationId}, ${run.id},
        (select max(seq) from messages where conversation_id = ${conversationId}),
        (select jsonb_array_length(state -> 'messages') from sop_runs where id = ${run.id}), ${T0})`);
    const claim = (owner: string) =>
      claimAiConversation(db.database.db, conversationId, owner, ctx.clock.now(), 60_000);

    const decline = await heldDecline(customerId, 'ret_c');
    await laterEvent(other);
    // A turn checks the timeline up to the latest seq, past the held event's.
    await db.database.db.execute(
      sql`update ai_conversations set checked_event_seq = ${await latestSeq()} where conversation_id = ${conversationId}`,
    );
    expect(await claim('before')).toBeUndefined();
    await decline.commit();

    expect(await claim('after')).toMatchObject({ conversationId, runId: run.id });
  });
});
