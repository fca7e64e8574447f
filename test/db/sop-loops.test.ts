import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSopRun } from '../../src/app/sop/load-sop-run.js';
import { builtinIms } from '../../src/connectors/ims/builtin.js';
import type { Actor } from '../../src/domain/timeline.js';
import { FixedClock } from '../../src/kernel/clock.js';
import { SopEngine } from '../../src/sop/engine.js';
import { loadLibrary } from '../../src/sop/library.js';
import { lintSource } from '../../src/sop/linter.js';
import { runScenario, scenarioFiles } from '../../src/sop/scenario.js';
import { viewOf } from '../../src/sop/view.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { openTestContext, openTestDatabase } from '../support/db.js';
import { fakeCatalogue, library } from '../support/sop-fakes.js';

const opts = { actor: { kind: 'human', id: 'sam' } as Actor };

const sop = (id: string, steps: string) => `---
id: ${id}
title: ${id}
version: 1
appliesWhen: testing
inputs: [ids]
---

## Look up every item

${steps}`;

const LOOKUP = `\`\`\`step
id: lookup
kind: tool
tool: get_item_details
forEach: inputs.ids
as: line
args:
  itemId: line
  position: lineIndex
__MORE__
\`\`\`
`;

const TOLD = `\`\`\`step
id: told
kind: say
message: 'Looked up {{ steps.lookup.result.map(r, r.title) }}.'
\`\`\`
`;

/** A loop with onRefused, a loop without, a write tool in a loop, and a loop whose run fails after it (compensated per element). */
const LOOPS = sop(
  'loops',
  LOOKUP.replace(
    '__MORE__',
    `onRefused:
  say: 'Not found: {{ steps.lookup.result.refused.message }} ({{ size(steps.lookup.result.results) }} looked up before it, at index {{ steps.lookup.result.index }})'
  end: completed`,
  ) + TOLD,
);
const STRICT = sop('strict', LOOKUP.replace('__MORE__', '') + TOLD);
const WRITES = sop(
  'writes',
  `\`\`\`step
id: refunds
kind: tool
tool: refund_order
forEach: inputs.ids
args:
  orderId: item
  reason: '"customer"'
\`\`\`
`,
);
const UNDONE = sop(
  'undone',
  LOOKUP.replace(
    '__MORE__',
    `compensate:
  tool: transfer_to_human_representative
  args:
    customerId: '"cus_undo0001"'
    summary: '"recheck " + line + " (" + string(lineIndex) + ")"'`,
  ) +
    `\`\`\`step
id: sane
kind: check
when: "false"
onFail:
  end: failed
\`\`\`
`,
);

let ctx: Awaited<ReturnType<typeof openTestContext>>;
beforeAll(async () => {
  ctx = await openTestContext();
});
afterAll(() => ctx.drop());

function engine() {
  const fakes = fakeCatalogue();
  return {
    fakes,
    engine: new SopEngine({ ctx, catalogue: fakes.catalogue, library: library(LOOPS, STRICT, WRITES, UNDONE) }),
  };
}

