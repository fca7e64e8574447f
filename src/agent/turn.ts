/**
 * One AI turn on one conversation: read the customer's new messages, and let the SOP runner lead — pick the
 * procedure, then at each step do only what that step allows (ask, put a preview and wait for a yes, hand over),
 * until the run needs the customer again. The model fills only the gaps language needs; steps that need none
 * (say, check, branch, read-only tools) run without it. A turn holds its conversation's lease (one at a time) and
 * checks before every step that the AI still has the conversation, and again inside the transaction of each of its
 * writes: a person taking it or pausing the AI stops the turn there.
 */
import type { LanguageModel } from 'ai';
import type { AppContext } from '../app/context.js';
import type { Tx } from '../db/database.js';
import { findConversation, lockConversation, type ConversationRecord } from '../db/repo/inbox.js';
import { loadSopRun } from '../app/sop/load-sop-run.js';
import {
  checkAiEvents,
  claimAiConversation,
  findAiStanding,
  findLatestOutboundId,
  findPeopleRepliesSinceAi,
  finishAiTurn,
  insertAiTurn,
  type AiConversationPatch,
  type AiConversationRecord,
  type AiStanding,
  type InboundMessage,
  readInbound,
} from '../db/repo/ai.js';
import type { AwaitingConfirm, Reasks } from '../db/schema/ai.js';
import type { Actor } from '../domain/timeline.js';
import { isDomainError } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { sendReply } from '../app/inbox/send-reply.js';
import { isNotInCharge, notInCharge } from '../app/write.js';
import type { SopEngine } from '../sop/engine.js';
import type { StepOf } from '../sop/format.js';
import { APPROVAL_EVENT } from '../sop/step-kinds.js';
import type { SopRunView } from '../sop/view.js';
import { invokeTool, type Caller } from '../tools/invoke.js';
import type { AiBudgets } from './config.js';
import { decide, ModelGaveUp, type DecideDeps, type Spend } from './decide.js';
import {
  chooseSopPrompt,
  confirmationPrompt,
  extractPrompt,
  NEEDS_CONTEXT,
  phrasePrompt,
  previewPrompt,
  waitingPrompt,
} from './prompts.js';
import type { TraceEntry } from './trace.js';

export const AI_ACTOR: Actor = { kind: 'ai_agent', id: 'ai_agent' };

export interface AgentDeps {
  ctx: AppContext;
  engine: SopEngine;
  model: LanguageModel;
  budgets: AiBudgets;
  /** Channels whose unassigned new conversations the AI answers. */
  channels: readonly string[];
  /** Channels that verified who writes: the procedure's identity questions are answered from the conversation. */
  verifiedChannels: readonly string[];
  /** Who holds a turn's lease (a process); default one per process. */
  owner?: string;
  sleep?: (ms: number) => Promise<void>;
}

export interface TurnResult {
  turnId: string;
  outcome: 'replied' | 'waiting' | 'handed_off' | 'stopped' | 'completed';
  modelCalls: number;
  /** sopdesk's own time: the turn's wall time less the time spent waiting for the model. */
  ownMs: number;
}

