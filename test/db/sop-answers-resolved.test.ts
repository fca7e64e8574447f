/**
 * An answer that names a record is looked up when it is given: a product by SKU or name becomes its id, a name
 * nothing has is asked again. A tool step that finds nothing for an answer goes back to its question instead of
 * failing the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadDemo } from '../../src/app/demo/load-demo.js';
import { timelineEvents } from '../../src/db/schema/index.js';
import type { Actor } from '../../src/domain/timeline.js';
import { SopEngine } from '../../src/sop/engine.js';
import { TOOLS } from '../../src/tools/catalogue.js';
import { openTestContext } from '../support/db.js';
import { library } from '../support/sop-fakes.js';

const opts = { actor: { kind: 'human', id: 'sam' } as Actor };

const step = (body: string) => `\`\`\`step\n${body.trim()}\n\`\`\`\n`;
const SOP = `---
id: answers
title: Answers
version: 1
appliesWhen: testing
---

## Which product

${step(`
id: which
kind: ask
input: productId
type: product
prompt: Which product should it be?
`)}
${step(`
id: product
kind: tool
tool: get_product_details
args:
  productId: inputs.productId
`)}

## Which order

${step(`
id: order_ref
kind: ask
input: order
type: order
`)}
${step(`
id: order
kind: tool
tool: get_order_details
args:
  orderId: inputs.order
`)}
${step(`
id: note
kind: ask
input: itemRef
type: string
prompt: Which line (its id)?
`)}
${step(`
id: item
kind: tool
tool: get_item_details
args:
  itemId: inputs.itemRef
`)}
${step(`
id: done
kind: say
message: 'Product {{ steps.product.result.title }}, item {{ steps.item.result.title }}.'
`)}`;

const EVIDENCE_SOP = `---
id: evidence
title: Evidence
version: 1
appliesWhen: testing
---

## Log it on the board

${step(`
id: board
kind: manual
system: Work board
evidence:
  esgNumber: { type: string, pattern: '^ESG-\\d+$', label: "Kogan's ESG- order number" }
  logged: { type: confirmed, label: Logged on the board }
`)}`;

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let engine: SopEngine;
beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 3, orders: 6, seed: 1 }, { actor: { kind: 'system' } });
  engine = new SopEngine({ ctx, catalogue: TOOLS, library: library(SOP, EVIDENCE_SOP) });
}, 120_000);
afterAll(() => ctx.drop());

describe('answers that name a record', () => {
  it('a product given by its SKU or its name is resolved to its id; a SKU that is a prefix of another is exact', async () => {
    const bySku = await engine.start({ sopId: 'answers' }, opts);
    const a = await engine.submit(bySku.id, 'which', { answer: 'sqbr-3.0' }, opts);
    expect(a.current?.stepId).toBe('order_ref');
    const product = (await engine.view(a.id)).inputs.productId as string;
    expect(product).toMatch(/^prod_/);
    const byName = await engine.start({ sopId: 'answers' }, opts);
    const b = await engine.submit(byName.id, 'which', { answer: 'BoardReview 2' }, opts);
    expect(b.inputs.productId).toMatch(/^prod_/);
    expect(b.inputs.productId).not.toBe(product);
  });

  it('an unknown product id, SKU or name is asked again, naming what was wrong; the run stays where it was', async () => {
    const run = await engine.start({ sopId: 'answers' }, opts);
    for (const [answer, says] of [
      ['prod_nothing1', 'there is no product prod_nothing1'],
      ['SQBR-9.9', 'no product has the SKU or name "SQBR-9.9"'],
    ] as const) {
      await expect(engine.submit(run.id, 'which', { answer }, opts)).rejects.toMatchObject({
        code: 'invalid_argument',
        details: { reason: 'invalid_answer' },
        message: expect.stringContaining(says),
      });
    }
    const v = await engine.view(run.id);
    expect(v.status).toBe('running');
    expect(v.current?.stepId).toBe('which');
  });

  it('a well-formed order nobody has, read by a step without its own branch for it, is asked again', async () => {
    const run = await engine.start({ sopId: 'answers', inputs: { productId: 'SQBR-3.0' } }, opts);
    expect(run.current?.stepId).toBe('order_ref');
    const v = await engine.submit(run.id, 'order_ref', { answer: '#999999' }, opts);
    expect(v.status).toBe('running');
    expect(v.current?.stepId).toBe('order_ref');
    expect(v.notices.at(-1)?.message).toMatch(/#999999.*The question "Which order" is asked again\./);
    // Answered right, the question's notice is gone: it is no longer what the run is waiting on.
    const right = await engine.submit(run.id, 'order_ref', { answer: '#1001' }, opts);
    expect(right.current?.stepId).toBe('note');
    expect(right.notices).toEqual([]);
  });

  it('a tool step that finds nothing for an answer goes back to the question instead of failing the run', async () => {
    const run = await engine.start({ sopId: 'answers', inputs: { productId: 'SQBR-3.0', order: '#1001' } }, opts);
    expect(run.current?.stepId).toBe('note');
    const wrong = await engine.submit(run.id, 'note', { answer: 'li_typo1' }, opts);
    expect(wrong.status).toBe('running');
    expect(wrong.failure).toBeNull();
    expect(wrong.current?.stepId).toBe('note');
    expect(wrong.notices.at(-1)?.message).toContain('The question "Which order" is asked again.');
  });
});

describe('evidence of work done by hand', () => {
  it('is asked for by example, refused naming the example, and shown in the run and on the timeline with its labels', async () => {
    const run = await engine.start({ sopId: 'evidence' }, opts);
    expect(run.current?.evidence?.[0]).toMatchObject({ name: 'esgNumber', example: 'ESG-58231467' });
    await expect(
      engine.submit(run.id, 'board', { evidence: { esgNumber: 'ESG 12', logged: true } }, opts),
    ).rejects.toMatchObject({
      message: 'evidence.esgNumber: "ESG 12" is not in the form asked for, such as ESG-58231467',
    });
    const done = await engine.submit(run.id, 'board', { evidence: { esgNumber: 'ESG-777', logged: true } }, opts);
    expect(done.status).toBe('completed');
    expect(done.evidence).toEqual([
      {
        stepId: 'board',
        title: 'Log it on the board',
        system: 'Work board',
        fields: [
          { name: 'esgNumber', label: "Kogan's ESG- order number", value: 'ESG-777' },
          { name: 'logged', label: 'Logged on the board', value: true },
        ],
        by: { kind: 'human', id: 'sam' },
        at: expect.any(String),
      },
    ]);
    const [event] = await ctx.database.db
      .select()
      .from(timelineEvents)
      .where(sql`${timelineEvents.type} = 'sop.step_completed' and ${timelineEvents.data}->>'runId' = ${run.id}`);
    expect(event?.data).toMatchObject({
      title: 'Log it on the board',
      evidence: [{ name: 'esgNumber', label: "Kogan's ESG- order number", value: 'ESG-777' }, { name: 'logged' }],
    });
  });
});
