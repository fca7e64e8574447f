/**
 * The IMS over HTTP (SOPDESK_IMS_URL). Contract (docs/connectors.md):
 *   PUT {base}/customers/{imsId}/purchase-history
 *   body   { customerId, email, entries: PurchaseEntry[] }
 *   answer 200 { changed: boolean, added: PurchaseEntry[], removed: PurchaseEntry[], updated?: {before, after}[] }
 */
import { z } from 'zod';
import { notEligible } from '../../kernel/errors.js';
import { IMS_UNAVAILABLE_POLICY, type ImsPort, type PurchaseHistoryDiff } from '../../domain/purchase-history.js';

const Entry = z.object({
  itemId: z.string(),
  orderId: z.string(),
  orderName: z.string(),
  sku: z.string(),
  productId: z.string().nullable(),
  productTitle: z.string(),
  quantity: z.number().int(),
  codes: z.array(z.string()),
});

const Answer = z.object({
  changed: z.boolean(),
  added: z.array(Entry).default([]),
  removed: z.array(Entry).default([]),
  updated: z.array(z.object({ before: Entry, after: Entry })).default([]),
});

const POLICY = IMS_UNAVAILABLE_POLICY;

export interface HttpImsOptions {
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: typeof fetch | undefined;
}

export function httpIms(opts: HttpImsOptions): ImsPort {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  return {
    async pushPurchaseHistory(push): Promise<PurchaseHistoryDiff> {
      const url = `${base}/customers/${encodeURIComponent(push.imsId)}/purchase-history`;
      let res: Response;
      try {
        res = await doFetch(url, {
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          },
          body: JSON.stringify({ customerId: push.customerId, email: push.email, entries: push.entries }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw notEligible(
          'ims_unavailable',
          `The IMS at ${base} could not be reached (${e instanceof Error ? e.message : String(e)}).`,
          POLICY,
        );
      }
      const text = await res.text();
      if (!res.ok)
        throw notEligible(
          'ims_unavailable',
          `The IMS answered ${res.status} to the purchase-history sync: ${text.slice(0, 200)}`,
          POLICY,
          { status: res.status },
        );
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw notEligible(
          'ims_unavailable',
          'The IMS answered the purchase-history sync with something that is not JSON.',
          POLICY,
        );
      }
      const parsed = Answer.safeParse(body);
      if (!parsed.success)
        throw notEligible(
          'ims_unavailable',
          `The IMS answer does not follow the contract: ${parsed.error.issues[0]?.message ?? 'bad shape'}.`,
          POLICY,
        );
      return parsed.data;
    },
  };
}
