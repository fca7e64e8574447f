/** The widget API's token buckets (src/http/rate-limit.ts), shared by every server process through the database. */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../database.js';

/**
 * Takes one token from the bucket (`bucket`, `key`) that holds up to `burst` and refills `perMs` a ms, at `nowMs`.
 * One statement: the upsert locks the row, so concurrent takes from several processes are counted one after another
 * and never both get the last token. Answers whether a token was taken and what the bucket holds now.
 */
export async function takeBucketToken(
  ex: Executor,
  t: { bucket: string; key: string; burst: number; perMs: number; nowMs: number },
): Promise<{ ok: boolean; tokens: number }> {
  const refill = sql`least(${t.burst}::float8, b.tokens + greatest(0, excluded.at - b.at) * ${t.perMs}::float8)`;
  const [r] = await rows<{ ok: boolean; tokens: number }>(
    ex,
    sql`insert into rate_limit_buckets as b (bucket, key, tokens, at, ok)
        values (${t.bucket}, ${t.key}, ${t.burst - 1}::float8, ${t.nowMs}, true)
        on conflict (bucket, key) do update set
          tokens = ${refill} - case when ${refill} >= 1 then 1 else 0 end,
          at = greatest(b.at, excluded.at),
          ok = ${refill} >= 1
        returning ok, tokens`,
  );
  return { ok: r!.ok, tokens: Number(r!.tokens) };
}

/** Forgets the buckets of `bucket` last touched before `beforeMs` (refilled by now: the same as no row). */
export async function pruneBuckets(ex: Executor, bucket: string, beforeMs: number): Promise<void> {
  await ex.execute(sql`delete from rate_limit_buckets where bucket = ${bucket} and at < ${beforeMs}`);
}
