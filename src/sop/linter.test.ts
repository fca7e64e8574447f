import { describe, expect, it } from 'vitest';
import { fakeCatalogue, REFUND_SOP } from '../../test/support/sop-fakes.js';
import { lintSource } from './linter.js';
import { parseSop } from './parser.js';

const { catalogue } = fakeCatalogue();

const HEAD = `---
id: t
title: T
version: 1
appliesWhen: testing
---

## One
`;
// HEAD is 8 lines; the first step fence is line 9.
const step = (yaml: string) => '```step\n' + yaml.trim() + '\n```\n';
const lint = (...steps: string[]) => lintSource(HEAD + steps.join('\n'), 't.md', catalogue);
const only = (issues: ReturnType<typeof lint>) => issues.map((i) => ({ line: i.line, code: i.code }));

describe('SOP linter', () => {
  it('accepts a well-formed SOP', () => {
    expect(lintSource(REFUND_SOP, 'refund.md', catalogue)).toEqual([]);
  });

  it('rejects an unknown tool, naming the file and the line', () => {
    const issues = lint(step('id: a\nkind: tool\ntool: teleport_order\nargs:\n  orderId: \'"#1"\''));
    expect(only(issues)).toEqual([{ line: 12, code: 'unknown_tool' }]);
    expect(issues[0]!.file).toBe('t.md');
    expect(issues[0]!.message).toContain('no tool "teleport_order"');
  });

  it('rejects wrong and missing argument names, checked against the tool’s input schema', () => {
    const issues = lint(step('id: a\nkind: tool\ntool: refund_order\nargs:\n  order: \'"#1"\'\n  reason: \'"x"\''));
    expect(only(issues)).toEqual([
      { line: 13, code: 'missing_argument' },
      { line: 14, code: 'unknown_argument' },
    ]);
    expect(issues.find((i) => i.code === 'missing_argument')!.message).toContain('needs the argument "orderId"');
    expect(issues.find((i) => i.code === 'unknown_argument')!.message).toContain('has no argument "order"');
  });

  it('rejects a bad CEL expression', () => {
    const issues = lint(step('id: a\nkind: check\nwhen: "1 + "\nonFail:\n  end: failed'));
    expect(only(issues)).toEqual([{ line: 12, code: 'bad_expression' }]);
  });

  it('rejects references to unknown inputs, steps, run fields and variables', () => {
    const issues = lint(
      step('id: a\nkind: say\nmessage: "Hi {{ inputs.name }} {{ steps.nope.result }}"'),
      step('id: b\nkind: check\nwhen: run.secret == "x" || foo\nonFail:\n  end: failed'),
    );
    expect(issues.map((i) => i.code)).toEqual([
      'unknown_input',
      'unknown_step_reference',
      'unknown_run_field',
      'unknown_variable',
    ]);
  });

  it('rejects event outside a wait step', () => {
    expect(
      lint(step('id: a\nkind: check\nwhen: event.data.x == 1\nonFail:\n  end: failed')).map((i) => i.code),
    ).toEqual(['event_outside_wait']);
    expect(lint(step('id: a\nkind: wait\nevent: return.received\nwhen: event.data.x == 1'))).toEqual([]);
  });

  it('checks a wait’s events and its other events: their types, conditions, messages and gotos', () => {
    const wait = (more: string) =>
      step(`id: a\nkind: wait\nevent: return.received\nnext: fin\nonEvents:\n${more}`) +
      step('id: declined\nkind: end\nsay: Declined.') +
      step('id: fin\nkind: end');
    // Its outcome's message may quote the event; its goto reaches a step nothing else does.
    expect(
      lint(wait('  - event: return.declined\n    say: "No: {{ event.data.reason }}"\n    goto: declined')),
    ).toEqual([]);
    const issues = lint(wait('  - event: return.refused\n    when: "event.data.x == "\n    goto: nowhere'));
    expect(issues.map((i) => i.code).sort()).toEqual([
      'bad_expression',
      'unknown_event',
      'unknown_step',
      'unreachable_step',
    ]);
    expect(issues.find((i) => i.code === 'unknown_event')!.message).toContain('return.declined');
    expect(only(lint(step('id: a\nkind: wait\nevent: parcel.arrived')))).toEqual([{ line: 12, code: 'unknown_event' }]);
  });

  it('rejects a goto to an unknown step and reports unreachable steps', () => {
    const issues = lint(
      step('id: a\nkind: goto\ngoto: c'),
      step('id: b\nkind: say\nmessage: never said'),
      step('id: c\nkind: branch\ncases:\n  - when: "true"\n    goto: zzz'),
    );
    expect(only(issues)).toEqual([
      { line: 16, code: 'unreachable_step' },
      { line: 26, code: 'unknown_step' },
    ]);
  });

  it('rejects a manual step without evidence, and an evidence pattern that is not a regular expression', () => {
    expect(lint(step('id: a\nkind: manual\nevidence: {}')).map((i) => i.code)).toEqual(['missing_evidence']);
    expect(only(lint(step('id: a\nkind: manual\nevidence:\n  esg: "^ESG-(\\\\d+$"')))).toEqual([
      { line: 13, code: 'bad_pattern' },
    ]);
  });

  it('accepts a text evidence field filled from the conversation, and refuses `from` elsewhere or of no source', () => {
    const field = (spec: string) => step(`id: a\nkind: manual\nevidence:\n  ref:\n${spec}`);
    expect(lint(field('    type: string\n    from: conversation.ticket'))).toEqual([]);
    expect(only(lint(field('    type: confirmed\n    from: conversation.ticket')))).toEqual([
      { line: 15, code: 'invalid_step' },
    ]);
    expect(lint(field('    type: string\n    from: conversation.subject')).map((i) => i.code)).toEqual([
      'invalid_step',
    ]);
  });

  it('rejects duplicate step ids and unknown step kinds', () => {
    expect(
      lint(step('id: a\nkind: say\nmessage: x'), step('id: a\nkind: say\nmessage: y')).map((i) => i.code),
    ).toContain('duplicate_step');
    const bad = lint(step('id: a\nkind: teleport'));
    expect(bad[0]).toMatchObject({ line: 11, code: 'invalid_step' });
  });

  it('reports a duplicate step id once, without making the steps after the first one unreachable', () => {
    const issues = lint(
      step('id: a\nkind: say\nmessage: x'),
      step('id: b\nkind: say\nmessage: y'),
      step('id: a\nkind: end'),
    );
    expect(only(issues)).toEqual([{ line: 22, code: 'duplicate_step' }]);
  });

  it('reports a misspelt field (in a step, an outcome, a compensation) instead of silently ignoring it', () => {
    const issues = lint(
      step('id: a\nkind: check\nwhen: "true"\nonFail:\n  sya: not found\n  end: failed'),
      step('id: b\nkind: say\nmessage: x\ndisclosure:\n  - Shipping fees are not refunded.'),
      step(
        'id: c\nkind: tool\ntool: get_item_details\nargs:\n  itemId: \'"li_1"\'\ncompensate:\n  tool: get_item_details\n  arg:\n    itemId: \'"li_1"\'',
      ),
    );
    expect(only(issues)).toEqual([
      { line: 14, code: 'unknown_field' },
      { line: 22, code: 'unknown_field' },
      { line: 32, code: 'missing_argument' },
      { line: 34, code: 'unknown_field' },
    ]);
    expect(issues[0]!.message).toContain('unknown field "onFail.sya"');
    expect(issues[1]!.message).toContain('unknown field "disclosure"');
    expect(issues[3]!.message).toContain('unknown field "compensate.arg"');
    const front = lintSource(
      '---\nid: t\ntitle: T\nversion: 1\nappliesWhen: w\ntrigger: [x]\n---\n' + step('id: a\nkind: end'),
      't.md',
      catalogue,
    );
    expect(only(front)).toEqual([{ line: 6, code: 'unknown_field' }]);
  });

  it('rejects a check whose onFail does not say where to go', () => {
    const issues = lint(step('id: a\nkind: check\nwhen: "true"\nonFail:\n  say: hm'));
    expect(issues[0]).toMatchObject({ code: 'invalid_step', line: 13 });
    expect(issues[0]!.message).toContain('exactly one of goto, handoff or end');
  });

  it('rejects bad YAML and a missing front matter, with lines', () => {
    expect(lint('```step\nid: a\n  kind: [\n```\n')[0]).toMatchObject({ code: 'bad_yaml' });
    expect(lintSource('# no front matter', 'x.md', catalogue)).toEqual([
      expect.objectContaining({ line: 1, code: 'missing_front_matter' }),
    ]);
    expect(
      lintSource(
        '---\nid: X Y\ntitle: t\nversion: 1\nappliesWhen: w\n---\n' + step('id: a\nkind: end'),
        'x.md',
        catalogue,
      )[0],
    ).toMatchObject({ line: 2, code: 'invalid_front_matter' });
  });

  it('checks confirmedWith: a write step naming an earlier write step, whose confirm covers it', () => {
    const refund = step('id: refund\nkind: tool\ntool: refund_order\nargs:\n  orderId: \'"#1"\'\n  reason: \'"x"\'');
    const market = (target: string) =>
      step(`id: market\nkind: tool\ntool: marketplace_refund\nconfirmedWith: ${target}\nargs:\n  orderId: '"ESG-1"'`);
    const item = step('id: item\nkind: tool\ntool: get_item_details\nargs:\n  itemId: \'"li_1"\'');
    expect(lint(refund, market('refund'))).toEqual([]);
    // Not earlier, not a write, not a step at all.
    expect(lint(market('refund'), refund).map((i) => i.code)).toEqual(['bad_confirmed_with']);
    expect(lint(item, market('item')).map((i) => i.code)).toEqual(['bad_confirmed_with']);
    expect(lint(refund, market('nowhere')).map((i) => i.code)).toEqual(['bad_confirmed_with']);
    // A read-only step needs no confirm to be covered.
    const readOnly = step(
      'id: again\nkind: tool\ntool: get_item_details\nconfirmedWith: refund\nargs:\n  itemId: \'"li_1"\'',
    );
    const issues = lint(refund, readOnly);
    expect(issues.map((i) => i.code)).toEqual(['bad_confirmed_with']);
    expect(issues[0]!.message).toContain('get_item_details only reads');
  });
});

