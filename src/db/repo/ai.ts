/** The AI agent's rows: its standing on each conversation (with the turn lease) and the traces of its turns. */
import { type SQL, sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import type { AwaitingConfirm, Reasks } from '../schema/ai.js';
import { eventForWait } from './sop-runs.js';

export interface AiConversationRecord {
  conversationId: string;
  paused: boolean;
  runId: string | null;
  readSeq: number;
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

const COLUMNS = sql`conversation_id as "conversationId", paused, run_id as "runId", read_seq::float8 as "readSeq",
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
 * conversation's `ai_conversations` row in the surrounding statement.
 */
const hasWorkForAi = (conversationId: SQL, ai: SQL, now: Date) => sql`(exists (select 1 from messages m
      where m.conversation_id = ${conversationId} and m.kind = 'inbound' and m.seq > coalesce(${ai}.read_seq, 0))
    or (exists (select 1 from sop_runs r where r.id = ${ai}.run_id
        and (r.status in ('completed', 'failed', 'canceled', 'handed_off')
          or jsonb_array_length(r.state -> 'messages') > ${ai}.sent_messages
          or exists (select 1 from timeline_events e where e.type = 'handoff.resolved'
            and e.data ->> 'conversationId' = ${conversationId} and e.seq > ${ai}.checked_event_seq)
          or (r.status = 'waiting' and r.state -> 'wait' ->> 'approvalId' is null
            and ((r.state -> 'wait' ->> 'until')::timestamptz <= ${now.toISOString()}::timestamptz
              or exists (select 1 from timeline_events e where ${eventForWait(sql.raw('r'), sql.raw('e'))}
                and e.seq > ${ai}.checked_event_seq)))))
      and not exists (select 1 from handoffs h where h.conversation_id = ${conversationId} and h.status <> 'resolved')))`;

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
): Promise<AiConversationRecord | undefined> {
  const until = new Date(now.getTime() + leaseMs).toISOString();
  const id = sql`${conversationId}`;
  const [r] = await rows<AiConversationRecord>(
    ex,
    sql`insert into ai_conversations (conversation_id, leased_until, lease_owner, updated_at)
      select ${conversationId}, ${until}::timestamptz, ${owner}, ${now.toISOString()}::timestamptz
      where exists (select 1 from messages m where m.conversation_id = ${conversationId} and m.kind = 'inbound')
      on conflict (conversation_id) do update set leased_until = excluded.leased_until,
        lease_owner = excluded.lease_owner, updated_at = excluded.updated_at
      where not ai_conversations.paused
        and (ai_conversations.leased_until is null or ai_conversations.leased_until < ${now.toISOString()})
        and ${hasWorkForAi(id, sql.raw('ai_conversations'), now)}
      returning ${COLUMNS}`,
  );
  return r;
}

export type AiConversationPatch = Partial<
  Pick<
    AiConversationRecord,
    'runId' | 'readSeq' | 'sentMessages' | 'awaitingConfirm' | 'language' | 'earlyAnswers' | 'reasks'
  > & {
    /** The timeline seq up to which the turn looked at the run's wait. */
    checkedEventSeq: number;
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
    ...(p.readSeq !== undefined ? [sql`read_seq = greatest(read_seq, ${p.readSeq})`] : []),
    ...(p.sentMessages !== undefined ? [sql`sent_messages = ${p.sentMessages}`] : []),
    ...(p.awaitingConfirm !== undefined
      ? [sql`awaiting_confirm = ${p.awaitingConfirm === null ? null : JSON.stringify(p.awaitingConfirm)}::jsonb`]
      : []),
    ...(p.checkedEventSeq !== undefined
      ? [sql`checked_event_seq = greatest(checked_event_seq, ${p.checkedEventSeq})`]
      : []),
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
        and ${hasWorkForAi(sql.raw('c.id'), sql.raw('a'), now)}
      order by c.last_activity_at limit ${limit}`,
  );
  return r.map((x) => x.id);
}

export interface InboundMessage {
  id: string;
  seq: number;
  body: string;
}

/** The customer's messages after `seq`, oldest first. */
export async function findInboundSince(ex: Executor, conversationId: string, seq: number): Promise<InboundMessage[]> {
  return rows<InboundMessage>(
    ex,
    sql`select id, seq::float8 as seq, body from messages
      where conversation_id = ${conversationId} and kind = 'inbound' and seq > ${seq} order by seq`,
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