const PROCESS_OWNER = `ai-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const MAX_STEPS_PER_TURN = 40;

class Stopped extends Error {}

const FINAL = new Set(['completed', 'failed', 'canceled', 'handed_off']);
const HANDED_OVER = 'I have passed your conversation to a colleague, who will reply here as soon as possible.';
const BEING_REVIEWED =
  'Your request needs a colleague to approve it; it is being reviewed, and we will tell you here as soon as it is.';
const STILL_BEING_REVIEWED =
  'Your request is still being reviewed by a colleague; we will tell you here as soon as it is decided.';
const CONFIRM_QUESTION = 'Reply "yes" to go ahead, or "no" to leave things as they are.';
const NOT_CHANGED = 'All right, I have not changed anything. Is there anything else I can help with?';
/** The language of the agent's own fixed sentences above. */
const AGENT_LANGUAGE = 'en';

/**
 * A text for the customer. `lang` is set for the store's own texts — an SOP question, a fixed sentence — written in
 * that language: they are put to the customer in theirs. Without it the text goes as it is (the model's own texts,
 * already in the customer's language; what the run says, disclosures word for word).
 */
interface Outgoing {
  text: string;
  lang?: string;
}

/** Runs a turn on the conversation if it has unread customer messages and no other turn holds it. */
export async function runTurn(deps: AgentDeps, conversationId: string): Promise<TurnResult | undefined> {
  const { ctx } = deps;
  const db = ctx.database.db;
  const owner = deps.owner ?? PROCESS_OWNER;
  const started = ctx.clock.now();
  const claimed = await claimAiConversation(db, conversationId, owner, started, deps.budgets.turnMs + 60_000);
  if (!claimed) return undefined;
  const t0 = performance.now();
  const { messages: unread, cursor: read } = await readInbound(db, conversationId, claimed.horizon);
  const turn = new Turn(deps, conversationId, unread, claimed);
  try {
    await turn.run();
  } catch (e) {
    // A write refused in its own transaction: a person took the conversation after the turn's last check.
    if (isNotInCharge(e)) turn.stopped(String(e.details.why));
    else if (!(e instanceof Stopped)) await turn.fail(e);
  }
  const patch: AiConversationPatch = {
    ...turn.patch,
    read,
    earlyAnswers: turn.earlyAnswers(),
    spentModelCalls: turn.spend.modelCalls,
    spentTokens: turn.spend.tokens,
  };
  await finishAiTurn(db, conversationId, owner, ctx.clock.now(), patch);
  const durationMs = Math.round(performance.now() - t0);
  const turnId = newId('aiTurn', started.getTime());
  await insertAiTurn(db, {
    id: turnId,
    conversationId,
    runId: turn.runId,
    outcome: turn.outcome,
    stepBefore: turn.stepBefore,
    stepAfter: turn.stepAfter,
    messageIds: unread.map((m) => m.id),
    modelCalls: turn.spend.modelCalls,
    tokens: turn.spend.tokens,
    durationMs,
    trace: turn.trace,
    startedAt: started.toISOString(),
    finishedAt: ctx.clock.now().toISOString(),
  });
  const modelMs = turn.trace.reduce((s, e) => s + (e.type === 'model_call' ? e.latencyMs : 0), 0);
  return {
    turnId,
    outcome: turn.outcome,
    modelCalls: turn.spend.modelCalls,
    ownMs: Math.max(0, durationMs - modelMs),
  };
}

class Turn {
  readonly trace: TraceEntry[] = [];
  readonly spend: Spend;
  readonly patch: AiConversationPatch = {};
  outcome: TurnResult['outcome'] = 'waiting';
  runId: string | null;
  stepBefore: string | null = null;
  stepAfter: string | null = null;
  private conv!: ConversationRecord;
  private outgoing: Outgoing[] = [];
  private pending: InboundMessage[];
  /** Everything the customer wrote that this turn read (the tone the store's texts are put in). */
  private read: string[] = [];
  /** The customer's language as the model last read it (ISO 639-1); null until known. */
  private language: string | null;
  /**
   * Answers the customer gave before they were asked (one message answering several questions), by input name, kept
   * for the run across turns (`ai_conversations.early_answers`): each is submitted when the run reaches its ask step,
   * validated by that step like any answer. For a question whose answer needs a list (order lines, products), the
   * customer's words, read when it is reached.
   */
  private early: Map<string, unknown>;
  /** The step whose question was asked again, and how many times (the re-ask limit, per step). */
  private reasks: Reasks | null;
  /** The run's last handoff this turn knows of: a new one means the SOP handed over and went on (`next`). */
  private seenHandoff: string | undefined;
  /** The model gave up in this turn: the store's texts go as written. */
  private modelDown = false;
  private sent: number;
  private awaiting: AwaitingConfirm | null;
  /** What people wrote to the customer since the AI last did, compared by `sameWords`. */
  private saidByPeople: string[] = [];
  private handedOff = false;
  private readonly lastSeq: number;
  private readonly decideDeps: DecideDeps;
  private readonly caller: Caller & { customerId?: string };

  /** This database's oldest running transaction before the turn read anything (its read cursors' horizon). */
  private readonly horizon: number;

  constructor(
    private readonly deps: AgentDeps,
    private readonly conversationId: string,
    unread: InboundMessage[],
    state: AiConversationRecord & { horizon: number },
  ) {
    this.horizon = state.horizon;
    this.language = state.language;
    this.early = new Map(Object.entries(state.earlyAnswers ?? {}));
    this.reasks = state.reasks;
    this.pending = unread;
    this.lastSeq = unread.at(-1)?.seq ?? 0;
    this.runId = state.runId;
    this.sent = state.sentMessages;
    this.awaiting = state.awaitingConfirm;
    this.spend = {
      modelCalls: 0,
      tokens: 0,
      startedAt: performance.now(),
      conversationModelCalls: state.modelCalls,
      conversationTokens: state.tokens,
    };
    this.decideDeps = {
      model: deps.model,
      budgets: deps.budgets,
      spend: this.spend,
      trace: this.trace,
      internalNames: new Set(deps.engine.deps.catalogue.map((t) => t.name)),
      now: () => performance.now(),
      sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
    this.caller = {
      role: 'ai_agent',
      actor: AI_ACTOR,
      precondition: aiPrecondition(conversationId, deps.channels),
    };
  }

  /** The early answers to keep for the run's later turns; null when there are none. */
  earlyAnswers(): Record<string, unknown> | null {
    return this.runId && this.early.size ? Object.fromEntries(this.early) : null;
  }

  private get engine(): SopEngine {
    return this.deps.engine;
  }

  private texts(): string[] {
    return this.pending.map((m) => m.body);
  }

  /** The customer's new messages are now read; the message that answered is the last of them. */
  private consume(): string | undefined {
    const last = this.pending.at(-1)?.id;
    this.read.push(...this.texts());
    this.pending = [];
    return last;
  }

  /** Throws Stopped when the AI may no longer act on the conversation (checked before every step). */
  private async mine(): Promise<void> {
    const standing = await findAiStanding(this.deps.ctx.database.db, this.conversationId);
    const why = whyNotAi(standing, this.deps.channels, !this.handedOff);
    if (why) {
      this.stopped(why);
      throw new Stopped(why);
    }
  }

  /** The turn ends here, having done nothing more. */
  stopped(why: string): void {
    this.trace.push({ type: 'stopped', why });
    this.outcome = 'stopped';
  }

  async run(): Promise<void> {
    await this.mine();
    this.conv = (await findConversation(this.deps.ctx.database.db, this.conversationId))!;
    this.caller.customerId = this.conv.customerId;
    const db = this.deps.ctx.database.db;
    // A run in progress may have been with a person, who may have told the customer what it says.
    if (this.runId) this.saidByPeople = (await findPeopleRepliesSinceAi(db, this.conversationId)).map(sameWords);
    // Read before the run looks for the event it waits for: an event after this cursor gives the next turn.
    this.patch.checkedEvents = await checkAiEvents(db, this.conversationId, this.runId, this.horizon);
    const storedRun = this.runId ? await loadSopRun(this.deps.ctx, this.runId) : undefined;
    const stored = storedRun?.status;
    this.seenHandoff = handoffKey(storedRun?.state.handoff);
    // Looking at a waiting run lets it find the event it waits for (or pass its deadline) and go on.
    let run = this.runId ? await this.engine.view(this.runId, AI_ACTOR, this.caller) : undefined;
    // A run that ended between turns (an approval was decided, a person stopped it) is settled first; one that ended
    // just now, on the event it waited for, is told as any step of this turn.
    if (run && FINAL.has(run.status) && stored !== 'waiting') {
      if (!(await this.endedMeanwhile(run))) return this.flush();
      run = undefined;
    }
    this.stepBefore = run?.current?.stepId ?? null;
    if (!run) {
      if (!this.pending.length) return this.flush();
      run = await this.startRun();
      if (!run) return this.flush();
    }
    for (let i = 0; i < MAX_STEPS_PER_TURN; i++) {
      const next = await this.step(run);
      if (!next) break;
      run = next;
    }
    await this.flush();
  }

  /** A model call, only while the AI still has the conversation. */
  private async decide(...args: Parameters<typeof decide> extends [unknown, ...infer R] ? R : never) {
    await this.mine();
    const d = await decide(this.decideDeps, ...args);
    const lang = d.input.language;
    if (typeof lang === 'string' && lang.toLowerCase() !== this.language)
      this.language = this.patch.language = lang.toLowerCase();
    return d;
  }

  /** The language the run's SOP is written in (its questions). */
  private sopLanguage(run: SopRunView): string {
    return this.engine.deps.library.get(run.sopId)?.meta.language ?? AGENT_LANGUAGE;
  }

  private forgetRun(): undefined {
    this.runId = null;
    this.sent = 0;
    this.awaiting = null;
    this.early.clear();
    this.reasks = null;
    Object.assign(this.patch, { runId: null, sentMessages: 0, awaitingConfirm: null, reasks: null });
    return undefined;
  }

  private async startRun(): Promise<SopRunView | undefined> {
    const sops = this.engine.deps.library
      .list()
      .filter((d) => d.meta.channel === 'any' || d.meta.channel === this.conv.channel);
    this.trace.push({ type: 'step', stepId: null, kind: null, note: 'No procedure yet: choose one.' });
    const { prompt, choices } = chooseSopPrompt(sops, this.texts());
    const d = await this.decide('choose_sop', prompt, choices);
    this.consume();
    if (d.tool === 'ask_customer') {
      this.say(String(d.input.question));
      this.outcome = 'replied';
      return undefined;
    }
    if (d.tool === 'hand_off') {
      await this.handOff(`No procedure fits; the customer needs a person: ${String(d.input.reason)}`);
      return undefined;
    }
    const doc = sops.find((s) => s.meta.id === d.input.sopId)!;
    const inputs: Record<string, unknown> = {};
    // A channel that verified the writer, or a conversation the store vouched for (a chat visitor identified with the
    // widget secret), answers the procedure's identity question from the conversation.
    const asksEmail = doc.steps.some((s) => s.def.kind === 'ask' && s.def.input === 'email' && s.def.type === 'email');
    const verified = this.conv.customerVerified || this.deps.verifiedChannels.includes(this.conv.channel);
    if (asksEmail && verified && this.conv.customer.email) inputs.email = this.conv.customer.email;
    await this.mine();
    this.early.clear();
    const run = await this.engine.start(
      { sopId: doc.meta.id, conversationId: this.conversationId, customerId: this.conv.customerId, inputs },
      { actor: AI_ACTOR, caller: this.caller },
    );
    this.keepEarly(
      doc.steps.flatMap((s) => (s.def.kind === 'ask' ? [s.def] : [])),
      d.input.answers,
    );
    this.runId = run.id;
    this.sent = 0;
    this.awaiting = null;
    Object.assign(this.patch, { runId: run.id, sentMessages: 0, awaitingConfirm: null });
    return run;
  }

  private say(text: string, lang?: string): void {
    this.outgoing.push(lang ? { text, lang } : { text });
  }

  /** The run's own messages (say steps, check and refusal outcomes), word for word, with their disclosures. */
  private takeRunMessages(run: SopRunView): void {
    for (const m of run.messages.slice(this.sent)) {
      // A person who had the conversation may have sent the run's words already (guided mode shows them to copy).
      const parts = [m.text, ...m.disclosures];
      const unsaid = parts.filter((p) => !this.saidByPeople.some((said) => said.includes(sameWords(p))));
      if (unsaid.length < parts.length)
        this.trace.push({
          type: 'step',
          stepId: m.stepId,
          kind: null,
          note: `A person already sent the customer ${unsaid.length ? 'part of ' : ''}what the procedure says here; not sent again.`,
        });
      if (unsaid.length) this.say(unsaid.join('\n'));
    }
    this.sent = run.messages.length;
    this.patch.sentMessages = this.sent;
  }

  /** One step of the run; answers the run as it is after it, or undefined when the turn waits for the customer. */
  private async step(run: SopRunView): Promise<SopRunView | undefined> {
    this.takeRunMessages(run);
    const cur = run.current;
    this.stepAfter = cur?.stepId ?? null;
    if (FINAL.has(run.status) || !cur) {
      this.trace.push({ type: 'step', stepId: null, kind: null, note: `The run ended ${run.status}.` });
      if (run.status === 'handed_off') {
        this.handedOff = true;
        this.trace.push({
          type: 'handoff',
          summary: run.handoff?.summary ?? '',
          handoffId: run.handoff?.handoffId ?? null,
        });
        this.say(HANDED_OVER, AGENT_LANGUAGE);
        this.outcome = 'handed_off';
      } else if (run.status === 'failed') {
        this.forgetRun();
        await this.handOff(`The procedure ${run.title} failed at ${run.failure?.stepId}: ${run.failure?.message}`);
        return undefined;
      } else this.outcome = 'completed';
      this.forgetRun();
      return undefined;
    }
    // The SOP handed the customer to a person and went on (a handoff step's `next`, an outcome's handoff with goto):
    // the run stays open at its step for that person, and the AI stops here.
    if (run.handoff && handoffKey(run.handoff) !== this.seenHandoff) {
      this.seenHandoff = handoffKey(run.handoff);
      this.handedOff = true;
      this.trace.push({ type: 'handoff', summary: run.handoff.summary, handoffId: run.handoff.handoffId ?? null });
      this.say(HANDED_OVER, AGENT_LANGUAGE);
      this.outcome = 'handed_off';
      return undefined;
    }
    if (cur.wait?.event === APPROVAL_EVENT) return this.awaitApproval(cur);
    if (this.reasks && this.reasks.stepId !== cur.stepId) this.reasks = this.patch.reasks = null;
    switch (cur.kind) {
      case 'ask':
        return this.ask(run, cur);
      case 'tool':
        return this.confirmStep(run, cur);
      case 'wait':
        return this.whileWaiting(run, cur);
      case 'manual':
        this.trace.push({ type: 'step', stepId: cur.stepId, kind: 'manual', note: 'A person does this step.' });
        await this.handOff(`${run.title}: the step "${cur.title}" is done by a person; the run waits there.`, run);
        return undefined;
      default:
        this.trace.push({ type: 'step', stepId: cur.stepId, kind: cur.kind, note: `The run waits (${cur.needs}).` });
        this.outcome = this.outgoing.length ? 'replied' : 'waiting';
        return undefined;
    }
  }

  private async ask(run: SopRunView, cur: NonNullable<SopRunView['current']>): Promise<SopRunView | undefined> {
    const def = this.askDef(cur);
    const question = def.prompt ?? cur.title;
    const early = this.early.get(def.input);
    this.early.delete(def.input);
    if (early !== undefined && !NEEDS_CONTEXT.has(def.type)) {
      this.trace.push({ type: 'step', stepId: cur.stepId, kind: 'ask', note: 'Answered earlier in the conversation.' });
      return this.accept(run, cur, def, early);
    }
    // Words given earlier for a question that needs the order's lines (or the products) are read now, with them.
    const texts = typeof early === 'string' ? [early] : this.texts();
    if (!texts.length) {
      this.trace.push({ type: 'step', stepId: cur.stepId, kind: 'ask', note: 'Ask the step’s question.' });
      if (this.reasks) this.reasks = this.patch.reasks = null;
      this.say(question, this.sopLanguage(run));
      this.outcome = 'replied';
      return undefined;
    }
    this.trace.push({ type: 'step', stepId: cur.stepId, kind: 'ask', note: 'Read the answer from the customer.' });
    const later = early === undefined ? this.laterQuestions(run, def) : [];
    let context = await this.contextFor(run, def);
    let d = await this.decide(
      'extract_answer',
      ...extractArgs(def, cur, context, texts, later, def.type === 'product'),
    );
    // A product question: the model searches the catalogue (at most a few times), then answers from what it found.
    const shown = new Set<string>();
    for (let i = 0; d.tool === 'search_products'; i++) {
      const found = await this.searchProducts(String(d.input.query));
      for (const p of found.ids) shown.add(p);
      context = [context, found.text].filter(Boolean).join('\n');
      d = await this.decide('extract_answer', ...extractArgs(def, cur, context, texts, later, i < 2));
    }
    this.consume();
    // Words of the customer written to this question (not an answer kept from before) count towards the re-ask limit.
    const counted = early === undefined;
    if (d.tool === 'ask_customer') {
      if (counted && (await this.overReasks(run, cur, question))) return undefined;
      this.say(String(d.input.question));
      this.outcome = 'replied';
      return undefined;
    }
    if (d.tool === 'hand_off') {
      await this.handOff(`The customer asked for a person at "${cur.title}": ${String(d.input.reason)}`, run);
      return undefined;
    }
    this.keepEarly(later, d.input.also);
    // Never guessed: a product must be one the search showed.
    if (def.type === 'product' && !shown.has(String(d.input.value))) {
      if (counted && (await this.overReasks(run, cur, question))) return undefined;
      return this.askAgain(run, def, cur);
    }
    return this.accept(run, cur, def, d.input.value, counted);
  }

  /** The ask steps after this one that are not answered yet: the customer may have answered them already. */
  private laterQuestions(run: SopRunView, def: StepOf<'ask'>): StepOf<'ask'>[] {
    const steps = this.engine.deps.library.get(run.sopId)?.steps ?? [];
    const at = steps.findIndex((s) => s.def.id === def.id);
    return steps
      .slice(at + 1)
      .flatMap((s) =>
        s.def.kind === 'ask' && s.def.input !== def.input && run.inputs[s.def.input] === undefined ? [s.def] : [],
      )
      .slice(0, 8);
  }

  /** Keeps the answers the model read for questions not asked yet (only those it was told of). */
  private keepEarly(questions: readonly StepOf<'ask'>[], answers: unknown): void {
    if (!answers || typeof answers !== 'object') return;
    for (const q of questions) {
      const v = (answers as Record<string, unknown>)[q.input];
      if (v === undefined || v === null || v === '') continue;
      if (NEEDS_CONTEXT.has(q.type) && typeof v !== 'string') continue;
      this.early.set(q.input, v);
    }
  }

  /**
   * An answer to the current ask step: the identity check for an email, then the step's own validation. An answer
   * either refuses is asked for again, never guessed.
   */
  private async accept(
    run: SopRunView,
    cur: NonNullable<SopRunView['current']>,
    def: StepOf<'ask'>,
    value: unknown,
    /** The customer wrote this answer to this question: a refusal counts towards the re-ask limit. */
    counted = false,
  ): Promise<SopRunView | undefined> {
    const question = def.prompt ?? cur.title;
    if (def.type === 'email' && !(await this.isConversationCustomer(value))) {
      if (counted && (await this.overReasks(run, cur, question))) return undefined;
      return this.askAgain(run, def, cur, 'I could not verify that address for this conversation.');
    }
    await this.mine();
    try {
      return await this.engine.submit(run.id, cur.stepId, { answer: value }, this.asAi());
    } catch (e) {
      if (!isDomainError(e) || e.code !== 'invalid_argument') throw e;
      if (counted && (await this.overReasks(run, cur, question))) return undefined;
      return this.askAgain(run, def, cur);
    }
  }

  /**
   * The customer wrote without answering the step's question (or gave an answer it refuses): one more re-ask of the
   * step. Past the limit (`reasks` in the budgets) a person takes over, with the reason; answers whether it did.
   */
  private async overReasks(run: SopRunView, cur: NonNullable<SopRunView['current']>, question: string) {
    const count = this.reasks?.stepId === cur.stepId ? this.reasks.count + 1 : 1;
    if (count <= this.deps.budgets.reasks) {
      this.reasks = this.patch.reasks = { stepId: cur.stepId, count };
      return false;
    }
    this.trace.push({
      type: 'step',
      stepId: cur.stepId,
      kind: cur.kind,
      note: `Asked ${this.deps.budgets.reasks} times again without an answer: a person takes over.`,
    });
    this.reasks = this.patch.reasks = null;
    await this.handOff(
      `The customer did not answer "${question}" after it was asked again ${this.deps.budgets.reasks} times.`,
      run,
    );
    return true;
  }

  /**
   * The run waits for an outside event (a return to arrive, a payment, a deadline) and the customer writes: the model
   * answers them — what the run waits for and when to expect it, their question — or hands over when they ask for a
   * person. Nothing they write moves the run: the event (or its deadline) does, and then a turn tells them.
   */
  private async whileWaiting(run: SopRunView, cur: NonNullable<SopRunView['current']>): Promise<undefined> {
    this.trace.push({ type: 'step', stepId: cur.stepId, kind: cur.kind, note: `The run waits (${cur.needs}).` });
    if (!this.pending.length) {
      this.outcome = this.outgoing.length ? 'replied' : 'waiting';
      return undefined;
    }
    const { prompt, choices } = waitingPrompt(cur, this.texts());
    const d = await this.decide('while_waiting', prompt, choices);
    this.consume();
    if (d.tool === 'hand_off') {
      await this.handOff(`The customer asked for a person while ${run.title} waits: ${String(d.input.reason)}`, run);
      return undefined;
    }
    this.say(String(d.input.text));
    this.outcome = 'replied';
    return undefined;
  }

  /** An answer that cannot be used is asked for again, never guessed: why, then the step's question. */
  private askAgain(
    run: SopRunView,
    def: StepOf<'ask'>,
    cur: NonNullable<SopRunView['current']>,
    why = 'Sorry, I could not use that answer.',
  ): undefined {
    this.say(why, AGENT_LANGUAGE);
    this.say(def.prompt ?? cur.title, this.sopLanguage(run));
    this.outcome = 'replied';
    return undefined;
  }

  /** Identity: the email a customer gives must be the conversation's customer's, before any order is read. */
  private async isConversationCustomer(email: unknown): Promise<boolean> {
    if (typeof email !== 'string') return false;
    const tool = this.engine.deps.catalogue.find((t) => t.name === 'find_customer_by_email');
    if (!tool) return false;
    try {
      const r = (await invokeTool(this.deps.ctx, tool, { email: email.trim() }, this.caller)) as {
        customers: { customerId: string }[];
      };
      return r.customers.some((c) => c.customerId === this.conv.customerId);
    } catch (e) {
      if (isDomainError(e)) return false;
      throw e;
    }
  }

  /**
   * What an items/item question needs to be answered: the order's lines, as the run read them; a payment-method
   * question: the customer's payment methods, as they are named.
   */
  private async contextFor(run: SopRunView, def: StepOf<'ask'>): Promise<string | undefined> {
    if (def.type === 'paymentMethod') {
      const tool = this.engine.deps.catalogue.find((t) => t.name === 'get_customer_details');
      if (!tool || !run.customerId) return undefined;
      const c = (await invokeTool(this.deps.ctx, tool, { customerId: run.customerId }, this.caller)) as {
        paymentMethods: { label: string }[];
      };
      return `The customer's payment methods: ${c.paymentMethods.map((m) => m.label).join('; ') || 'none'}`;
    }
    if (def.type !== 'items' && def.type !== 'item') return undefined;
    const state = (await loadSopRun(this.deps.ctx, run.id)).state;
    const order = state.steps.order?.result as { items?: { itemId: string; title: string; quantity: number }[] };
    if (!order?.items) return undefined;
    return `The order's lines (itemId: title × quantity):\n${order.items.map((i) => `${i.itemId}: ${i.title} × ${i.quantity}`).join('\n')}`;
  }

  /** A product question: the catalogue searched by words of the title or a SKU (the model's query), a page of it. */
  private async searchProducts(query: string): Promise<{ ids: string[]; text: string }> {
    const tool = this.engine.deps.catalogue.find((t) => t.name === 'list_products');
    const page = tool
      ? ((await invokeTool(this.deps.ctx, tool, { query, limit: PRODUCT_MATCHES }, this.caller)) as {
          total: number;
          products: { productId: string; title: string; variants: { sku: string }[] }[];
        })
      : { total: 0, products: [] };
    this.trace.push({
      type: 'step',
      stepId: null,
      kind: null,
      note: `Searched the products for "${query}": ${page.total} found.`,
    });
    const lines = page.products.map(
      (p) => `${p.productId}: ${p.title} (SKU ${p.variants.map((v) => v.sku).join(', ')})`,
    );
    const more =
      page.total > page.products.length
        ? ` (the first ${page.products.length} of ${page.total}; search more precisely)`
        : '';
    return {
      ids: page.products.map((p) => p.productId),
      text: lines.length
        ? `Products matching "${query}"${more} (productId: title):\n${lines.join('\n')}`
        : `No product matches "${query}".`,
    };
  }

  /** The ask step as the view gives it (its form and prompt). */
  private askDef(cur: NonNullable<SopRunView['current']>): StepOf<'ask'> {
    const f = cur.form!;
    return {
      id: cur.stepId,
      kind: 'ask',
      input: f.input,
      type: f.type as StepOf<'ask'>['type'],
      ...(f.options ? { options: f.options } : {}),
      ...(cur.prompt ? { prompt: cur.prompt } : {}),
    };
  }

  /** A write step: put its preview to the customer; on a later message that explicitly agrees, run it. */
  private async confirmStep(run: SopRunView, cur: NonNullable<SopRunView['current']>): Promise<SopRunView | undefined> {
    const tool = cur.tool!;
    if (this.awaiting?.stepId === cur.stepId) {
      if (!this.pending.length) {
        this.outcome = 'waiting';
        return undefined;
      }
      this.trace.push({
        type: 'step',
        stepId: cur.stepId,
        kind: 'tool',
        note: 'Read the customer’s reply to the preview.',
      });
      const { prompt, choices } = confirmationPrompt(cur, tool.name, this.awaiting.text, this.texts());
      const d = await this.decide('read_confirmation', prompt, choices);
      const messageId = this.consume()!;
      if (d.tool === 'ask_customer') {
        if (await this.overReasks(run, cur, tool.title)) return undefined;
        this.say(String(d.input.question));
        this.outcome = 'replied';
        return undefined;
      }
      if (d.tool === 'hand_off') {
        await this.handOff(`The customer asked for a person before ${tool.title}: ${String(d.input.reason)}`, run);
        return undefined;
      }
      if (d.tool === 'decline') {
        await this.mine();
        await this.engine.cancel(run.id, `The customer declined ${tool.title} (message ${messageId}).`, this.asAi());
        this.trace.push({
          type: 'tool_call',
          tool: tool.name,
          stepId: cur.stepId,
          refusal: 'declined by the customer',
        });
        this.say(NOT_CHANGED, AGENT_LANGUAGE);
        this.forgetRun();
        this.outcome = 'replied';
        return undefined;
      }
      return this.execute(run, cur, messageId);
    }
    if (tool.previewError) {
      // The dry run says it would be refused: running it changes nothing, and the procedure says what to tell them.
      this.trace.push({
        type: 'step',
        stepId: cur.stepId,
        kind: 'tool',
        note: 'The preview was refused; the procedure handles it.',
      });
      return this.execute(run, cur, undefined);
    }
    this.trace.push({ type: 'step', stepId: cur.stepId, kind: 'tool', note: 'Put the preview to the customer.' });
    const summary = [previewSummary(tool.preview), this.agreedWith(run, cur.stepId)].filter(Boolean).join('\n');
    const { prompt, choices } = previewPrompt(cur, summary);
    const d = await this.decide('put_preview', prompt, choices);
    const text = `${String(d.input.text)}\n\n${CONFIRM_QUESTION}`;
    this.trace.push({ type: 'tool_call', tool: tool.name, stepId: cur.stepId, preview: tool.preview });
    this.say(String(d.input.text));
    this.say(CONFIRM_QUESTION, AGENT_LANGUAGE);
    this.awaiting = { stepId: cur.stepId, previewMessageId: '', text };
    this.outcome = 'replied';
    return undefined;
  }

  /**
   * What the procedure does on the same yes (its write steps `confirmedWith` this one: the codes, the records), so the
   * customer hears all they agree to; empty when there is nothing more.
   */
  private agreedWith(run: SopRunView, stepId: string): string {
    const { library, catalogue } = this.engine.deps;
    const titles = (library.get(run.sopId)?.steps ?? []).flatMap(({ def, title }) =>
      def.kind === 'tool' && def.confirmedWith === stepId
        ? [catalogue.find((t) => t.name === def.tool)?.title ?? title]
        : [],
    );
    return titles.length ? `With it, as part of the same change: ${titles.join('; ')}.` : '';
  }

  private async execute(
    run: SopRunView,
    cur: NonNullable<SopRunView['current']>,
    confirmedBy: string | undefined,
  ): Promise<SopRunView | undefined> {
    await this.mine();
    const after = await this.engine.submit(run.id, cur.stepId, { confirm: true }, this.asAi());
    this.awaiting = null;
    this.patch.awaitingConfirm = null;
    // Above the AI's limits the action became an approval request: nothing happened yet, the run waits on it (the
    // next step sees that), and the customer is told a person reviews it. The decision resumes the run.
    const approvalId = after.current?.stepId === cur.stepId ? after.current.wait?.approvalId : undefined;
    if (approvalId) {
      this.trace.push({
        type: 'tool_call',
        tool: cur.tool!.name,
        stepId: cur.stepId,
        approvalId,
        ...(confirmedBy ? { confirmedBy } : {}),
      });
      this.say(BEING_REVIEWED, AGENT_LANGUAGE);
      return after;
    }
    const refusal = after.refusals.find((r) => r.stepId === cur.stepId && !run.refusals.includes(r));
    this.trace.push({
      type: 'tool_call',
      tool: cur.tool!.name,
      stepId: cur.stepId,
      ...(refusal ? { refusal: refusal.message } : { result: 'done' }),
      ...(confirmedBy ? { confirmedBy } : {}),
    });
    return after;
  }

  /**
   * The run waits for a person to approve its action: the turn ends there. A customer who writes meanwhile is told
   * it is still being reviewed; nothing they say moves the run (the decision does, and then a turn tells them).
   */
  private awaitApproval(cur: NonNullable<SopRunView['current']>): undefined {
    this.trace.push({
      type: 'step',
      stepId: cur.stepId,
      kind: cur.kind,
      note: `The action waits for a person's approval (${cur.wait?.approvalId ?? 'pending'}).`,
    });
    if (this.pending.length) {
      this.consume();
      this.say(STILL_BEING_REVIEWED, AGENT_LANGUAGE);
    }
    this.outcome = 'waiting';
    return undefined;
  }

  /**
   * The run ended while no turn ran (an approval was decided and the run went on, or a person holding the conversation
   * did its last steps and handed it back): what it said and no turn has sent goes to the customer, once — its closing
   * words too. Failed: a person takes over. Answers whether the turn may go on to the customer's new messages.
   */
  private async endedMeanwhile(run: SopRunView): Promise<boolean> {
    this.trace.push({ type: 'step', stepId: null, kind: null, note: `The run ended ${run.status} between turns.` });
    this.takeRunMessages(run);
    if (this.outgoing.length) this.outcome = run.status === 'completed' ? 'completed' : 'replied';
    this.forgetRun();
    if (run.status !== 'failed') return true;
    await this.handOff(`The procedure ${run.title} failed at ${run.failure?.stepId}: ${run.failure?.message}`);
    return false;
  }

  /**
   * The AI's own write options: its actor, the precondition of its writes, and the caller whose customer scope, limits
   * and precondition the run's tools apply.
   */
  private asAi(): { actor: Actor; caller: Caller; precondition: Caller['precondition'] } {
    return { actor: AI_ACTOR, caller: this.caller, precondition: this.caller.precondition };
  }

  /** Hands the conversation (and the run, which stays at its step) to a person; the customer is told. */
  async handOff(summary: string, run?: SopRunView): Promise<void> {
    await this.mine();
    this.say(HANDED_OVER, AGENT_LANGUAGE);
    await this.flush();
    this.handedOff = true;
    const tool = this.engine.deps.catalogue.find((t) => t.name === 'transfer_to_human_representative')!;
    const withRun = run
      ? `${summary} (SOP run ${run.id}, at step ${run.current?.stepId ?? '-'}; continue it from there)`
      : summary;
    let handoffId: string | null = null;
    try {
      const h = (await invokeTool(
        this.deps.ctx,
        tool,
        {
          customerId: this.conv.customerId,
          conversationId: this.conversationId,
          summary: withRun.slice(0, 4000),
          customerVerified: run !== undefined && run.inputs.email !== undefined,
          refused: (run?.refusals ?? []).map((r) => ({
            action: r.tool,
            reason: r.reason ?? 'refused',
            why: r.message,
          })),
        },
        this.caller,
        `ai:${this.conversationId}:${this.pendingKey()}:handoff`,
      )) as { id: string };
      handoffId = h.id;
    } catch (e) {
      if (!isDomainError(e) || e.details.reason !== 'handoff_already_queued') throw e;
    }
    this.trace.push({ type: 'handoff', summary: withRun, handoffId });
    this.outcome = 'handed_off';
  }

  /** The newest customer message this turn read: a retried turn on the same messages hands over once. */
  private pendingKey(): string {
    return String(this.lastSeq);
  }

  /** Sends what the turn has to say as one reply, if the AI still has the conversation. */
  async flush(): Promise<void> {
    if (!this.outgoing.length) {
      if (this.awaiting) this.patch.awaitingConfirm = this.awaiting;
      return;
    }
    await this.mine();
    const text = (await this.phrased(this.outgoing)).join('\n\n');
    this.outgoing = [];
    await sendReply(this.deps.ctx, this.conversationId, { body: text }, this.asAi());
    const id = (await findLatestOutboundId(this.deps.ctx.database.db, this.conversationId)) ?? '';
    this.trace.push({ type: 'reply', messageId: id, text });
    if (this.awaiting && !this.awaiting.previewMessageId) this.awaiting = { ...this.awaiting, previewMessageId: id };
    this.patch.awaitingConfirm = this.awaiting;
  }

  /**
   * The texts as the customer reads them: the store's own (questions, fixed sentences) in a language other than the
   * customer's are put in theirs by the model, in one call; when that is not possible (no language known, the budget
   * spent, the model failing) they go as written.
   */
  private async phrased(out: Outgoing[]): Promise<string[]> {
    const lang = this.language;
    const foreign = out.filter((o) => o.lang && lang && o.lang !== lang);
    if (!lang || !foreign.length || this.modelDown) return out.map((o) => o.text);
    const { prompt, choices } = phrasePrompt(
      foreign.map((o) => o.text),
      lang,
      this.read.slice(-3),
    );
    try {
      const d = await this.decide('phrase_for_customer', prompt, choices);
      const texts = d.input.texts as string[];
      return out.map((o) => (foreign.includes(o) ? texts[foreign.indexOf(o)]! : o.text));
    } catch (e) {
      if (!(e instanceof ModelGaveUp)) throw e;
      this.trace.push({ type: 'step', stepId: null, kind: null, note: `Sent as written: ${e.message}` });
      return out.map((o) => o.text);
    }
  }

  /** The model failed past its budget, or something broke: a person takes over, and the customer is told. */
  async fail(e: unknown): Promise<void> {
    const why =
      e instanceof ModelGaveUp ? e.message : `The AI turn failed: ${e instanceof Error ? e.message : String(e)}`;
    if (!(e instanceof ModelGaveUp)) console.error('sopdesk ai: turn failed', e);
    else this.modelDown = true;
    this.outgoing = [];
    const run = this.runId
      ? await this.engine.view(this.runId, AI_ACTOR, this.caller).catch(() => undefined)
      : undefined;
    try {
      await this.handOff(why, run && !FINAL.has(run.status) ? run : undefined);
    } catch (again) {
      if (!(again instanceof Stopped) && !isNotInCharge(again))
        console.error('sopdesk ai: handoff after a failed turn failed', again);
    }
  }
}

