import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openTestContext } from '../support/db.js';
import { seedLookupStore, type LookupStore } from '../support/lookup-fixture.js';
import { testApi } from '../support/api.js';
import { TEST_TOOLS } from '../support/fake-tools.js';
import { createApp } from '../../src/http/app.js';
import { toolSchemas } from '../../src/tools/json-schema.js';

let ctx: Awaited<ReturnType<typeof openTestContext>>;
let doc: any;
let store: LookupStore;
const app = () => createApp(ctx, { tools: TEST_TOOLS });

beforeAll(async () => {
  ctx = await openTestContext();
  store = await seedLookupStore(ctx);
  const res = await app().request('/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(() => ctx.drop());

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op })),
  );

function resolve(ref: string): unknown {
  expect(ref.startsWith('#/'), ref).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}

function walk(node: unknown, visit: (key: string, value: unknown) => void): void {
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    visit(k, v);
    walk(v, visit);
  }
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document served without a token, with a bearer security scheme', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security).toEqual([{ bearer: [] }]);
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    walk(doc, (k, v) => {
      if (k === '$ref') refs.push(String(v));
    });
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) expect(resolve(r), r).toBeDefined();
  });

  it('gives every operation a unique operationId, a tag that is declared, and described responses', () => {
    const ids = operations().map((o) => o.op.operationId);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(doc.tags.map((t: any) => t.name));
    for (const { path, method, op } of operations()) {
      const where = `${method} ${path}`;
      expect(
        op.tags.every((t: string) => tags.has(t)),
        where,
      ).toBe(true);
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      for (const [status, resp] of Object.entries<any>(op.responses)) {
        const r = resp.$ref ? (resolve(resp.$ref) as any) : resp;
        expect(typeof r.description, `${where} ${status}`).toBe('string');
      }
      for (const req of op.security ?? doc.security)
        for (const scheme of Object.keys(req)) expect(doc.components.securitySchemes[scheme]).toBeDefined();
    }
  });

  it('declares every path parameter of every path template, and no other', () => {
    for (const { path, method, op } of operations()) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path');
      expect(declared.map((p: any) => p.name).sort(), `${method} ${path}`).toEqual(inPath);
      expect(declared.every((p: any) => p.required === true)).toBe(true);
    }
  });

  it('documents every route the server answers (the MCP endpoint aside), and one operation per tool', () => {
    const documented = new Set(operations().map((o) => `${o.method.toUpperCase()} ${o.path}`));
    const routes = app()
      .routes.filter((r) => r.method !== 'ALL' && !r.path.startsWith('/mcp'))
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const toolRoute = 'POST /v1/tools/{name}'; // expanded: one operation per tool
    expect(routes).toContain(toolRoute);
    for (const r of new Set(routes.filter((x) => x !== toolRoute))) expect(documented.has(r), r).toBe(true);
    for (const t of TEST_TOOLS) {
      const op = doc.paths[`/v1/tools/${t.name}`]?.post;
      expect(op?.operationId, t.name).toBe(t.name);
      expect(op.requestBody.content['application/json'].schema).toEqual(toolSchemas(t).input);
      expect(op.responses['200'].content['application/json'].schema).toEqual(toolSchemas(t).output);
      expect(op.responses['400'].$ref).toBe('#/components/responses/BadRequest');
      if (!t.hints.readOnly) expect(op.responses['422'].$ref).toBe('#/components/responses/NotEligible');
    }
  });

  it('has only valid JSON Schemas (draft 2020-12), and a tool answer matches its documented response', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const schemas: unknown[] = [];
    for (const { op } of operations()) {
      for (const p of op.parameters ?? []) schemas.push(p.schema);
      if (op.requestBody) schemas.push(op.requestBody.content['application/json'].schema);
      for (const r of Object.values<any>(op.responses))
        for (const media of Object.values<any>(r.content ?? {})) schemas.push(media.schema);
    }
    schemas.push(doc.components.schemas.Error);
    for (const s of schemas) expect(() => ajv.compile(s as object)).not.toThrow();

    const api = await testApi(ctx, 'agent', { tools: TEST_TOOLS });
    const r = await api.request('POST', '/v1/tools/get_order_details', { orderId: store.recent.id });
    const validate = ajv.compile(
      doc.paths['/v1/tools/get_order_details'].post.responses['200'].content['application/json'].schema,
    );
    expect(validate(r.body), JSON.stringify(validate.errors)).toBe(true);
    const refusal = await api.request('POST', '/v1/tools/cancel_everything', { orderId: store.recent.id });
    expect(ajv.compile(doc.components.schemas.Error)(refusal.body)).toBe(true);
  });
});

