/**
 * The IMS HTTP client against a small fake IMS on a free port (real HTTP): the documented contract
 * `PUT /customers/{imsId}/purchase-history` → `{changed, added, removed, updated}`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../support/db.js';
import { as, expectRefusal, placeOrder, seedStore, type Store } from '../support/changes-fixtures.js';
import { httpIms } from '../../src/connectors/ims/http.js';
import { syncPurchaseHistory } from '../../src/app/access/sync-purchase-history.js';
import { swapPurchasedProduct } from '../../src/app/access/swap-purchased-product.js';
import { diffPurchaseHistory, type PurchaseEntry } from '../../src/domain/purchase-history.js';
import type { AppContext } from '../../src/app/context.js';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  contentType: string | undefined;
  body: { customerId: string; email: string | null; entries: PurchaseEntry[] };
}

let base: Awaited<ReturnType<typeof openTestContext>>;
let ctx: AppContext;
let store: Store;
let server: Server;
let url: string;
const seen: Seen[] = [];
const histories = new Map<string, PurchaseEntry[]>();
let failNext = false;

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as Seen['body'];
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      auth: req.headers.authorization,
      contentType: req.headers['content-type'],
      body,
    });
    const m = /^\/ims\/customers\/([^/]+)\/purchase-history$/.exec(req.url ?? '');
    if (failNext) {
      failNext = false;
      res.writeHead(503).end('maintenance');
      return;
    }
    if (req.method !== 'PUT' || !m) {
      res.writeHead(404).end();
      return;
    }
    const id = decodeURIComponent(m[1]!);
    const diff = diffPurchaseHistory(histories.get(id) ?? [], body.entries);
    histories.set(id, body.entries);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ changed: diff.changed, added: diff.added, removed: diff.removed, updated: diff.updated }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ims/`;
  base = await openTestContext();
  ctx = { database: base.database, clock: base.clock, ims: httpIms({ baseUrl: url, token: 'ims-secret' }) };
  store = await seedStore(ctx);
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await base.drop();
});

describe('IMS over HTTP (SOPDESK_IMS_URL)', () => {
  it('PUTs the whole purchase history to /customers/{imsId}/purchase-history and reports what the IMS says changed', async () => {
    const order = await placeOrder(ctx, store, {
      lines: [{ sku: 'SQBR-2.0', quantity: 1 }],
      code: 'SQBR2-HTTP-0000-0001',
    });
    const first = await syncPurchaseHistory(ctx, { email: 'mohammed@example.com' }, as());
    expect(first.result).toMatchObject({ changed: true, removed: [], updated: [] });
    expect(first.result!.added).toHaveLength(1);
    const req = seen.at(-1)!;
    expect(req).toMatchObject({
      method: 'PUT',
      url: '/ims/customers/IMS-1001/purchase-history',
      auth: 'Bearer ims-secret',
      contentType: 'application/json',
    });
    expect(req.body).toMatchObject({ customerId: store.mo.id, email: 'mohammed@example.com' });
    expect(req.body.entries).toEqual([
      expect.objectContaining({
        itemId: order.lines[0]!.id,
        sku: 'SQBR-2.0',
        quantity: 1,
        codes: ['SQBR2-HTTP-0000-0001'],
      }),
    ]);

    await swapPurchasedProduct(ctx, { orderId: order.id, itemId: order.lines[0]!.id, newSku: 'SQBR-3.0' }, as());
    const second = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(second.result!.changed).toBe(true);
    expect(second.result!.updated.map((u) => [u.before.sku, u.after.sku])).toEqual([['SQBR-2.0', 'SQBR-3.0']]);
    const third = await syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as());
    expect(third.result!.changed).toBe(false);
  });

  it('refuses with ims_unavailable when the IMS answers an error, recording nothing', async () => {
    failNext = true;
    await expectRefusal(ctx, () => syncPurchaseHistory(ctx, { imsId: 'IMS-1001' }, as()), 'ims_unavailable', {
      customerId: store.mo.id,
    });
  });

  it('refuses with ims_unavailable when nothing listens at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = { ...ctx, ims: httpIms({ baseUrl: `http://127.0.0.1:${port}` }) };
    await expectRefusal(down, () => syncPurchaseHistory(down, { imsId: 'IMS-1001' }, as()), 'ims_unavailable', {
      customerId: store.mo.id,
    });
  });
});
