/**
 * Posts outbound webhooks with node:http(s): no redirects followed (a 3xx is a failed attempt), a hard timeout, and the
 * receiver's address screened at every delivery (receiver-address.ts): a host name is resolved once for the request,
 * every address checked, and the connection made to a checked address — a name that has come to point inside the
 * server's network since the subscription was made is refused, not connected to.
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ReceiverScreening, WebhookRequest, WebhookSender } from '../../app/webhooks/sender.js';
import { checkAddress, screenReceiverUrl, systemLookup } from './receiver-address.js';

/** A `lookup` for the socket: resolves with the screening's resolver and passes on only checked addresses. */
function screenedLookup(opts: ReceiverScreening): LookupFunction {
  return (hostname, options, callback) => {
    (opts.lookup ?? systemLookup)(hostname)
      .then((found) => {
        if (found.length === 0) throw Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' });
        for (const a of found) checkAddress(hostname, a.address, opts.allowPrivate ?? false);
        const first = found[0]!;
        if (options.all) (callback as (e: null, a: typeof found) => void)(null, found);
        else callback(null, first.address, first.family);
      })
      .catch((e: unknown) => callback(e as NodeJS.ErrnoException, '', 0));
  };
}

export function httpWebhookSender(screening: ReceiverScreening = {}): WebhookSender {
  const lookup = screenedLookup(screening);
  return {
    async post(r: WebhookRequest) {
      // The scheme, credentials and an IP literal (which no lookup sees) are checked here; a name in `lookup`.
      await screenReceiverUrl(r.url, { ...screening, lookup: async () => [] });
      const url = new URL(r.url);
      const options: RequestOptions = {
        method: 'POST',
        headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) },
        lookup,
      };
      return new Promise<{ status: number }>((resolve, reject) => {
        const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
          resolve({ status: res.statusCode ?? 0 });
          // Only the status counts: the body is read and dropped so the connection can be used again.
          res.resume();
          res.on('close', () => clearTimeout(timer));
        });
        const timer = setTimeout(
          () => req.destroy(Object.assign(new Error('timed out'), { name: 'TimeoutError' })),
          r.timeoutMs,
        );
        req.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        req.end(r.body);
      });
    },
  };
}
