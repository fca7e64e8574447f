import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLibrary } from '../../src/sop/library.js';
import { testSops } from '../../src/sop/test-sops.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { openTestDatabase } from '../support/db.js';
import { fakeCatalogue } from '../support/sop-fakes.js';

const fixtures = fileURLToPath(new URL('../fixtures/sops', import.meta.url));
const fresh = async (now: string) => {
  const t = await openTestDatabase();
  return { database: t.database, clock: new FixedClock(now), close: t.drop };
};

describe('sop test: scenarios and coverage', () => {
  it('runs every scenario of an SOP on a fresh database and reports full step and branch coverage', async () => {
    const lines: string[] = [];
    const report = await testSops({
      library: loadLibrary(fixtures),
      catalogue: fakeCatalogue().catalogue,
      freshContext: fresh,
      log: (l) => lines.push(l),
    });
    expect(report.sops[0]!.scenarios.map((s) => [s.name, s.problems])).toEqual([
      ['the work board step does not unlock without an ESG- number', []],
      ['a paid order is refunded in the store and on the marketplace', []],
      ['an unpaid order is not refunded', []],
    ]);
    expect(report.ok).toBe(true);
    expect(report.sops[0]!.coverage).toMatchObject({
      steps: { total: 9, reached: 9, missing: [] },
      branches: { total: 2, taken: 2, missing: [] },
    });
    expect(lines.join('\n')).toContain('two-system-refund: steps 9/9 (100%), branches 2/2 (100%)');
  }, 300_000);

  it('reports a failing expectation and the steps and branches no scenario reaches', async () => {
    const report = await testUnpaidScenario(
      (sop) => sop,
      'name: wrong\nstart: { inputs: { email: mo@example.com } }\nsteps: [{ step: order_ref, answer: "1002" }]\nexpect: { status: failed, toolCalls: [refund_order] }\n',
    );
    expect(report.ok).toBe(false);
    expect(report.sops[0]!.scenarios[0]!.problems).toEqual([
      'status: expected failed, got completed',
      'tool calls: expected [refund_order], got [find_customer_by_email, get_order_details]',
    ]);
    const c = report.sops[0]!.coverage;
    expect(c.steps.missing).toEqual(['store_refund', 'board', 'market_refund', 'tell']);
    expect(c.branches.missing).toEqual(['paid -> store_refund (next)']);
  }, 300_000);

  it('a tool step acts outside the run (not one of its toolCalls); an unknown tool there is a problem of the scenario', async () => {
    const report = await testUnpaidScenario(
      (sop) => sop,
      [
        'name: someone looks the customer up meanwhile',
        'start: { inputs: { email: mo@example.com } }',
        'steps:',
        '  - { tool: find_customer_by_email, args: { email: "{{ inputs.email }}" } }',
        '  - { step: order_ref, answer: "1002" }',
        '  - { tool: no_such_tool }',
        'expect: { status: completed, toolCalls: [find_customer_by_email, get_order_details] }',
        '',
      ].join('\n'),
    );
    expect(report.sops[0]!.scenarios[0]!.problems).toEqual(['error: step 3: no tool no_such_tool in the catalogue']);
  }, 300_000);

  it('a message that tells the customer a tool name is a problem of the scenario', async () => {
    const report = await testUnpaidScenario((sop) =>
      sop.replace('so it can only be canceled.', 'so it can only be canceled, not refunded (refund_order).'),
    );
    expect(report.ok).toBe(false);
    expect(report.sops[0]!.scenarios[0]!.problems).toEqual([
      'a message to the customer names the tool refund_order: "Order #1002 is not paid, so it can only be canceled, not refunded (refund_order)." (say the policy, `refused.policy`, not the agent-facing `refused.message`)',
    ]);
  }, 300_000);
});

/**
 * Runs the fixture SOP, changed by `editSop`, with only its unpaid-order scenario (replaced by `unpaidScenario` when
 * given), in a copy of the fixtures.
 */
async function testUnpaidScenario(editSop: (text: string) => string, unpaidScenario?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sops-'));
  try {
    cpSync(fixtures, dir, { recursive: true });
    const sop = join(dir, 'two-system-refund', 'sop.md');
    writeFileSync(sop, editSop(readFileSync(sop, 'utf8')));
    const scen = join(dir, 'two-system-refund', 'scenarios');
    rmSync(join(scen, 'happy.yaml'));
    rmSync(join(scen, 'evidence.yaml'));
    if (unpaidScenario) writeFileSync(join(scen, 'unpaid.yaml'), unpaidScenario);
    return await testSops({ library: loadLibrary(dir), catalogue: fakeCatalogue().catalogue, freshContext: fresh });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
