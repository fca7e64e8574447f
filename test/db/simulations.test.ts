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
import { embeddedTrialStores, serverTrialStores } from '../../src/simulate/stores.js';
import { loadLibrary } from '../../src/sop/library.js';
import { serverUrl } from '../support/db.js';

const SOPS = fileURLToPath(new URL('../../sops', import.meta.url));
const TRANSCRIPTS = join(tmpdir(), `sopdesk-simulations-${process.pid}`);
const library = loadLibrary(SOPS);
const stores = serverUrl ? serverTrialStores(serverUrl) : embeddedTrialStores();
afterAll(() => stores.close());

const options = { library, stores, model: scriptedModel(), modelName: 'scripted', outDir: TRANSCRIPTS };

describe('the built-in simulation suite', () => {
  it('every simulation passes all 3 trials with the scripted customer and model', { timeout: 600_000 }, async () => {
    const report = await runSuite({
      ...options,
      files: suiteFiles(library.list(), process.env.SIM_ONLY),
      k: 3,
      concurrency: serverUrl ? 4 : 1,
    });
    if (!report.ok) console.log(formatReport(report).join('\n'));
    expect(report.errors).toEqual([]);
    const failed = report.simulations.filter((s) => s.passes < 3);
    expect(failed.map((s) => `${s.name}: ${s.trials.find((t) => !t.ok)?.failures.join('; ')}`)).toEqual([]);
    expect(report.simulations.length).toBeGreaterThanOrEqual(process.env.SIM_ONLY ? 1 : 20);
    // Every built-in SOP is reached by its simulations.
    for (const c of report.coverage) expect(c.steps.reached, c.sopId).toBeGreaterThan(0);
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
