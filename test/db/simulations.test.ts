/**
 * The built-in simulations: every simulation of the four built-in SOPs, k = 3 trials each, a scripted customer
 * talking to the real AI agent led by the SOP runner, with the scripted model — deterministic and offline. And a
 * simulation that fails says which criterion failed, and where its transcript is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSimulation, suiteFiles } from '../../src/simulate/format.js';
import { formatReport, htmlReport, markdownReport } from '../../src/simulate/report.js';
import { runSuite } from '../../src/simulate/run.js';
import { scriptedModel } from '../../src/simulate/scripted-model.js';
import { embeddedTrialStores, serverTrialStores, type TrialStores } from '../../src/simulate/stores.js';
import { loadLibrary } from '../../src/sop/library.js';
import { serverUrl } from '../support/db.js';

const SOPS = fileURLToPath(new URL('../../sops', import.meta.url));
const TRANSCRIPTS = join(tmpdir(), `sopdesk-simulations-${process.pid}`);
const library = loadLibrary(SOPS);
const stores = serverUrl ? serverTrialStores(serverUrl) : embeddedTrialStores();
afterAll(() => stores.close());

const options = { library, stores, model: scriptedModel(), modelName: 'scripted', outDir: TRANSCRIPTS };

/**
 * The branches no simulation can take: guards the AI agent never reaches, kept in the SOPs for a person's run (guided
 * mode). The agent takes only the writer's own email (so `found` finds them), and reads orders through tools scoped to
 * the writer (another customer's order is not found, before `own_order` could see it); the work-board tool is refused
 * only when no board is configured, which the branch before `board_log` rules out. A product swap's codes and sync run
 * on the swap's own yes (`confirmedWith`), so no turn ends between them for a colleague to undo the change the sync and
 * the code lookup check (`sync_changed`, `code_listed`): guards against a change made at that very moment.
 */
const UNREACHABLE: Record<string, string[]> = {
  'cancel-or-refund-order': ['found -> email (check failed)', 'own_order -> order_ref (check failed)'],
  'change-purchased-product': [
    'found -> email (check failed)',
    'own_order -> order_ref (check failed)',
    'sync_changed -> (end) (check failed)',
    'code_listed -> (end) (check failed)',
  ],
  'handling-returns': ['found -> email (check failed)', 'own_order -> order_ref (check failed)'],
  'marketplace-refund-kogan': ['found -> email (check failed)', 'board_log -> board (tool refused)'],
};

// k = 3 on the embedded database proves the suite passes every time; the scripted customer and model are
// deterministic, so the PostgreSQL pass runs each simulation once: it proves the same trials on the server's template
// databases, and three times there would add minutes to CI and no evidence.
const K = serverUrl ? 1 : 3;

describe('the built-in simulation suite', () => {
  it(`every simulation passes all ${K} trial(s) with the scripted customer and model, and reaches every step and branch the agent can`, {
    timeout: 900_000,
  }, async () => {
    const only = process.env.SIM_ONLY;
    const report = await runSuite({
      ...options,
      files: suiteFiles(library.list(), only),
      k: K,
      concurrency: serverUrl ? 4 : 1,
    });
    if (!report.ok) console.log(formatReport(report).join('\n'));
    expect(report.errors).toEqual([]);
    const failed = report.simulations.filter((s) => s.passes < K);
    expect(failed.map((s) => `${s.name}: ${s.trials.find((t) => !t.ok)?.failures.join('; ')}`)).toEqual([]);
    expect(report.simulations.length).toBeGreaterThanOrEqual(only ? 1 : 40);
    expect(report.coverage.map((c) => c.sopId)).toEqual(only ? [only] : Object.keys(UNREACHABLE));
    for (const c of report.coverage) {
      expect(c.steps.missing, c.sopId).toEqual([]);
      expect(c.branches.missing, c.sopId).toEqual(UNREACHABLE[c.sopId]);
    }
  });
});

