/** The AI agent's rows: its standing on each conversation (with the turn lease) and the traces of its turns. */
import { type SQL, sql } from 'drizzle-orm';
import { preparedRows, rows, type Executor } from '../database.js';
import type { AwaitingConfirm, Reasks } from '../schema/ai.js';
import { cursorColumns, existsAfter, isAfter, parseSeqs, timelineCursor, type ReadCursor } from './event-cursor.js';
import { eventOfWait, waitCursor } from './sop-runs.js';

export interface AiConversationRecord {
  conversationId: string;
  paused: boolean;
  runId: string | null;
  sentMessages: number;
  awaitingConfirm: AwaitingConfirm | null;
  /** The customer's language (ISO 639-1) as the model last read it; null until known. */
  language: string | null;
  /** Answers given before they were asked, by input name, kept for the run. */
  earlyAnswers: Record<string, unknown> | null;
  /** The step asked again, and how many times. */
  reasks: Reasks | null;
  modelCalls: number;
  tokens: number;
}

const COLUMNS = sql`conversation_id as "conversationId", paused, run_id as "runId",
  sent_messages as "sentMessages", awaiting_confirm as "awaitingConfirm", language,
  early_answers as "earlyAnswers", reasks, model_calls as "modelCalls", tokens`;

export async function findAiConversation(
  ex: Executor,
  conversationId: string,
): Promise<AiConversationRecord | undefined> {
  const [r] = await rows<AiConversationRecord>(
    ex,
    sql`select ${COLUMNS} from ai_conversations where conversation_id = ${conversationId}`,
  );
  return r;
}

/**
 * Whether a conversation has something for a turn: customer messages no turn has read, or the AI's SOP run moved on
 * without the customer — a person handed the conversation back (resolved its handoff since a turn last looked: the
 * AI goes on at once), an approval was decided (the run ended, or said what no turn has sent), or the run waits for
 * an outside event and one of a type it waits for came for its customer since a turn last looked (whether it is the awaited one
 * the run decides, in the turn), or its wait's deadline passed — while no person holds a handoff. `ai` names the
 * conversation's `ai_conversations` row in the surrounding statement. "Since a turn last looked" is after the row's
 * read cursors (src/db/repo/event-cursor.ts): a message or event that commits after a later one was read still counts.
 */
const hasWorkForAi = (conversationId: SQL, ai: SQL, now: SQL) => {
  const [m, e, r] = [sql.raw('m'), sql.raw('e'), sql.raw('r')];
  const checked = cursorColumns(ai, 'checked_event');
  return sql`(${existsAfter(sql`messages m`, m, inbound(conversationId, m), [cursorColumns(ai, 'read')])}
    or (exists (select 1 from sop_runs r where r.id = ${ai}.run_id
        and (r.status in ('completed', 'failed', 'canceled', 'handed_off')
          or jsonb_array_length(r.state -> 'messages') > ${ai}.sent_messages
          or ${existsAfter(sql`timeline_events e`, e, handoffResolved(conversationId, e), [checked])}
          or (r.status = 'waiting' and r.state -> 'wait' ->> 'approvalId' is null
            and ((r.state -> 'wait' ->> 'until')::timestamptz <= ${now}
              or ${existsAfter(sql`timeline_events e`, e, eventOfWait(r, e), [waitCursor(r), checked])}))))
      and not exists (select 1 from handoffs h where h.conversation_id = ${conversationId} and h.status <> 'resolved')))`;
};

const inbound = (conversationId: SQL, m: SQL) =>
  sql`${m}.conversation_id = ${conversationId} and ${m}.kind = 'inbound'`;
const handoffResolved = (conversationId: SQL, e: SQL) =>
  sql`${e}.type = 'handoff.resolved' and ${e}.data ->> 'conversationId' = ${conversationId}`;

/**
 * Takes the conversation's turn lease if it has something for a turn, no turn holds it, and the AI is not paused
 * there: the one-turn-at-a-time lock. A single statement, so two processes claiming at once get it at most once, and
 * one that comes after another's turn finished finds nothing left to do.
 */