describe('forEach: a read-only tool called once per element', () => {
  it('calls the tool for each element in order, with the element under `as` and its index; the result is the list of results', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'loops', inputs: { ids: ['li_a', 'li_b', 'li_c'] } }, opts);
    expect(v.status).toBe('completed');
    expect(fakes.calls.map((c) => c.args)).toEqual([
      { itemId: 'li_a', position: 0 },
      { itemId: 'li_b', position: 1 },
      { itemId: 'li_c', position: 2 },
    ]);
    expect(fakes.calls.map((c) => c.key)).toEqual([
      `sop:${v.id}:lookup#0`,
      `sop:${v.id}:lookup#1`,
      `sop:${v.id}:lookup#2`,
    ]);
    expect(v.messages.map((m) => m.text)).toEqual(['Looked up Item li_a; Item li_b; Item li_c.']);
    const run = await loadSopRun(ctx, v.id);
    expect(run.state.steps.lookup?.result).toEqual([
      { itemId: 'li_a', title: 'Item li_a', position: 0 },
      { itemId: 'li_b', title: 'Item li_b', position: 1 },
      { itemId: 'li_c', title: 'Item li_c', position: 2 },
    ]);
    const history = await e.history(v.id);
    expect(history.steps.find((s) => s.stepId === 'lookup')?.data.result).toEqual(run.state.steps.lookup?.result);
  });

  it('an empty list completes the step with [] and calls nothing', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'loops', inputs: { ids: [] } }, opts);
    expect(v.status).toBe('completed');
    expect(fakes.calls).toEqual([]);
    expect((await loadSopRun(ctx, v.id)).state.steps.lookup?.result).toEqual([]);
    expect(v.messages.map((m) => m.text)).toEqual(['Looked up .']);
  });

  it('more than 50 elements fail the run before any call, naming the cap', async () => {
    const { engine: e, fakes } = engine();
    const ids = Array.from({ length: 51 }, (_, i) => `li_${i}`);
    const v = await e.start({ sopId: 'loops', inputs: { ids } }, opts);
    expect(v.status).toBe('failed');
    expect(v.failure).toMatchObject({ stepId: 'lookup', code: 'foreach_too_long' });
    expect(v.failure?.message).toContain('gave 51 elements; a step calls its tool for at most 50');
    expect(fakes.calls).toEqual([]);
    const fifty = await e.start({ sopId: 'loops', inputs: { ids: ids.slice(0, 50) } }, opts);
    expect(fifty.status).toBe('completed');
  });

  it('a forEach that is not a list fails the run as an expression failure', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'loops', inputs: { ids: 'li_a' } }, opts);
    expect(v.status).toBe('failed');
    expect(v.failure).toEqual({
      stepId: 'lookup',
      code: 'expression_error',
      message: 'inputs.ids: expected a list, got "li_a"',
    });
    expect(fakes.calls).toEqual([]);
  });

  it('a refusal in the middle stops the loop and follows onRefused, with the results before it', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'loops', inputs: { ids: ['li_a', 'li_gone1', 'li_c'] } }, opts);
    expect(v.status).toBe('completed');
    expect(fakes.calls.map((c) => (c.args as { itemId: string }).itemId)).toEqual(['li_a', 'li_gone1']);
    expect(v.refusals).toEqual([
      {
        stepId: 'lookup',
        tool: 'get_item_details',
        reason: 'not_found',
        message: 'No item li_gone1. Check the id, or search for it first.',
      },
    ]);
    expect(v.notices).toEqual([
      {
        stepId: 'lookup',
        message: 'get_item_details (element 2 of 3) refused: No item li_gone1. Check the id, or search for it first.',
      },
    ]);
    expect(v.messages.map((m) => m.text)).toEqual([
      'Not found: No item li_gone1. Check the id, or search for it first. (1 looked up before it, at index 1)',
    ]);
    const result = (await loadSopRun(ctx, v.id)).state.steps.lookup;
    expect(result).toMatchObject({
      outcome: 'tool refused',
      result: { index: 1, results: [{ itemId: 'li_a' }], refused: { code: 'not_found' } },
    });
  });

  it('without onRefused, a refusal fails the run, naming the element', async () => {
    const { engine: e } = engine();
    const v = await e.start({ sopId: 'strict', inputs: { ids: ['li_a', 'li_b', 'li_gone3'] } }, opts);
    expect(v.status).toBe('failed');
    expect(v.failure).toMatchObject({
      stepId: 'lookup',
      code: 'not_found',
      message: 'get_item_details (element 3 of 3): No item li_gone3. Check the id, or search for it first.',
    });
  });

  it('a write tool in a loop is reported by the linter and refused by the runner, before any call or preview', async () => {
    const { engine: e, fakes } = engine();
    expect(lintSource(WRITES, 'writes.md', fakes.catalogue).map((i) => i.code)).toEqual(['foreach_write_tool']);
    const v = await e.start({ sopId: 'writes', inputs: { ids: ['ord_1', 'ord_2'] } }, opts);
    expect(v.status).toBe('failed');
    expect(v.failure).toMatchObject({ stepId: 'refunds', code: 'foreach_write_tool' });
    expect(v.failure?.message).toContain('refund_order changes things, so it cannot run in a forEach loop');
    expect(fakes.calls).toEqual([]);
    expect(fakes.effects).toEqual({});
  });

  it('a loop step’s compensation runs once per element, newest first, with the element bound', async () => {
    const { engine: e, fakes } = engine();
    const v = await e.start({ sopId: 'undone', inputs: { ids: ['li_a', 'li_b'] } }, opts);
    expect(v.status).toBe('failed');
    expect(v.compensations.map((c) => [c.tool, c.ok])).toEqual([
      ['transfer_to_human_representative', true],
      ['transfer_to_human_representative', true],
    ]);
    const undo = fakes.calls.filter((c) => c.tool === 'transfer_to_human_representative');
    expect(undo.map((c) => [(c.args as { summary: string }).summary, c.key])).toEqual([
      ['recheck li_b (1)', `sop:${v.id}:lookup:compensate#1`],
      ['recheck li_a (0)', `sop:${v.id}:lookup:compensate#0`],
    ]);
  });

  it('the view shows a loop step’s argument sets, one per element', async () => {
    const { engine: e } = engine();
    const v = await e.start({ sopId: 'loops', inputs: { ids: ['li_a', 'li_b'] } }, opts);
    // A loop step completes as soon as it is reached; look at the run as if it stood there.
    const run = await loadSopRun(ctx, v.id);
    const view = await viewOf(e.deps, { ...run, status: 'running', currentStepId: 'lookup' }, opts.actor);
    expect(view.current?.tool).toMatchObject({
      name: 'get_item_details',
      readOnly: true,
      argumentSets: [
        { itemId: 'li_a', position: 0 },
        { itemId: 'li_b', position: 1 },
      ],
    });
    expect(view.current?.tool?.arguments).toBeUndefined();
  });
});

