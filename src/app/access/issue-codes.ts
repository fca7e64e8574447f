import { randomBytes } from 'node:crypto';
import type { Tx } from '../../db/database.js';
import { insertAccessCodes } from '../../db/repo/access-codes.js';
import { newId } from '../../kernel/ids.js';
import { CODE_RANDOM_BYTES, formatAccessCode } from '../../domain/access-codes.js';
import type { ActionOrder } from '../orders/action-order.js';

/** Issues `count` new access codes for a line, from a CSPRNG. */
export async function issueCodes(
  tx: Tx,
  o: { lineId: string; customerId: string; sku: string; count: number; now: Date },
): Promise<string[]> {
  const codes = Array.from({ length: o.count }, () => formatAccessCode(o.sku, randomBytes(CODE_RANDOM_BYTES)));
  const issuedAt = o.now.toISOString();
  await insertAccessCodes(
    tx,
    codes.map((code) => ({
      id: newId('accessCode', o.now.getTime()),
      lineId: o.lineId,
      customerId: o.customerId,
      sku: o.sku,
      code,
      issuedAt,
    })),
  );
  return codes;
}

/** Access is granted for paid purchases: fully paid, or paid and partly refunded. */
export function isPaidStatus(financial: string): boolean {
  return financial === 'paid' || financial === 'partially_refunded';
}

/** Units of a line still paid for: its quantity less units refunded. One access code each. */
export function unitsStillPaid(o: ActionOrder, line: { id: string; quantity: number }): number {
  const refunded = o.state.lines.get(line.id)?.refunded ?? 0;
  return Math.max(0, line.quantity - refunded);
}