export async function claimAiConversation(
  ex: Executor,
  conversationId: string,
  owner: string,
  now: Date,
  leaseMs: number,
): Promise<(AiConversationRecord & { horizon: number }) | undefined> {
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const [r] = await claim(ex, { id: conversationId, owner, now: now.toISOString(), until });
  // The horizon of the turn's read cursors: taken in this statement, which ended before any of the turn's reads.
  return r && { ...r, horizon: Number(r.horizon) };
}

/** Prepared: every turn starts with it, and planning `hasWorkForAi` costs more than running it. */
const claim = preparedRows<
  AiConversationRecord & { horizon: number | string },
  { id: string; owner: string; now: string; until: string }
>('sopdesk_ai_claim', () => {
  const id = sql`${sql.placeholder('id')}::text`;
  const now = sql`${sql.placeholder('now')}::timestamptz`;
  return sql`insert into ai_conversations (conversation_id, leased_until, lease_owner, updated_at)
      select ${id}, ${sql.placeholder('until')}::timestamptz, ${sql.placeholder('owner')}::text, ${now}
      where exists (select 1 from messages m where m.conversation_id = ${id} and m.kind = 'inbound')
      on conflict (conversation_id) do update set leased_until = excluded.leased_until,
        lease_owner = excluded.lease_owner, updated_at = excluded.updated_at
      where not ai_conversations.paused
        and (ai_conversations.leased_until is null or ai_conversations.leased_until < ${now})
        and ${hasWorkForAi(id, sql.raw('ai_conversations'), now)}
      returning ${COLUMNS}, oldest_running_tx() as horizon`;
});

export type AiConversationPatch = Partial<
  Pick<AiConversationRecord, 'runId' | 'sentMessages' | 'awaitingConfirm' | 'language' | 'earlyAnswers' | 'reasks'> & {
    /** The inbound messages the turn read (`readInbound`). */
    read: ReadCursor;
    /** Where the turn looked at the timeline for the conversation (`checkAiEvents`). */
    checkedEvents: ReadCursor;
    spentModelCalls: number;
    spentTokens: number;
  }
>;

/** Saves what a turn changed and gives its lease back (only if this owner still holds it). */
export async function finishAiTurn(
  ex: Executor,
  conversationId: string,
  owner: string,
  now: Date,
  p: AiConversationPatch,
): Promise<void> {
  const set = [
    sql`leased_until = null, lease_owner = null, updated_at = ${now.toISOString()}`,
    ...(p.runId !== undefined ? [sql`run_id = ${p.runId}`] : []),
    ...(p.read ? [cursorSet('read', p.read)] : []),
    ...(p.sentMessages !== undefined ? [sql`sent_messages = ${p.sentMessages}`] : []),
    ...(p.awaitingConfirm !== undefined
      ? [sql`awaiting_confirm = ${p.awaitingConfirm === null ? null : JSON.stringify(p.awaitingConfirm)}::jsonb`]
      : []),
    ...(p.checkedEvents ? [cursorSet('checked_event', p.checkedEvents)] : []),
    ...(p.language !== undefined ? [sql`language = ${p.language}`] : []),
    ...(p.earlyAnswers !== undefined ? [sql`early_answers = ${jsonOrNull(p.earlyAnswers)}::jsonb`] : []),
    ...(p.reasks !== undefined ? [sql`reasks = ${jsonOrNull(p.reasks)}::jsonb`] : []),
    ...(p.spentModelCalls ? [sql`model_calls = model_calls + ${p.spentModelCalls}`] : []),
    ...(p.spentTokens ? [sql`tokens = tokens + ${p.spentTokens}`] : []),
  ];
  await ex.execute(
    sql`update ai_conversations set ${sql.join(set, sql`, `)}
      where conversation_id = ${conversationId} and lease_owner = ${owner}`,
  );
}

const jsonOrNull = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** Stores a read cursor in its three columns. */
const cursorSet = (prefix: string, c: ReadCursor) =>
  sql`${sql.identifier(`${prefix}_seq`)} = ${c.seq}, ${sql.identifier(`${prefix}_horizon`)} = ${c.horizon},
    ${sql.identifier(`${prefix}_seen`)} = ${`{${c.seen.join(',')}}`}::bigint[]`;

