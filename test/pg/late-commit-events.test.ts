/**
 * On PostgreSQL only: a timeline event or a message takes its seq when its transaction writes it, and that transaction
 * can commit after another one with a later seq committed and was read. Every reader that keeps a cursor still finds
 * it once it commits — the wait worker, a wait that began after the later write, the AI agent (the customer's
 * messages, the event its run waits for, a hand-back) — and none reads again what it had already seen, however long
 * another transaction of the database stays open.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAiTurns } from '../../src/agent/status.js';
import type { AppContext } from '../../src/app/context.js';
import { assignConversation } from '../../src/app/inbox/assign-conversation.js';
import { resolveHandoff } from '../../src/app/inbox/resolve-handoff.js';
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
import { CustomerInput } from '../../src/app/ingest/schemas.js';
import { write } from '../../src/app/write.js';
import { rows, type Database, type Tx } from '../../src/db/database.js';
import { checkAiEvents, findConversationsToAnswer, finishAiTurn } from '../../src/db/repo/ai.js';
import { readHorizon, START } from '../../src/db/repo/event-cursor.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { newId } from '../../src/kernel/ids.js';
import { SopEngine } from '../../src/sop/engine.js';
import { advanceWaits } from '../../src/sop/wait-worker.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { invokeTool } from '../../src/tools/invoke.js';
import { agentHarness, type AgentHarness } from '../support/ai-agent.js';
import {
  aliceChecksTheParcel,
  alice,
  DAMAGED_PARCEL_SOP,
  handBackToTheAi,
  handOverDamagedParcel,
  theReturnId,
  untilTheReturnIsReceived,
} from '../support/ai-agent-flows.js';
import { openTestDatabase, T0, type TestDb } from '../support/db.js';
import { fakeCatalogue, library } from '../support/sop-fakes.js';

/** Several model round trips through HTTP and a database per test: slow on a busy machine. */
const SLOW = 300_000;

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

const system = { actor: { kind: 'system' as const } };

/**
 * Runs `change` with a database whose transactions, once `change` wrote in them, stay open until `commit`: its rows
 * have their seqs and are not seen by anyone else. Resolves when it has written. Its transactions are drizzle's own,
 * not pipelined: what a write sends with its commit (the journal: its events) is sent before the hold.
 */
