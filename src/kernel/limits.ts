/**
 * The limits on what a client may send, in one place. docs/api.md (Limits) and docs/configuration.md list them;
 * the request-size limits are defaults that configuration can change.
 */

/** Deepest nesting of objects and arrays a JSON body or tool call may have (`{}` is 1, `{"a": []}` is 2). */
export const MAX_JSON_DEPTH = 32;

/**
 * Longest text, in characters (UTF-16 units), per kind of field. Each text field of an input schema takes one of
 * these (`boundedText` in src/app/args.ts); `any` bounds every other string and every key of a request.
 */
export const TEXT_LIMITS = {
  /** A person's, product's or variant's name or title, a city (Shopify allows 255 per name part; a full name joins two). */
  name: 512,
  /** An email address (RFC 5321: 64 + @ + 255). */
  email: 320,
  /** A phone number as typed. */
  phone: 50,
  /** A code or reference: SKU, postal code, tracking number, another system's id, an access code, an object key. */
  code: 255,
  /** One line of an address, a reason, a subject, a label, a short summary. */
  line: 500,
  /** A search term or query parameter. */
  search: 200,
  /** A note, message, reply, template or macro body, evidence text. */
  message: 20_000,
  /** Any other string or key of a request body, tool call or query. */
  any: 100_000,
} as const;
export type TextKind = keyof typeof TEXT_LIMITS;

/** Default largest request body, in bytes (SOPDESK_MAX_BODY_BYTES). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Default largest Shopify webhook body, in bytes (SOPDESK_SHOPIFY_MAX_BODY_BYTES): an order of many lines is large. */
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 10 * 1024 * 1024;

/** Default largest snapshot import, in bytes (SOPDESK_MAX_IMPORT_BYTES). */
export const DEFAULT_MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** How much of a value sent by a client a log line may carry. */
export const LOGGED_VALUE_CHARS = 500;

/**
 * Inbound email (docs/email.md): an attachment up to this size is kept in the database and listed in the thread; a
 * larger one is listed with its size but left in the mailbox. The message's folded text is bounded like any message
 * (TEXT_LIMITS.message); its full text up to MAX_EMAIL_TEXT_CHARS.
 */
export const MAX_EMAIL_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** A message larger than this (its source, attachments included) is not downloaded: it stays in the mailbox, unread. */
export const MAX_EMAIL_BYTES = 40 * 1024 * 1024;
export const MAX_EMAIL_TEXT_CHARS = 200_000;

/** A token bucket: up to `burst` requests at once, refilled at `perMinute`. */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

/**
 * The chat widget's public API (docs/chat-widget.md), counted in each server process (a cluster worker counts its
 * own). Per IP address: every request, and new visitors; per visitor: messages sent and polls for replies (a widget
 * polls every 3 s, 20 a minute).
 */
export const WIDGET_RATE_LIMITS = {
  ipRequests: { burst: 120, perMinute: 120 },
  ipNewVisitors: { burst: 10, perMinute: 5 },
  visitorMessages: { burst: 10, perMinute: 10 },
  visitorReads: { burst: 40, perMinute: 40 },
} as const satisfies Record<string, RateLimit>;
export type WidgetRateLimits = { [K in keyof typeof WIDGET_RATE_LIMITS]: RateLimit };
