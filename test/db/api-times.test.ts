/** docs/api.md: every time the API answers is ISO-8601 in UTC (`2026-11-20T10:00:00.000Z`), whatever table it comes from. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { testApi, type TestApi } from '../support/api.js';
import { loadDemo } from '../../src/app/demo/load-demo.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let api: TestApi;

beforeAll(async () => {
  ctx = await openTestContext();
  await loadDemo(ctx, { customers: 3, orders: 10, seed: 1 }, { actor: { kind: 'system' } });
  api = await testApi(ctx);
});
afterAll(() => ctx.drop());

/** Every string that looks like a time and is not ISO-8601 UTC, with where it was found. */
function nonIsoTimes(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => nonIsoTimes(x, `${path}.${i}`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nonIsoTimes(x, `${path}.${k}`));
  const looksLikeTime = typeof v === 'string' && /^\d{4}-\d\d-\d\d[ T]\d\d:/.test(v);
  return looksLikeTime && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) ? [`${path} = ${v}`] : [];
}

describe('times in answers', () => {
  it('are ISO-8601 UTC in customers, orders, products, tools, conversations and the timeline', async () => {
    const get = async (path: string) => {
      const r = await api.request('GET', path);
      expect(r.status, path).toBe(200);
      return r.body;
    };
    const [mo] = (await get('/v1/customers?email=mohammed@example.com')).customers;
    const { orders } = await get(`/v1/customers/${mo.id}/orders`);
    const answers: Record<string, unknown> = {
      customer: await get(`/v1/customers/${mo.id}`),
      orders,
      order: await get(`/v1/orders/${orders[0].id}`),
      product: await get(`/v1/products/${orders[0].lines[0].productId}`),
      timeline: await get(`/v1/customers/${mo.id}/timeline`),
      conversations: await get('/v1/conversations'),
      products: (await api.request('POST', '/v1/tools/list_products', {})).body,
      eligibility: (await api.request('POST', '/v1/tools/check_return_eligibility', { orderId: orders[0].id })).body,
    };
    expect(Object.entries(answers).flatMap(([name, body]) => nonIsoTimes(body, name))).toEqual([]);
    expect(JSON.stringify(answers.product)).toMatch(/"createdAt":"\d{4}-\d\d-\d\dT/); // the check saw a time
  });
});

describe('times in SOP run answers', () => {
  it('are ISO-8601 UTC in a run, the run list, its history and sop_next_step', async () => {
    const [mo] = (await api.request('GET', '/v1/customers?email=mohammed@example.com')).body.customers;
    const start = await api.request('POST', '/v1/sop-runs', {
      sopId: 'handling-returns',
      customerId: mo.id,
      inputs: { email: 'mohammed@example.com' },
    });
    expect(start.status).toBe(201);
    const id = start.body.id;
    const answers: Record<string, unknown> = {
      started: start.body,
      run: (await api.request('GET', `/v1/sop-runs/${id}`)).body,
      runs: (await api.request('GET', '/v1/sop-runs?limit=3')).body,
      history: (await api.request('GET', `/v1/sop-runs/${id}/history`)).body,
      nextStep: (await api.request('POST', '/v1/tools/sop_next_step', { runId: id })).body,
    };
    expect(Object.entries(answers).flatMap(([name, body]) => nonIsoTimes(body, name))).toEqual([]);
    const text = JSON.stringify(answers);
    for (const field of ['updatedAt', 'createdAt', 'completedAt'])
      expect(text).toMatch(new RegExp(`"${field}":"\\d{4}-\\d\\d-\\d\\dT`)); // the check saw them
  });
});
