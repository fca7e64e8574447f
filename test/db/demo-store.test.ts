import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestContext, T0 } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { rows } from '../../src/db/database.js';
import { demoLines, loadDemo } from '../../src/app/demo/load-demo.js';
import {
  DEMO_EMAILS,
  MATRIX_FINANCIAL,
  MATRIX_FULFILLMENT,
  MATRIX_ORDER,
  isMatrixCombination,
  matrixEmail,
  matrixNote,
} from '../../src/app/demo/fixed-cases.js';
import { DEMO_KOGAN_TICKET } from '../../src/app/demo/demo-conversations.js';
import { FINANCIAL_STATUS_LABEL, FULFILLMENT_STATUS_LABEL, ORDER_STATUS_LABEL } from '../../src/domain/order-status.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 10, orders: 60, seed: 'demo-test' }, { actor: { kind: 'system', id: 'demo' } });
  api = await testApi(ctx);
});
afterAll(() => ctx.drop());

async function customerByEmail(email: string) {
  const r = await api.request('GET', `/v1/customers?email=${encodeURIComponent(email)}`);
  expect(r.status).toBe(200);
  expect(r.body.customers).toHaveLength(1);
  return r.body.customers[0];
}

async function ordersOf(email: string): Promise<any[]> {
  const c = await customerByEmail(email);
  return (await api.request('GET', `/v1/customers/${c.id}/orders`)).body.orders;
}

