/** Posts outbound webhooks with Node's fetch: no redirects followed (a 3xx is a failed attempt), a hard timeout. */
import type { WebhookRequest, WebhookSender } from '../../app/webhooks/sender.js';

export const httpWebhookSender: WebhookSender = {
  async post(r: WebhookRequest) {
    const res = await fetch(r.url, {
      method: 'POST',
      headers: r.headers,
      body: r.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(r.timeoutMs),
    });
    // The answer's body is not read: only its status counts. Cancelling it frees the connection.
    await res.body?.cancel();
    return { status: res.status };
  },
};