describe('SOP linter: forEach loops', () => {
  const loop = (extra = '') =>
    step(
      `id: a\nkind: tool\ntool: get_item_details\nforEach: inputs.ids\nargs:\n  itemId: item.itemId\n  position: itemIndex${extra}`,
    );
  const HEAD_IDS = HEAD.replace('appliesWhen: testing', 'appliesWhen: testing\ninputs: [ids]');
  const lintIds = (...steps: string[]) => lintSource(HEAD_IDS + steps.join('\n'), 't.md', catalogue);

  it('accepts the element and its index in the step’s arguments, under the default name or `as`', () => {
    expect(lintIds(loop())).toEqual([]);
    expect(
      lintIds(
        step(
          'id: a\nkind: tool\ntool: get_item_details\nforEach: inputs.ids\nas: line\nargs:\n  itemId: line\n  position: lineIndex',
        ),
      ),
    ).toEqual([]);
  });

  it('accepts the element in the compensation’s arguments too', () => {
    const compensated = loop(
      '\ncompensate:\n  tool: transfer_to_human_representative\n  args:\n    customerId: item.customerId\n    summary: \'"undo " + string(itemIndex)\'',
    );
    expect(lintIds(compensated)).toEqual([]);
  });

  it('reports the element used outside its step, or under another name, as an unknown variable', () => {
    const issues = lintIds(
      step('id: a\nkind: tool\ntool: get_item_details\nforEach: inputs.ids\nas: line\nargs:\n  itemId: item'),
      step('id: b\nkind: say\nmessage: "{{ line }}"'),
    );
    expect(only(issues)).toEqual([
      { line: 17, code: 'unknown_variable' },
      { line: 23, code: 'unknown_variable' },
    ]);
    expect(issues[0]!.message).toContain('and here line, lineIndex');
  });

  it('checks the forEach expression like any other, where the element does not exist yet', () => {
    expect(
      only(lintIds(step('id: a\nkind: tool\ntool: get_item_details\nforEach: "inputs.ids["\nargs:\n  itemId: item'))),
    ).toEqual([{ line: 14, code: 'bad_expression' }]);
    expect(
      lintIds(step('id: a\nkind: tool\ntool: get_item_details\nforEach: item.list\nargs:\n  itemId: item')).map(
        (i) => i.code,
      ),
    ).toEqual(['unknown_variable']);
    expect(
      lintIds(step('id: a\nkind: tool\ntool: get_item_details\nforEach: inputs.nope\nargs:\n  itemId: item')).map(
        (i) => i.code,
      ),
    ).toEqual(['unknown_input']);
  });

  it('reports a write tool in a loop: writes take a list and get one preview, confirm and key', () => {
    const issues = lintIds(
      step(
        'id: a\nkind: tool\ntool: refund_order\nforEach: inputs.ids\nargs:\n  orderId: item\n  reason: \'"customer"\'',
      ),
    );
    expect(only(issues)).toEqual([{ line: 14, code: 'foreach_write_tool' }]);
    expect(issues[0]!.message).toContain('refund_order changes things');
  });

  it('refuses `as` without forEach, and an element named like a scope root', () => {
    expect(
      lintIds(step('id: a\nkind: tool\ntool: get_item_details\nas: line\nargs:\n  itemId: \'"li_1"\''))[0],
    ).toMatchObject({ code: 'invalid_step', line: 14 });
    const root = lintIds(
      step('id: a\nkind: tool\ntool: get_item_details\nforEach: inputs.ids\nas: steps\nargs:\n  itemId: steps'),
    );
    expect(root[0]).toMatchObject({ code: 'invalid_step', line: 15 });
    expect(root[0]!.message).toContain('cannot be named inputs, steps, run, event');
  });
});

