/** Restocking in one statement: units of one variant add up, untracked variants stay untracked. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/database.js';
import { restock } from '../../src/db/repo/actions.js';
import { upsertProduct } from '../../src/app/ingest/upsert-product.js';
import { ProductInput } from '../../src/app/ingest/schemas.js';
import { openActionStore, SYS } from '../support/orders.js';

let ctx: Awaited<ReturnType<typeof openActionStore>>['ctx'];
beforeAll(async () => {
  ({ ctx } = await openActionStore());
  await upsertProduct(
    ctx,
    ProductInput.parse({
      title: 'Video course',
      kind: 'digital_access',
      variants: [{ sku: 'COURSE', title: 'Licence', price: 300, currency: 'USD' }],
    }),
    SYS,
  );
});
afterAll(() => ctx.drop());

const stock = async () =>
  Object.fromEntries(
    (
      await rows<{ sku: string; q: number | null }>(
        ctx.database.db,
        sql`select sku, inventory_quantity as q from variants where sku in ('LAMP', 'MUG', 'COURSE')`,
      )
    ).map((r) => [r.sku, r.q]),
  );
const variantId = async (sku: string) =>
  (await rows<{ id: string }>(ctx.database.db, sql`select id from variants where sku = ${sku}`))[0]!.id;

describe('restock', () => {
  it('adds every unit, also when one variant comes twice (two lines of the same SKU), and leaves untracked variants alone', async () => {
    const [lamp, mug, course] = await Promise.all(['LAMP', 'MUG', 'COURSE'].map(variantId));
    expect(await stock()).toEqual({ LAMP: 10, MUG: 10, COURSE: null });
    await ctx.database.transaction((tx) =>
      restock(tx, [
        { variantId: mug!, quantity: 1 },
        { variantId: lamp!, quantity: 2 },
        { variantId: lamp!, quantity: 3 },
        { variantId: course!, quantity: 4 },
      ]),
    );
    expect(await stock()).toEqual({ LAMP: 15, MUG: 11, COURSE: null });
  });
});
