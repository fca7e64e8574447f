import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type ErrorCode } from '../kernel/errors.js';
import { LOGGED_VALUE_CHARS } from '../kernel/limits.js';
import { excerptText, faultForLog } from '../kernel/text.js';

export { fromZod } from '../app/validate.js';

/** The one table from error code to HTTP status. */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_argument: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  not_eligible: 422,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
};

export function errorResponse(c: Context, err: unknown) {
  if (err instanceof DomainError) {
    // A body refused before it was read is still on its way: close the connection after the answer, or a client still
    // sending it waits on a server that will never read the rest.
    if (err.code === 'payload_too_large') c.header('connection', 'close');
    return c.json({ error: err.toJSON() }, HTTP_STATUS[err.code]);
  }
  // A fault of ours: log the cause, answer without leaking internals.
  console.error(
    `sopdesk: unhandled error on ${c.req.method} ${excerptText(c.req.path, LOGGED_VALUE_CHARS)}\n${faultForLog(err)}`,
  );
  return c.json(
    {
      error: {
        code: 'internal',
        message: 'Something went wrong on the server. It has been logged; try again or contact the operator.',
      },
    },
    500,
  );
}