/** Pauses or resumes the AI on a conversation. */
export async function setAiPaused(ex: Executor, conversationId: string, paused: boolean, now: Date): Promise<void> {
  await ex.execute(
    sql`insert into ai_conversations (conversation_id, paused, updated_at) values (${conversationId}, ${paused}, ${now.toISOString()})
      on conflict (conversation_id) do update set paused = excluded.paused, updated_at = excluded.updated_at`,
  );
}

export interface AiStanding {
  assigneeKind: string | null;
  channel: string;
  status: string;
  paused: boolean;
  openHandoff: boolean;
  humanReplied: boolean;
}

/** What decides whether the AI may act on a conversation now; read again before every action of a turn. */
export async function findAiStanding(ex: Executor, conversationId: string): Promise<AiStanding | undefined> {
  const [r] = await rows<AiStanding>(
    ex,
    sql`select c.assignee_kind as "assigneeKind", c.channel, c.status,
        coalesce((select paused from ai_conversations a where a.conversation_id = c.id), false) as paused,
        exists (select 1 from handoffs h where h.conversation_id = c.id and h.status <> 'resolved') as "openHandoff",
        exists (select 1 from messages m where m.conversation_id = c.id and m.author_kind = 'human' and m.kind = 'outbound') as "humanReplied"
      from conversations c where c.id = ${conversationId}`,
  );
  return r;
}

/**
 * Conversations with something for a turn (`hasWorkForAi`: customer messages no turn has read, or the AI's SOP run
 * moved on without the customer — handed back, ended, said something, its awaited event came) — that the AI answers
 * (assigned to it, or unassigned on a channel opted in), not paused, not waiting for a person, and not held by a
 * turn. The run's side is read from the run itself, so a decision made by any process is noticed by the next pass.
 */
export async function findConversationsToAnswer(
  ex: Executor,
  now: Date,
  channels: readonly string[],
  limit: number,
): Promise<string[]> {
  const opted = channels.length
    ? sql`or (c.assignee_kind is null and c.channel in (${sql.join(
        channels.map((ch) => sql`${ch}`),
        sql`, `,
      )}) and not exists (select 1 from messages hm where hm.conversation_id = c.id and hm.author_kind = 'human'))`
    : sql``;
  const r = await rows<{ id: string }>(
    ex,
    sql`select c.id from conversations c
      left join ai_conversations a on a.conversation_id = c.id
      where (c.assignee_kind = 'ai_agent' ${opted})
        and c.status not in ('closed', 'waiting_for_human')
        and not coalesce(a.paused, false)
        and (a.leased_until is null or a.leased_until < ${now.toISOString()})
        and ${hasWorkForAi(sql.raw('c.id'), sql.raw('a'), sql`${now.toISOString()}::timestamptz`)}
      order by c.last_activity_at limit ${limit}`,
  );
  return r.map((x) => x.id);
}

export interface InboundMessage {
  id: string;
  seq: number;
  body: string;
}

/**
 * The customer's messages no turn has read (after the conversation's read cursor), oldest first, and the read cursor
 * that covers them and every message read before — in one statement, so a message is either among them or after the
 * new cursor. `horizon`: this database's oldest running transaction, taken before this statement (by the claim).
 */
export async function readInbound(
  ex: Executor,
  conversationId: string,
  horizon: number,
): Promise<{ messages: InboundMessage[]; cursor: ReadCursor }> {
  const id = sql`${conversationId}`;
  const r = await rows<{
    cursorSeq: number | string;
    cursorSeen: (number | string)[] | string | null;
    id: string | null;
    seq: number | null;
    body: string | null;
  }>(
    ex,
    sql`select l.seq::float8 as "cursorSeq",
        array(select x.seq from messages x where ${inbound(id, sql.raw('x'))} and x.tx >= ${horizon}::bigint
          and x.seq <= l.seq order by x.seq)::float8[] as "cursorSeen",
        u.id, u.seq::float8 as seq, u.body
      from (select coalesce(max(seq), 0) as seq from messages where ${inbound(id, sql.raw('messages'))}) l
      left join lateral (select m.id, m.seq, m.body from messages m
        join ai_conversations a on a.conversation_id = ${id}
        where ${inbound(id, sql.raw('m'))} and ${isAfter(sql.raw('m'), cursorColumns(sql.raw('a'), 'read'))}) u on true
      order by u.seq`,
  );
  const head = r[0]!;
  return {
    messages: r.flatMap((x) => (x.id === null ? [] : [{ id: x.id, seq: Number(x.seq), body: x.body! }])),
    cursor: { seq: Number(head.cursorSeq), horizon, seen: parseSeqs(head.cursorSeen) },
  };
}