describe('the built-in Handling Returns SOP checks every item the customer names', () => {
  const doc = loadLibrary(fileURLToPath(new URL('../../sops', import.meta.url))).get('handling-returns')!;
  const scenario = (name: string) => scenarioFiles(dirname(doc.file)).find((f) => f.file.endsWith(name))!.scenario!;

  async function run(name: string) {
    const s = scenario(name);
    const t = await openTestDatabase();
    const clock = new FixedClock(s.now);
    const c = { database: t.database, clock, ims: builtinIms(t.database, clock) };
    try {
      const r = await runScenario(c, doc, s, TOOLS);
      return { r, state: (await loadSopRun(c, r.view!.id)).state };
    } finally {
      await t.drop();
    }
  }

  it('two items, one delivered and one in transit: both items and both packages are read, and only the one in transit is named', async () => {
    const { r, state } = await run('06-two-items-one-in-transit.yaml');
    expect(r.problems).toEqual([]);
    expect((state.steps.item!.result as { itemId: string }[]).map((i) => i.itemId)).toEqual([
      'li_split001',
      'li_split003',
    ]);
    expect(
      (state.steps.package!.result as { packageId: string; status: string }[]).map((p) => [p.packageId, p.status]),
    ).toEqual([
      ['pkg_split001', 'delivered'],
      ['pkg_split002', 'in_transit'],
    ]);
    expect(state.steps.delivered?.outcome).toBe('check failed');
    expect(state.messages.map((m) => m.text)).toContain(
      'Still on its way, so it cannot be returned yet: Teapot — Blue (Arriving on 24 November 2026). An item can be returned after it is delivered.',
    );
    expect(state.steps.initiate).toBeUndefined();
  });

  it('two delivered items in one package: the package is read once and the return covers both items', async () => {
    const { r, state } = await run('07-two-delivered-items.yaml');
    expect(r.problems).toEqual([]);
    expect((state.steps.item!.result as { itemId: string }[]).map((i) => i.itemId)).toEqual([
      'li_split001',
      'li_split002',
    ]);
    expect((state.steps.package!.result as { packageId: string }[]).map((p) => p.packageId)).toEqual(['pkg_split001']);
    expect(state.steps.initiate?.result).toMatchObject({
      result: {
        items: [
          { itemId: 'li_split001', quantity: 1 },
          { itemId: 'li_split002', quantity: 2 },
        ],
      },
    });
  });
});
