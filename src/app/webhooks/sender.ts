/** The port outbound webhooks are posted through; `src/connectors/webhooks/http-sender.ts` implements it. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Give up waiting for the receiver after this long. */
  timeoutMs: number;
}

export interface WebhookSender {
  /** Posts the request; answers the receiver's status, or throws when none came (refused, timed out, bad address). */
  post(request: WebhookRequest): Promise<{ status: number }>;
}
