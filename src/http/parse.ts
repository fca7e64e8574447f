import type { Context } from 'hono';
import { z } from 'zod';
import { DomainError } from '../kernel/errors.js';
import { assertAcceptableJson, type JsonLimits } from '../kernel/text.js';
import { undeclaredError, undeclaredFields } from '../app/validate.js';
import { fromZod } from './errors.js';

const bodySchemas = new WeakMap<z.ZodType, Record<string, unknown>>();
/** A body schema as JSON Schema (what the client may send), computed once per schema. */
function bodySchema(schema: z.ZodType): Record<string, unknown> {
  let json = bodySchemas.get(schema);
  if (!json)
    bodySchemas.set(
      schema,
      (json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
    );
  return json;
}

/**
 * Reads and validates a JSON body; a malformed body, a bad field and a field the route does not take (which zod
 * would drop without a word: a misspelt `dryRun` must not run the real action) are all 400s with a clear message.
 */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const body = parseJson(await c.req.text());
  const unknown = undeclaredFields(bodySchema(schema), body);
  if (unknown.length > 0) throw undeclaredError(unknown, 'the body', { noun: 'field' });
  const r = schema.safeParse(body);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

/**
 * A JSON body as a value sopdesk will take: malformed JSON, text the database cannot store, nesting deeper than
 * MAX_JSON_DEPTH and text longer than its limit (src/kernel/limits.ts) are 400s naming the field.
 */
export function parseJson(text: string, limits: JsonLimits = {}): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError(
      'invalid_argument',
      'The request body is not valid JSON. Send a JSON object with Content-Type: application/json.',
      {
        reason: 'malformed_json',
        fields: [{ path: '(body)', message: 'malformed JSON' }],
      },
    );
  }
  assertAcceptableJson(body, '(body)', limits);
  return body;
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const r = schema.safeParse(c.req.query());
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

export function idempotencyKey(c: Context): string | undefined {
  const k = c.req.header('idempotency-key');
  if (k !== undefined && (k.length < 1 || k.length > 200)) {
    throw new DomainError('invalid_argument', 'Idempotency-Key must be 1 to 200 characters.', {
      fields: [{ path: 'Idempotency-Key', message: 'length 1..200' }],
    });
  }
  return k;
}