/**
 * Where a turn looks at the timeline for the conversation, taken before the run looks for the event it waits for:
 * the events `hasWorkForAi` asks about (the conversation's `handoff.resolved`, those the run's wait looks at) that
 * the turn saw are behind it; one that commits later, whatever its seq, is after it and gives the next turn.
 */
export async function checkAiEvents(
  ex: Executor,
  conversationId: string,
  runId: string | null,
  horizon: number,
): Promise<ReadCursor> {
  const e = sql.raw('e');
  return timelineCursor(
    ex,
    horizon,
    sql`(${handoffResolved(sql`${conversationId}`, e)}
      or exists (select 1 from sop_runs r where r.id = ${runId} and ${eventOfWait(sql.raw('r'), e)}))`,
  );
}

export interface AiTurnRecord {
  id: string;
  conversationId: string;
  runId: string | null;
  outcome: string;
  stepBefore: string | null;
  stepAfter: string | null;
  messageIds: string[];
  modelCalls: number;
  tokens: number;
  durationMs: number;
  trace: unknown[];
  startedAt: string;
  finishedAt: string;
}

export async function insertAiTurn(ex: Executor, t: AiTurnRecord): Promise<void> {
  await ex.execute(
    sql`insert into ai_turns (id, conversation_id, run_id, outcome, step_before, step_after, message_ids, model_calls,
        tokens, duration_ms, trace, started_at, finished_at)
      values (${t.id}, ${t.conversationId}, ${t.runId}, ${t.outcome}, ${t.stepBefore}, ${t.stepAfter},
        ${JSON.stringify(t.messageIds)}::jsonb, ${t.modelCalls}, ${t.tokens}, ${t.durationMs},
        ${JSON.stringify(t.trace)}::jsonb, ${t.startedAt}, ${t.finishedAt})`,
  );
}

/** A conversation's turns, newest first. */
export async function findAiTurns(ex: Executor, conversationId: string, limit: number): Promise<AiTurnRecord[]> {
  return rows<AiTurnRecord>(
    ex,
    sql`select id, conversation_id as "conversationId", run_id as "runId", outcome, step_before as "stepBefore",
        step_after as "stepAfter", message_ids as "messageIds", model_calls as "modelCalls", tokens,
        duration_ms as "durationMs", trace,
        to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startedAt",
        to_char(finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "finishedAt"
      from ai_turns where conversation_id = ${conversationId} order by seq desc limit ${limit}`,
  );
}

/** The id of the conversation's newest outbound message (the reply just sent). */
export async function findLatestOutboundId(ex: Executor, conversationId: string): Promise<string | undefined> {
  const [r] = await rows<{ id: string }>(
    ex,
    sql`select id from messages where conversation_id = ${conversationId} and kind = 'outbound' order by seq desc limit 1`,
  );
  return r?.id;
}

/**
 * What people wrote to the customer since the AI last did (a handoff's time with a person): the bodies of the
 * outbound messages people wrote after the AI's newest one, oldest first.
 */
export async function findPeopleRepliesSinceAi(ex: Executor, conversationId: string): Promise<string[]> {
  const r = await rows<{ body: string }>(
    ex,
    sql`select body from messages
      where conversation_id = ${conversationId} and kind = 'outbound' and author_kind = 'human'
        and seq > coalesce((select max(seq) from messages where conversation_id = ${conversationId}
                              and kind = 'outbound' and author_kind = 'ai_agent'), 0)
      order by seq`,
  );
  return r.map((x) => x.body);
}
