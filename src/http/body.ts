/**
 * What a request body may be, checked before any route reads it: its size (413 `payload_too_large`, counted while it
 * streams in, so an oversized body is never read whole) and its media type (415 `unsupported_media_type`: a JSON route
 * takes `application/json`, UTF-8). The limits are in docs/api.md (Limits) and docs/configuration.md.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../kernel/errors.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_IMPORT_BYTES, DEFAULT_MAX_WEBHOOK_BODY_BYTES } from '../kernel/limits.js';

export interface BodyLimits {
  /** Largest body of an API request, in bytes (SOPDESK_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Largest body of a Shopify webhook, in bytes (SOPDESK_SHOPIFY_MAX_BODY_BYTES). */
  maxWebhookBodyBytes: number;
  /** Largest snapshot sent to POST /v1/store/import, in bytes (SOPDESK_MAX_IMPORT_BYTES); it is streamed, not held. */
  maxImportBytes: number;
}

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxWebhookBodyBytes: DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  maxImportBytes: DEFAULT_MAX_IMPORT_BYTES,
};

export const tooLarge = (maxBytes: number, setting: string) =>
  new DomainError(
    'payload_too_large',
    `The request body is larger than ${maxBytes} bytes, the most this endpoint accepts (${setting}).`,
    { reason: 'body_too_large', maxBytes },
  );

/**
 * Refuses a body larger than `maxBytes`: at once when its Content-Length says so, else as soon as the bytes read so
 * far pass it (hono's `bodyLimit`), so at most `maxBytes` are ever held.
 */
export function limitBody(maxBytes: number, setting: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge(maxBytes, setting);
    },
  });
}

/** A streamed body (a snapshot import) passed on chunk by chunk, refused once more than `maxBytes` came in. */
export async function* limitedChunks(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  setting: string,
): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(maxBytes, setting);
    yield chunk;
  }
}

/**
 * Whether the request says it carries a body: a Content-Length above 0, a Transfer-Encoding, or (without a length, as
 * requests made in-process have) a Content-Type. A POST with none of them has no body, and needs no type.
 */
function hasBody(c: Context): boolean {
  const length = c.req.header('content-length');
  if (length !== undefined) return length.trim() !== '0';
  return c.req.header('transfer-encoding') !== undefined || c.req.header('content-type') !== undefined;
}

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * A body must be one of `types` (default JSON). Parameters other than `charset=utf-8` are refused too: JSON is UTF-8
 * (RFC 8259), and a body declared in another charset would be read wrong.
 */
export function requireMediaType(
  types: readonly RegExp[] = [JSON_TYPE],
  expected = 'application/json',
): MiddlewareHandler {
  return async (c, next) => {
    if (hasBody(c)) {
      const type = c.req.header('content-type');
      if (type === undefined || !types.some((t) => t.test(type.trim()))) {
        throw new DomainError(
          'unsupported_media_type',
          `Send the body as ${expected} (UTF-8), with that Content-Type header; got ${type === undefined ? 'none' : JSON.stringify(type.slice(0, 100))}.`,
          {
            reason: 'unsupported_media_type',
            expected,
          },
        );
      }
    }
    await next();
  };
}

/** A snapshot: JSON Lines, or one JSON document. */
export const SNAPSHOT_MEDIA_TYPES = [
  JSON_TYPE,
  /^application\/(x-ndjson|jsonl|x-jsonlines|json-seq)\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i,
];