describe('GET /openapi.json as a client generator reads it', () => {
  const camel = (id: string) => id.replace(/[_.-]+(\w)/g, (_m, c: string) => c.toUpperCase());
  const successSchemas = () =>
    operations().flatMap(({ path, method, op }) =>
      Object.entries<any>(op.responses)
        .filter(([s]) => s.startsWith('2'))
        .map(([status, r]) => ({
          where: `${method} ${path} ${status}`,
          schema: r.content?.['application/json']?.schema,
        })),
    );

  it('keeps operation ids unique when a generator camel-cases them (cancelOrderById beside cancel_order)', () => {
    const ids = operations().map((o) => camel(o.op.operationId));
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('gives every JSON success answer a schema of named fields, never an object described in words', () => {
    const loose: string[] = [];
    for (const { where, schema } of successSchemas()) {
      if (!schema) continue;
      walk({ schema }, (_k, v: any) => {
        if (
          v &&
          typeof v === 'object' &&
          v.type === 'object' &&
          (v.additionalProperties === true || (!v.properties && !v.additionalProperties && !v.propertyNames))
        )
          loose.push(where);
      });
    }
    // The one document that is any JSON object is the OpenAPI document itself, whose parts are named.
    expect([...new Set(loose)].filter((w) => !w.startsWith('get /openapi.json'))).toEqual([]);
  });

  it('marks a request body required when it has a required field', () => {
    for (const { path, method, op } of operations()) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (schema?.required?.length) expect(op.requestBody.required, `${method} ${path}`).toBe(true);
    }
    expect(doc.paths['/v1/tools/cancel_order'].post.requestBody.required).toBe(true);
    expect(doc.paths['/v1/tools/list_products'].post.requestBody.required).toBe(false);
  });

  it('lists the refusals of an action in its description and as x-sopdesk-refusals, from the one definition', () => {
    const route = doc.paths['/v1/orders/{id}/cancel'].post;
    const tool = doc.paths['/v1/tools/cancel_order'].post;
    expect(route.description).toContain('| `order_delivered` | any unit delivered |');
    expect(tool.description).toContain('order_delivered (any unit delivered)');
    expect(route['x-sopdesk-refusals']).toEqual(tool['x-sopdesk-refusals']);
    expect(route['x-sopdesk-refusals'].map((r: any) => r.reason)).toContain('exceeds_refundable_amount');
  });

  it('describes the answers the server gives: an order, a customer, a summary, a conversation, an SOP run', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const api = await testApi(ctx, 'agent', { tools: TEST_TOOLS });
    const check = async (method: string, template: string, path: string, body?: unknown) => {
      const r = await api.request(method, path, body);
      const op = doc.paths[template][method.toLowerCase()];
      const ok = Object.keys(op.responses).find((s) => s.startsWith('2'));
      expect(String(r.status), `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(ok);
      const validate = ajv.compile(op.responses[ok!].content['application/json'].schema);
      expect(validate(r.body), `${method} ${path}: ${r.status} ${JSON.stringify(validate.errors)}`).toBe(true);
      return r.body;
    };
    await check('GET', '/v1/orders/{ref}', `/v1/orders/${store.recent.id}`);
    await check('GET', '/v1/customers/{id}', `/v1/customers/${store.customerId}`);
    await check('GET', '/v1/customers/{id}/orders/summary', `/v1/customers/${store.customerId}/orders/summary`);
    await check('GET', '/v1/customers/{id}/timeline', `/v1/customers/${store.customerId}/timeline`);
    const conversation = await check('POST', '/v1/conversations', '/v1/conversations', {
      customerId: store.customerId,
      channel: 'email',
      subject: 'Where is my lamp?',
    });
    await check('POST', '/v1/conversations/{id}/notes', `/v1/conversations/${conversation.id}/notes`, {
      body: 'Checked the carrier',
    });
    await check('GET', '/v1/conversations/{id}', `/v1/conversations/${conversation.id}`);
    await check('GET', '/v1/conversations', '/v1/conversations');
    await check('GET', '/v1/sops', '/v1/sops');
    const run = await check('POST', '/v1/sop-runs', '/v1/sop-runs', {
      sopId: 'handling-returns',
      customerId: store.customerId,
    });
    await check('GET', '/v1/sop-runs/{id}', `/v1/sop-runs/${run.id}`);
    await check('GET', '/v1/sop-runs/{id}/history', `/v1/sop-runs/${run.id}/history`);
    await check('POST', '/v1/tools/start_sop', '/v1/tools/start_sop', {
      sopId: 'handling-returns',
      customerId: store.customerId,
    });
    await check('GET', '/v1/orders/{id}/return-eligibility', `/v1/orders/${store.recent.id}/return-eligibility`);
  });

  it('answers a 401 with WWW-Authenticate: Bearer (RFC 6750), as documented', async () => {
    const none = await app().request('/v1/orders/%231001');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="sopdesk"');
    const revoked = await app().request('/mcp', { method: 'POST', headers: { authorization: 'Bearer not-a-token' } });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toBe('Bearer realm="sopdesk", error="invalid_token"');
    expect(doc.components.responses.Unauthorized.headers['WWW-Authenticate'].schema).toEqual({ type: 'string' });
  });
});