describe('the turn limit', () => {
  it('a conversation that goes on past maxTurns customer messages fails the trial, saying so', {
    timeout: 120_000,
  }, async () => {
    const file = parseSimulation(
      `name: talks past the limit
persona: Mo
goal: "Return a lamp of #1001"
customer: cus_mo000001
store: ../../_fixtures/store.yaml
opening: I want to return a lamp
maxTurns: 2
facts:
  - { when: email, say: mo@example.com }
  - { when: have the order number, say: "yes" }
success: {}
`,
      join(SOPS, 'handling-returns', 'simulations', 'limit.yaml'),
      'handling-returns',
    );
    const report = await runSuite({ ...options, files: [file], k: 1 });
    expect(report.simulations[0]!.trials[0]).toMatchObject({
      ok: false,
      turns: 2,
      failures: ['the turn limit: the customer wrote 2 messages and the conversation went on'],
    });
  });
});

describe('trials side by side', () => {
  it('--concurrency N runs N trials at once, each on its own fresh store; 1 runs them one after another', {
    timeout: 300_000,
  }, async () => {
    let inFlight = 0;
    let most = 0;
    const counting: TrialStores = {
      kind: stores.kind,
      async fresh(store, now) {
        most = Math.max(most, ++inFlight);
        const s = await stores.fresh(store, now);
        return {
          ctx: s.ctx,
          close: async () => {
            inFlight--;
            await s.close();
          },
        };
      },
      close: async () => {},
    };
    const files = suiteFiles(library.list(), 'cancel-or-refund-order').slice(0, 1);
    const side = await runSuite({ ...options, stores: counting, files, k: 3, concurrency: 3 });
    expect([side.ok, most]).toEqual([true, 3]);
    most = 0;
    const serial = await runSuite({ ...options, stores: counting, files, k: 2, concurrency: 1 });
    expect([serial.ok, most]).toEqual([true, 1]);
  });
});

describe('a simulation that fails', () => {
  it('names the criteria that failed, gives pass^k, writes the transcript with the trace, and the report says so', {
    timeout: 120_000,
  }, async () => {
    const dir = join(SOPS, 'handling-returns', 'simulations');
    const file = parseSimulation(
      `name: expects what the procedure never does
persona: Mo
goal: "A refund at once for #1001, without a return"
customer: cus_mo000001
store: ../../_fixtures/store.yaml
opening: I want to return a lamp
facts:
  - { when: email, say: mo@example.com }
  - { when: have the order number, say: "no" }
success:
  assert:
    - events.exists(e, e == "refund.issued")
  told: [Your refund has been issued]
  handoff: true
`,
      join(dir, 'failing.yaml'),
      'handling-returns',
    );
    const report = await runSuite({ ...options, files: [file], k: 1 });
    expect(report.ok).toBe(false);
    const [sim] = report.simulations;
    expect(sim!.passHat).toEqual([0]);
    const [trial] = sim!.trials;
    expect(trial!.failures).toEqual([
      'assert events.exists(e, e == "refund.issued"): got false',
      'told: no reply to the customer said "Your refund has been issued"',
      'handoff: a person should have taken over, none did',
    ]);
    expect(existsSync(trial!.transcript!)).toBe(true);
    const transcript = readFileSync(trial!.transcript!, 'utf8');
    expect(transcript).toContain('**Customer (1):** I want to return a lamp');
    expect(transcript).toContain('model choose_sop #1: start_procedure {"sopId":"handling-returns"}');
    expect(transcript).toContain('Here are your open orders');
    expect(markdownReport(report)).toContain('| handling-returns | expects what the procedure never does | 0/1 | 0% |');
    // The HTML page holds it all: the pass^k row, the failures, each turn with its trace beside it, escaped.
    expect(trial!.conversation[0]!.trace!.lines).toContain(
      'model choose_sop #1: start_procedure {"sopId":"handling-returns"}',
    );
    const html = htmlReport(report);
    expect(html).toContain('expects what the procedure never does</a></td><td class="bad">0/1</td><td>0%</td>');
    expect(html).toContain('<li>told: no reply to the customer said &quot;Your refund has been issued&quot;</li>');
    expect(html).toMatch(
      /<p class="msg customer">Customer \(1\): I want to return a lamp<\/p>.*?<div class="trace">[^<]*<ul><li>step - \(-\): No procedure yet/s,
    );
  });
});