describe('SOP parser', () => {
  it('keeps the prose: headings become step titles, text above a block its instructions', () => {
    const { doc } = parseSop(REFUND_SOP, 'r.md');
    const s = doc!.steps.find((x) => x.def.id === 'store_refund')!;
    expect(s.title).toBe('Refund in the store');
    expect(s.instructions).toBe('Refund in the store so the inventory is right.');
    expect(doc!.intro).toBe('# Refund');
    expect(doc!.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('SOP linter: front matter', () => {
  it('checks the customer expression', () => {
    const src =
      '---\nid: t\ntitle: T\nversion: 1\nappliesWhen: w\ncustomer: steps.nope.result.id\n---\n```step\nid: a\nkind: end\n```\n';
    expect(lintSource(src, 't.md', [])).toEqual([expect.objectContaining({ line: 2, code: 'unknown_step_reference' })]);
  });
});

describe('SOP linter: variant and payment method asks', () => {
  it('checks the product expression of a variant ask, and refuses it on another type', () => {
    expect(
      lint(
        step('id: item\nkind: tool\ntool: get_item_details\nargs:\n  itemId: \'"li_1"\''),
        step('id: v\nkind: ask\ninput: variant\ntype: variant\nproduct: steps.item.result.productId'),
      ),
    ).toEqual([]);
    expect(
      only(lint(step('id: v\nkind: ask\ninput: variant\ntype: variant\nproduct: steps.nope.result.productId'))),
    ).toEqual([{ line: 14, code: 'unknown_step_reference' }]);
    const wrongType = lint(step('id: v\nkind: ask\ninput: sku\ntype: string\nproduct: inputs.x'));
    expect(wrongType).toHaveLength(1);
    expect(wrongType[0]!.message).toContain('give it only with type: variant');
  });

  it('reports a payment method asked for when the SOP never learns whose it is', () => {
    const ask = step('id: pm\nkind: ask\ninput: method\ntype: paymentMethod');
    expect(only(lint(ask))).toEqual([{ line: 13, code: 'payment_method_without_customer' }]);
    expect(lint(step('id: who\nkind: ask\ninput: customer\ntype: customer'), ask)).toEqual([]);
    const withCustomer = `---\nid: t\ntitle: T\nversion: 1\nappliesWhen: w\ninputs: [customerId]\ncustomer: inputs.customerId\n---\n${ask}`;
    expect(lintSource(withCustomer, 't.md', catalogue)).toEqual([]);
  });
});