async function held<T>(ctx: AppContext, change: (ctx: AppContext) => Promise<T>) {
  let written!: () => void;
  let release!: () => void;
  const inTx = new Promise<void>((resolve) => (written = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  const database: Database = {
    ...ctx.database,
    transaction: (fn) =>
      ctx.database.db.transaction(async (tx) => {
        const r = await fn(tx);
        written();
        await gate;
        return r;
      }),
  };
  const done = change({ ...ctx, database });
  await Promise.race([inTx, done]);
  return {
    async commit(): Promise<T> {
      release();
      return done;
    },
  };
}

/** A transaction of this database that has a transaction id and stays open until `commit`. */
async function openTransaction(database: Database) {
  return held({ database } as AppContext, (c) =>
    c.database.transaction(async (tx: Tx) => {
      await tx.execute(sql`select pg_current_xact_id()`);
    }),
  );
}

/** The last seq the timeline handed out, committed or not. */
async function lastTakenSeq(ctx: AppContext): Promise<number> {
  const [r] = await rows<{ seq: number }>(
    ctx.database.db,
    sql`select last_value::float8 as seq from timeline_events_seq_seq`,
  );
  return r!.seq;
}

describe('the SOP waits: an event that commits after one with a later seq', () => {
  let db: TestDb;
  let ctx: AppContext;
  let engine: SopEngine;

  beforeAll(async () => {
    db = await openTestDatabase({ poolSize: 4 });
    ctx = { database: db.database, clock: new FixedClock(T0) };
    engine = new SopEngine({ ctx, catalogue: fakeCatalogue().catalogue, library: library(DECLINE_WAIT) });
  });
  afterAll(() => db.drop());

  async function customer(name: string, email: string): Promise<string> {
    return (await upsertCustomer(ctx, CustomerInput.parse({ name, emails: [email] }), system)).id;
  }

  const declined = (customerId: string, returnId: string) => (c: AppContext) =>
    write(c, 'test', null, system, ({ record }) =>
      record({
        type: 'return.declined',
        customerId,
        data: { returnId, trackingId: 'RT-1', from: 'requested', to: 'declined', reason: 'worn' },
      }),
    );

  it('the wait worker finds it, after its last pass looked past its seq', async () => {
    const customerId = await customer('Ana Wait', 'ana@example.com');
    const other = await customer('Ola Other', 'ola@example.com');
    const run = await engine.start({ sopId: 'decline-wait', inputs: { customerId, returnId: 'ret_a' } }, system);
    const first = await advanceWaits(engine, { after: START, leaveToAi: false });

    const decline = await held(ctx, declined(customerId, 'ret_a'));
    const heldSeq = await lastTakenSeq(ctx);
    await declined(other, 'ret_other')(ctx);
    const before = await advanceWaits(engine, { after: first.checked, leaveToAi: false });
    expect(before.checked.seq).toBeGreaterThan(heldSeq);
    expect(before.advanced).not.toContain(run.id);
    await decline.commit();

    const after = await advanceWaits(engine, { after: before.checked, leaveToAi: false });
    expect(after.advanced).toEqual([run.id]);
    expect((await engine.view(run.id)).status).toBe('completed');
    // Looked at once: the next pass finds nothing more.
    expect((await advanceWaits(engine, { after: after.checked, leaveToAi: false })).advanced).toEqual([]);
  });

  it('a wait that began after the later event finds it', async () => {
    const customerId = await customer('Bo Wait', 'bo@example.com');
    const other = await customer('Pia Other', 'pia@example.com');
    const decline = await held(ctx, declined(customerId, 'ret_b'));
    await declined(other, 'ret_other')(ctx);
    const run = await engine.start({ sopId: 'decline-wait', inputs: { customerId, returnId: 'ret_b' } }, system);
    expect(run.status).toBe('waiting');
    expect(run.current?.stepId).toBe('received');
    await decline.commit();

    expect((await engine.view(run.id)).status).toBe('completed');
  });

  it('a wait does not take an event it had seen when it began for a new one', async () => {
    const customerId = await customer('Cy Wait', 'cy@example.com');
    const open = await openTransaction(db.database);
    try {
      // Committed while another transaction is open: at or above the wait's horizon, and seen when the wait began.
      await declined(customerId, 'ret_c')(ctx);
      const run = await engine.start({ sopId: 'decline-wait', inputs: { customerId, returnId: 'ret_c' } }, system);
      expect(run.status).toBe('waiting');
      expect((await engine.view(run.id)).status).toBe('waiting');
      expect((await advanceWaits(engine, { after: START, leaveToAi: false })).advanced).not.toContain(run.id);
    } finally {
      await open.commit();
    }
  });
});

describe('the AI agent: a message or event that commits after one with a later seq', () => {
  let h: AgentHarness;
  afterEach(async () => h?.close());

  const staff = { role: 'admin' as const, actor: { kind: 'human' as const, id: 'staff' } };

  it(
    'answers a customer message that committed after a later one it read',
    async () => {
      h = await agentHarness();
      const conversationId = await h.write('Hello');
      // A message written without the conversation's lock, in a transaction that stays open: its seq is taken.
      const late = await held(h.ctx, (c) =>
        c.database.transaction(async (tx: Tx) => {
          await tx.execute(sql`insert into messages (id, conversation_id, kind, author_kind, author_name, body, created_at)
            values (${newId('message')}, ${conversationId}, 'inbound', 'customer', 'Mo', 'My order number is #1001', ${T0})`);
        }),
      );
      h.fake.queue({ tool: 'ask_customer', args: { question: 'What is your order number?' } });
      expect(await h.exchange('Where is my parcel?')).toBe('What is your order number?');
      await late.commit();

      h.fake.queue({ tool: 'ask_customer', args: { question: 'Thanks, and your email?' } });
      expect((await h.turn())?.outcome).toBe('replied');
      expect(h.fake.requests.at(-1)!.text).toContain('My order number is #1001');
      expect((await h.outbound()).at(-1)).toBe('Thanks, and your email?');
      expect(await h.turn()).toBeUndefined();
    },
    SLOW,
  );

  it(
    'goes on with a run whose awaited event committed after a later write a turn had looked past',
    async () => {
      h = await agentHarness();
      const runId = await untilTheReturnIsReceived(h);
      const returnId = await theReturnId(h);

      const decline = await held(h.ctx, (c) =>
        invokeTool(c, TOOLS.find((t) => t.name === 'decline_return')!, { returnId, reason: 'Misuse' }, staff),
      );
      // The customer writes (a later seq), and a turn looks past the held event's seq: the run still waits.
      h.fake.queue({ tool: 'reply_to_customer', args: { text: 'We are waiting for your lamp.' } });
      expect(await h.exchange('Where is my refund??')).toBe('We are waiting for your lamp.');
      expect((await h.deps.engine.view(runId)).status).toBe('waiting');
      await decline.commit();

      const before = (await h.outbound()).length;
      const t = await h.turn();
      expect([t?.outcome, t?.modelCalls]).toEqual(['handed_off', 0]);
      expect((await h.outbound()).slice(before).join('\n')).toContain('We could not accept your return RT-');
      expect(await h.turn()).toBeUndefined();
    },
    SLOW,
  );
});

describe('the AI agent and a hand-back', () => {
  let h: AgentHarness;
  afterEach(async () => h?.close());

  /** The run hands over at `inspect`; a person takes the handoff and does `checked`: the handoff's id and the run's. */
  async function handedOver(): Promise<{ handoffId: string; runId: string }> {
    h = await agentHarness({ sops: [DAMAGED_PARCEL_SOP] });
    const ids = await handOverDamagedParcel(h);
    await aliceChecksTheParcel(h, ids, true);
    return ids;
  }

  it(
    'takes exactly one turn after a hand-back while another transaction of the database stays open',
    async () => {
      const { handoffId } = await handedOver();
      const open = await openTransaction(h.ctx.database);
      try {
        await handBackToTheAi(h, handoffId);
        const calls = h.fake.requests.length;
        expect((await h.turn())?.outcome).toBe('replied');
        expect((await h.outbound()).at(-1)).toBe('Would you like a replacement or a refund?');
        expect(h.fake.requests.length).toBe(calls);
        // What the turn saw — the hand-back, the customer's messages — is not the next turn's.
        expect(await findConversationsToAnswer(h.ctx.database.db, h.ctx.clock.now(), [], 10)).toEqual([]);
        expect(await h.turn()).toBeUndefined();
        expect((await listAiTurns(h.ctx, h.conversationId())).turns.map((t) => t.outcome)).toEqual([
          'replied',
          'handed_off',
          'replied',
        ]);
      } finally {
        await open.commit();
      }
      expect(await h.turn()).toBeUndefined();
    },
    SLOW,
  );

  it(
    'goes on after a hand-back that committed after a turn in flight had looked past its seq',
    async () => {
      const { handoffId, runId } = await handedOver();
      const db = h.ctx.database.db;
      const conversationId = h.conversationId();
      // A turn claimed before the handoff opened is still in flight: it holds the lease and looks at the timeline
      // (as `runTurn` does) while the hand-back is written but not committed, after a later event committed.
      await db.execute(sql`update ai_conversations set lease_owner = 'in-flight',
        leased_until = ${new Date(Date.parse(T0) + 86_400_000).toISOString()} where conversation_id = ${conversationId}`);
      const handBack = await held(h.ctx, (c) => resolveHandoff(c, handoffId, alice));
      await upsertCustomer(h.ctx, CustomerInput.parse({ name: 'Ola Other', emails: ['ola@example.com'] }), system);
      const looked = await checkAiEvents(db, conversationId, runId, await readHorizon(db));
      expect(looked.seq).toBeGreaterThan(0);
      await finishAiTurn(db, conversationId, 'in-flight', h.ctx.clock.now(), { checkedEvents: looked });
      await handBack.commit();
      await assignConversation(h.ctx, conversationId, { assignee: 'ai_agent' }, alice);

      expect(await findConversationsToAnswer(db, h.ctx.clock.now(), [], 10)).toEqual([conversationId]);
      expect((await h.turn())?.outcome).toBe('replied');
      expect((await h.outbound()).at(-1)).toBe('Would you like a replacement or a refund?');
      expect(await h.turn()).toBeUndefined();
    },
    SLOW,
  );
});
