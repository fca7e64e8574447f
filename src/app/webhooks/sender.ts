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

export interface ResolvedAddress {
  address: string;
  family: number;
}
/** Every address a host name resolves to (the system resolver by default; a fake in tests). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** How receivers' addresses are screened (src/connectors/webhooks/receiver-address.ts). */
export interface ReceiverScreening {
  /** Allow loopback and private-network receivers (SOPDESK_WEBHOOK_ALLOW_PRIVATE: self-hosted setups, tests). */
  allowPrivate?: boolean | undefined;
  lookup?: HostLookup | undefined;
}
