import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';

/** What a work-board item says of its order. */
export async function findOrderForBoard(
  ex: Executor,
  id: string,
): Promise<{ number: number; channel: string; externalRef: string | null; currency: string } | undefined> {
  const [r] = await rows<{ number: number | string; channel: string; external_ref: string | null; currency: string }>(
    ex,
    sql`select number, channel, external_ref, currency from orders where id = ${id}`,
  );
  return r && { number: Number(r.number), channel: r.channel, externalRef: r.external_ref, currency: r.currency };
}
