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
import { upsertCustomer } from '../../src/app/ingest/upsert-customer.js';
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

const PICK_SOP = `---
id: pick
title: Pick a variant and a payment method
version: 1
appliesWhen: testing
---

## Which variant

${step(`
id: variant
kind: ask
input: variant
type: variant
`)}
${step(`
id: product
kind: tool
tool: list_products
args:
  query: '"T-shirt"'
  limit: '1'
`)}
${step(`
id: size
kind: ask
input: size
type: variant
product: steps.product.result.products[0].productId
`)}
${step(`
id: method
kind: ask
input: method
type: paymentMethod
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
  engine = new SopEngine({ ctx, catalogue: TOOLS, library: library(SOP, EVIDENCE_SOP, PICK_SOP) });
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

describe('variant and payment-method answers', () => {
  const variantOf = async (sku: string) => {
    const r = await ctx.database.db.execute(sql`select id from variants where sku = ${sku}`);
    return ((r as unknown as { rows: { id: string }[] }).rows ?? (r as unknown as { id: string }[]))[0]!.id;
  };
  let customerId: string;
  beforeAll(async () => {
    const c = await upsertCustomer(
      ctx,
      {
        name: 'Pat Payer',
        emails: ['pat.payer@example.com'],
        addresses: [],
        externalIds: {},
        paymentMethods: [
          { kind: 'card', label: 'Visa •••• 4242', brand: 'Visa', last4: '4242' },
          { kind: 'card', label: 'Mastercard •••• 5100', brand: 'Mastercard', last4: '5100' },
          { kind: 'gift_card', label: 'Gift card •••• 7781', last4: '7781', balance: 2500, currency: 'USD' },
          { kind: 'store_credit', label: 'Store credit', balance: 1000, currency: 'USD' },
        ],
      },
      opts,
    );
    customerId = c.id;
  });

  it('a variant by SKU, "Product — Variant" or its id becomes its id; a title several have or none has is asked again', async () => {
    const teeBlackM = await variantOf('TEE-BLA-M');
    for (const answer of [
      'tee-bla-m',
      'Merino Crew T-shirt — Black / M',
      'Merino Crew T-shirt - Black / M',
      teeBlackM,
    ]) {
      const run = await engine.start({ sopId: 'pick', customerId }, opts);
      const v = await engine.submit(run.id, 'variant', { answer }, opts);
      expect(v.inputs.variant, answer).toBe(teeBlackM);
      expect(v.current?.stepId).toBe('size');
    }
    // A product with one variant, by its title.
    const single = await engine.start({ sopId: 'pick', customerId }, opts);
    const br3 = await engine.submit(single.id, 'variant', { answer: 'SleepCues BoardReview 3.0' }, opts);
    expect(br3.inputs.variant).toBe(await variantOf('SQBR-3.0'));

    const run = await engine.start({ sopId: 'pick', customerId }, opts);
    for (const [answer, says] of [
      [
        'Black / M',
        '"Black / M" matches 2 variants (Cotton Hoodie — Black / M (HOODIE-BLA-M), Merino Crew T-shirt — Black / M (TEE-BLA-M))',
      ],
      ['TEE-PUR-M', 'no variant has the SKU or title "TEE-PUR-M"'],
    ] as const) {
      await expect(engine.submit(run.id, 'variant', { answer }, opts)).rejects.toMatchObject({
        code: 'invalid_argument',
        details: { reason: 'invalid_answer' },
        message: expect.stringContaining(says),
      });
    }
    expect((await engine.view(run.id)).current?.stepId).toBe('variant');
  });

  it("a variant ask with a product takes that product's variants by title, and refuses another product's", async () => {
    const run = await engine.start({ sopId: 'pick', customerId, inputs: { variant: 'SQBR-3.0' } }, opts);
    expect(run.current?.stepId).toBe('size');
    const tee = (await engine.view(run.id)).current?.form;
    expect(tee).toMatchObject({ type: 'variant', productId: expect.stringMatching(/^prod_/) });
    await expect(engine.submit(run.id, 'size', { answer: 'HOODIE-BLA-M' }, opts)).rejects.toMatchObject({
      details: { reason: 'invalid_answer' },
      message: expect.stringContaining('"HOODIE-BLA-M" is not a variant of Merino Crew T-shirt'),
    });
    const v = await engine.submit(run.id, 'size', { answer: 'black / m' }, opts);
    expect(v.inputs.size).toBe(await variantOf('TEE-BLA-M'));
    expect(v.current?.stepId).toBe('method');
  });

  it("a payment method is one of the run's customer's, by id, label or words of it; another or an unclear one is asked again", async () => {
    const methods = (await ctx.database.db.execute(
      sql`select id, label from payment_methods where customer_id = ${customerId}`,
    )) as unknown as { rows?: { id: string; label: string }[] };
    const rowsOf = (methods.rows ?? (methods as unknown as { id: string; label: string }[])) as {
      id: string;
      label: string;
    }[];
    const idOf = (label: string) => rowsOf.find((m) => m.label === label)!.id;
    const start = () =>
      engine.start({ sopId: 'pick', customerId, inputs: { variant: 'SQBR-3.0', size: 'TEE-BLA-M' } }, opts);
    for (const [answer, label] of [
      ['my Visa ending in 4242', 'Visa •••• 4242'],
      ['5100', 'Mastercard •••• 5100'],
      ['visa •••• 4242', 'Visa •••• 4242'],
      ['store credit', 'Store credit'],
      ['the gift card', 'Gift card •••• 7781'],
      [idOf('Store credit'), 'Store credit'],
    ] as const) {
      const run = await start();
      expect(run.current?.stepId).toBe('method');
      const done = await engine.submit(run.id, 'method', { answer }, opts);
      expect(done.inputs.method, answer).toBe(idOf(label));
      expect(done.status).toBe('completed');
    }
    const run = await start();
    for (const [answer, says] of [
      // The cards and the gift card (in the order the customer's details list them).
      ['card', '"card" matches 3 payment methods ('],
      ['Amex 1005', '"Amex 1005" is not one of the customer\'s payment methods ('],
      ['pm_someoneelse1', "is not one of the customer's payment methods"],
    ] as const) {
      await expect(engine.submit(run.id, 'method', { answer }, opts)).rejects.toMatchObject({
        details: { reason: 'invalid_answer' },
        message: expect.stringContaining(says),
      });
    }
    expect((await engine.view(run.id)).current?.stepId).toBe('method');
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