describe('demo store', () => {
  it('is deterministic: the same seed and day give the same snapshot, byte for byte', () => {
    const opts = { customers: 30, orders: 120, seed: 7, now: new Date(T0) };
    const a = [...demoLines(opts)].join('');
    const b = [...demoLines({ ...opts, now: new Date('2026-11-20T23:59:00Z') })].join('');
    expect(b).toBe(a);
    expect([...demoLines({ ...opts, seed: 8 })].join('')).not.toBe(a);
  });

  it('holds every seed-003 combination of order, financial and fulfillment status, read back with its labels', async () => {
    const seen = new Set<string>();
    for (const f of MATRIX_FINANCIAL) {
      for (const o of await ordersOf(matrixEmail(f))) {
        const m = /^demo:status (\w+)\/(\w+)\/(\w+)$/.exec(o.note);
        expect(m).not.toBeNull();
        const [, order, financial, fulfillment] = m!;
        expect(o.status.orderLabel).toBe(ORDER_STATUS_LABEL[order as keyof typeof ORDER_STATUS_LABEL]);
        expect(o.status.financialLabel).toBe(FINANCIAL_STATUS_LABEL[financial as keyof typeof FINANCIAL_STATUS_LABEL]);
        expect(o.status.fulfillmentLabel).toBe(
          FULFILLMENT_STATUS_LABEL[fulfillment as keyof typeof FULFILLMENT_STATUS_LABEL],
        );
        seen.add(o.note);
      }
    }
    const expected = MATRIX_ORDER.flatMap((o) =>
      MATRIX_FINANCIAL.filter((f) => isMatrixCombination(o, f)).flatMap((f) =>
        MATRIX_FULFILLMENT.map((ff) => matrixNote(o, f, ff)),
      ),
    );
    expect(expected).toHaveLength(60);
    expect([...seen].sort()).toEqual(expected.sort());
    const labels = new Set([...seen].map((n) => n.split(' ')[1]!.split('/')[1]));
    expect(labels).toEqual(
      new Set(['paid', 'pending', 'partially_paid', 'partially_refunded', 'refunded', 'voided', 'authorized']),
    );
  });

  it("has the product-swap procedure's case: Mohammed (IMS id) bought BoardReview 2.0 for $500, with active codes, while a same-priced 3.0 exists", async () => {
    const mohammed = await customerByEmail(DEMO_EMAILS.mohammed);
    expect(mohammed.externalIds.map((x: any) => x.system)).toContain('ims');
    const [order] = await ordersOf(DEMO_EMAILS.mohammed);
    expect(order.name).toBe('#1001');
    expect(order.lines[0]).toMatchObject({ sku: 'SQBR-2.0', unitPrice: 50000, productKind: 'digital_access' });
    expect(order.lines[0].activeCodes).toBeGreaterThan(0);
    expect(order.status.financialLabel).toBe('Paid');
    const editions = await rows<{ sku: string; price: number; title: string }>(
      ctx.database.db,
      sql`select v.sku, v.price, p.title from variants v join products p on p.id = v.product_id where v.sku like 'SQBR-%' order by v.sku`,
    );
    expect(editions.find((e) => e.sku === 'SQBR-3.0')).toMatchObject({
      price: 50000,
      title: 'SleepCues BoardReview 3.0',
    });
    expect(editions.some((e) => e.price !== 50000)).toBe(true);
  });

  it("has the Kogan procedure's case: a Kogan marketplace order in AUD with an ESG- reference, for a customer with an email", async () => {
    const [order] = await ordersOf(DEMO_EMAILS.kogan);
    expect(order).toMatchObject({ channel: 'kogan', currency: 'AUD' });
    expect(order.externalRef).toMatch(/^ESG-\d+$/);
    const byRef = await rows<{ n: number }>(
      ctx.database.db,
      sql`select count(*)::int as n from orders where channel = 'kogan' and external_ref like 'ESG-%'`,
    );
    expect(byRef[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it("has the Shopify order rules' example: 5 ordered, 3 paid → Partially paid; some delivered → Partially fulfilled", async () => {
    const [order] = await ordersOf(DEMO_EMAILS.partialPaid);
    expect(order.lines[0].quantity).toBe(5);
    expect(order.status.financialLabel).toBe('Partially paid');
    expect(order.status.fulfillmentLabel).toBe('Partially fulfilled');
    expect(order.lines[0].deliveredQuantity).toBeGreaterThan(0);
  });

  it('has packages delivered, arriving on a date, out for delivery and ready for pickup, with tracking URLs per line', async () => {
    const orders = await ordersOf(DEMO_EMAILS.returns);
    const labels = orders.flatMap((o) => o.packages.map((p: any) => p.statusLabel as string));
    expect(labels).toEqual(expect.arrayContaining(['Delivered', 'Out for delivery', 'Ready for pickup']));
    expect(labels.some((l) => /^Arriving on \d{1,2} [A-Z][a-z]+ \d{4}$/.test(l))).toBe(true);
    const shipped = orders.find((o) => o.note === 'demo:in-transit');
    expect(shipped.lines[0].trackingUrls[0]).toMatch(/^https:\/\//);
  });

  it('has returnable and no-return items, return windows both open and expired, and variants to exchange into', async () => {
    const orders = await ordersOf(DEMO_EMAILS.returns);
    const notes = orders.map((o) => o.note);
    expect(notes).toEqual(
      expect.arrayContaining(['demo:return-eligible', 'demo:return-window-expired', 'demo:no-return-items']),
    );
    const lines = orders.flatMap((o) => o.lines);
    expect(lines.some((l) => l.returnable === false)).toBe(true);
    expect(lines.some((l) => l.returnable === true)).toBe(true);
    const expired = orders.find((o) => o.note === 'demo:return-window-expired');
    const ageDays = (Date.parse(T0) - Date.parse(expired.placedAt)) / 86_400_000;
    expect(ageDays).toBeGreaterThan(expired.lines[0].returnWindowDays);
    const tees = await rows<{ available: boolean }>(
      ctx.database.db,
      sql`select v.available from variants v where v.sku like 'TEE-%'`,
    );
    expect(tees.length).toBeGreaterThan(4);
    expect(tees.some((t) => !t.available)).toBe(true);
  });

  it('has gift cards with balances and store credit', async () => {
    const c = await customerByEmail(DEMO_EMAILS.giftCard);
    const gift = c.paymentMethods.find((m: any) => m.kind === 'gift_card');
    expect(gift.balance).toBeGreaterThan(0);
    expect(c.paymentMethods.some((m: any) => m.kind === 'store_credit' && m.balance > 0)).toBe(true);
    const [order] = await ordersOf(DEMO_EMAILS.giftCard);
    expect(order.transactions.some((t: any) => t.paymentMethodId === gift.id)).toBe(true);
  });

  it('comes with conversations to open, each arrived through its channel: email threads, a Kogan ticket, a chat', async () => {
    const list = (await api.request('GET', '/v1/conversations?limit=50')).body.items as any[];
    const of = (email: string) => list.filter((c) => c.customer.email === email);
    // Mohammed's two emails, the second a reply (In-Reply-To), are one email conversation about the course edition.
    const [mohammed, ...more] = of(DEMO_EMAILS.mohammed);
    expect(more).toHaveLength(0);
    expect(mohammed).toMatchObject({ channel: 'email', subject: 'Wrong edition of BoardReview', status: 'open' });
    const thread = (await api.request('GET', `/v1/conversations/${mohammed.id}`)).body.messages;
    expect(thread.map((m: any) => m.kind)).toEqual(['inbound', 'inbound']);
    expect(thread[0].body).toContain('my course uses the 3.0 edition');
    // Kogan's notification, sent by the marketplace, is filed by the marketplace mail rule on channel kogan, under its
    // ticket, for the customer the mail names (Olivia), not for the marketplace's sender address.
    const [kogan] = of(DEMO_EMAILS.kogan);
    expect(kogan).toMatchObject({
      channel: 'kogan',
      externalRef: DEMO_KOGAN_TICKET,
      customer: { name: 'Olivia Nguyen' },
    });
    expect(list.some((c) => c.customer.email.includes('kogan.com'))).toBe(false);
    // Jordan asks in the chat widget, logged in on the store: a verified visitor's conversation.
    const [jordan] = of(DEMO_EMAILS.returns);
    expect(jordan).toMatchObject({
      channel: 'chat',
      subject: 'Hi, I would like to return a T-shirt.',
      customerVerified: true,
    });
    expect(jordan.lastMessage.excerpt).toContain('T-shirt');
    const chat = (await api.request('GET', `/v1/conversations/${jordan.id}`)).body.messages;
    expect(chat.map((m: any) => [m.kind, m.authorKind])).toEqual([
      ['inbound', 'customer'],
      ['inbound', 'customer'],
    ]);
    const [visitor] = await rows<{ verified: boolean }>(
      ctx.database.db,
      sql`select verified from chat_visitors where customer_id = ${jordan.customerId}`,
    );
    expect(visitor).toEqual({ verified: true });
    expect(of(DEMO_EMAILS.partialPaid)).toHaveLength(1);
    expect(of(DEMO_EMAILS.giftCard)).toHaveLength(1);
    expect(list).toHaveLength(5);
  });

  it("has the conversations' messages at fixed times before the demo's now, the newest first in the inbox", async () => {
    const list = (await api.request('GET', '/v1/conversations?limit=50')).body.items as any[];
    const times = list.map((c) => c.lastMessage.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const ago = (c: any) => (Date.parse(T0) - Date.parse(c.lastMessage.createdAt)) / 60_000;
    expect(list.map((c) => [c.customer.email, ago(c)])).toEqual([
      [DEMO_EMAILS.returns, 15],
      [DEMO_EMAILS.giftCard, 40],
      [DEMO_EMAILS.partialPaid, 90],
      [DEMO_EMAILS.mohammed, 180],
      [DEMO_EMAILS.kogan, 300],
    ]);
  });
});
