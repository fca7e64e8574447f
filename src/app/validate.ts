import type { z } from 'zod';
import { DomainError } from '../kernel/errors.js';

/** A zod failure as the one invalid_argument DomainError, naming every field at fault (`lines.0.quantity`). */
export function fromZod(error: z.ZodError, prefix = ''): DomainError {
  const fields = error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
  const first = fields[0]!;
  return new DomainError(
    'invalid_argument',
    `${first.path}: ${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}`,
    { fields },
  );
}

/** `value` as `schema` parses it (defaults filled in), or the invalid_argument naming every field at fault. */
export function parsed<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZod(r.error);
  return r.data;
}

type JsonSchema = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field a schema does not declare: where it is, and the fields that object does take. */
export interface UndeclaredField {
  path: string;
  allowed: string[];
}

/**
 * The fields in `value` that its JSON Schema does not declare (`items.0.quantity`), at any depth: zod drops them
 * silently, so a misspelt field (`dry_run`, a `quantity` a tool does not take) would otherwise be ignored without a
 * word. An object schema is closed unless it opens `additionalProperties` (records, loose objects); where the schema
 * branches (`anyOf`, `oneOf`, `$ref`) the schema alone decides.
 */
export function undeclaredFields(schema: JsonSchema, value: unknown, path = ''): UndeclaredField[] {
  const at = (k: string | number) => (path ? `${path}.${k}` : String(k));
  if (Array.isArray(value) && isObject(schema.items)) {
    return value.flatMap((v, i) => undeclaredFields(schema.items as JsonSchema, v, at(i)));
  }
  if (!isObject(value) || !isObject(schema.properties)) return [];
  const properties = schema.properties;
  const open = schema.additionalProperties !== undefined && schema.additionalProperties !== false;
  return Object.keys(value).flatMap((k) => {
    if (!Object.hasOwn(properties, k)) return open ? [] : [{ path: at(k), allowed: Object.keys(properties) }];
    const sub = properties[k];
    return isObject(sub) ? undeclaredFields(sub, value[k], at(k)) : [];
  });
}

/** The invalid_argument error for undeclared fields: the first named with what its object takes, every one in `fields`. */
export function undeclaredError(
  fields: readonly UndeclaredField[],
  owner: string,
  opts: { noun: string; hidden?: readonly string[]; reason?: string },
): DomainError {
  const hidden = opts.hidden ?? [];
  const first = fields[0]!;
  const allowed = first.allowed.filter((k) => !hidden.includes(k));
  const where = first.path.includes('.') ? first.path.slice(0, first.path.lastIndexOf('.')) : owner;
  const takes = allowed.length ? `${where} takes ${allowed.join(', ')}` : `${where} takes no fields`;
  return new DomainError('invalid_argument', `${first.path}: no such ${opts.noun}; ${takes}.`, {
    fields: fields.map((f) => ({ path: f.path, message: `unknown ${opts.noun}` })),
    ...(opts.reason ? { reason: opts.reason } : {}),
  });
}