/**
 * Why the AI may not act on a conversation: a person took it, paused the AI, it is closed or gone, or — when
 * `handoffStops` — it waits for a person. Undefined while the AI has it.
 */
function whyNotAi(s: AiStanding | undefined, channels: readonly string[], handoffStops: boolean): string | undefined {
  if (!s) return 'the conversation is gone';
  if (s.paused) return 'a person paused the AI on this conversation';
  if (s.status === 'closed') return 'the conversation is closed';
  if (s.openHandoff && handoffStops) return 'the conversation waits for a person';
  const answers =
    s.assigneeKind === 'ai_agent' || (s.assigneeKind === null && channels.includes(s.channel) && !s.humanReplied);
  return answers ? undefined : 'a person took the conversation';
}

/**
 * The precondition of every write the AI makes on a conversation, checked in the write's own transaction: the
 * conversation is locked — as a person taking it (assigning, replying, taking its handoff, closing it) or pausing the AI
 * locks it — and then the AI's standing read. A takeover that committed first refuses the write (`not_in_charge`,
 * nothing written); one that comes later waits until the write committed, so the write happened before it. An open
 * handoff does not refuse a write: the AI, or its run, made it within the turn (what follows — the run's progress, the
 * message that tells the customer — belongs to it); a person takes it by taking the conversation.
 */
export function aiPrecondition(conversationId: string, channels: readonly string[]): (tx: Tx) => Promise<void> {
  return async (tx) => {
    await lockConversation(tx, conversationId);
    const why = whyNotAi(await findAiStanding(tx, conversationId), channels, false);
    if (why) throw notInCharge(`The AI may no longer act on this conversation: ${why}.`, why);
  };
}

/** Products shown to the model per search. */
const PRODUCT_MATCHES = 10;

const extractArgs = (...a: Parameters<typeof extractPrompt>) => {
  const { prompt, choices } = extractPrompt(...a);
  return [prompt, choices] as const;
};

/** Tells one handoff of a run from another. */
function handoffKey(h: SopRunView['handoff'] | undefined): string | undefined {
  return h ? `${h.stepId}:${h.handoffId ?? ''}` : undefined;
}

/** Text compared by its words: case and spacing (line breaks, a pasted double space) do not count. */
function sameWords(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The preview's own summary sentence, else the preview as JSON. */
function previewSummary(preview: unknown): string {
  const p = preview as { preview?: { summary?: unknown }; summary?: unknown } | undefined;
  const s = p?.preview?.summary ?? p?.summary;
  return typeof s === 'string' ? s : JSON.stringify(preview ?? {});
}
