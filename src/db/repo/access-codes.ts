import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';
import { accessCodes } from '../schema/index.js';

export interface AccessCodeListing {
  id: string;
  code: string;
  sku: string;
  productId: string | null;
  productTitle: string | null;
  status: 'active' | 'revoked';
  issuedAt: string;
  revokedAt: string | null;
  orderId: string;
  orderName: string;
  itemId: string;
}

export async function activeCodesOfLine(
  ex: Executor,
  lineId: string,
): Promise<{ id: string; code: string; sku: string }[]> {
  return ex
    .select({ id: accessCodes.id, code: accessCodes.code, sku: accessCodes.sku })
    .from(accessCodes)
    .where(and(eq(accessCodes.lineId, lineId), isNull(accessCodes.revokedAt)))
    .orderBy(accessCodes.code);
}

/** Writes newly issued access codes, active from `issuedAt`. */
export async function insertAccessCodes(
  ex: Executor,
  codes: readonly { id: string; lineId: string; customerId: string; sku: string; code: string; issuedAt: string }[],
): Promise<void> {
  if (codes.length) await ex.insert(accessCodes).values(codes.map((c) => ({ ...c, revokedAt: null })));
}

export async function revokeCodes(ex: Executor, ids: string[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await ex
    .update(accessCodes)
    .set({ revokedAt: at })
    .where(and(inArray(accessCodes.id, ids), isNull(accessCodes.revokedAt)));
}

/** Every access code of a customer, newest first, with the product its SKU belongs to now. */
export async function listCustomerCodes(
  ex: Executor,
  customerId: string,
  includeRevoked: boolean,
): Promise<AccessCodeListing[]> {
  const r = await rows<AccessCodeListing>(
    ex,
    sql`
    select c.id, c.code, c.sku, p.id as "productId", p.title as "productTitle",
      case when c.revoked_at is null then 'active' else 'revoked' end as status,
      to_char(c.issued_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "issuedAt",
      to_char(c.revoked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "revokedAt",
      o.id as "orderId", '#' || o.number as "orderName", l.id as "itemId"
    from access_codes c
    join order_lines l on l.id = c.line_id
    join orders o on o.id = l.order_id
    left join variants v on v.sku = c.sku
    left join products p on p.id = v.product_id
    where c.customer_id = ${customerId} ${includeRevoked ? sql`` : sql`and c.revoked_at is null`}
    order by c.revoked_at is not null, c.issued_at desc, c.code`,
  );
  return r;
}
