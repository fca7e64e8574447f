import { DomainError } from '../kernel/errors.js';

/** What a unique-constraint name means to a person. */
const UNIQUE_MESSAGES: Record<string, { path: string; message: string }> = {
  customer_emails_lower_uq: { path: 'emails', message: 'an email address already belongs to another customer' },
  orders_number_unique: { path: 'number', message: 'an order with this number already exists' },
  orders_channel_ref_uq: { path: 'externalRef', message: 'an order with this channel reference already exists' },
  variants_sku_unique: { path: 'variants.sku', message: 'a variant with this SKU already exists on another product' },
  conversations_channel_ref_uq: {
    path: 'externalRef',
    message: 'a conversation with this channel ticket id already exists',
  },
  macros_name_uq: { path: 'name', message: 'a macro with this name already exists' },
  users_email_uq: { path: 'email', message: 'a user with this email already exists' },
  access_codes_code_unique: { path: 'accessCodes.code', message: 'this access code is already issued' },
};

/** The SQLSTATE, constraint and detail of a database error, whichever driver raised it. */
export function pgError(e: unknown): { code?: string; constraint?: string; detail?: string } | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 3 && cur && typeof cur === 'object'; i++) {
    const o = cur as { code?: unknown; constraint?: unknown; detail?: unknown; cause?: unknown };
    if (typeof o.code === 'string' && /^[0-9A-Z]{5}$/.test(o.code)) {
      return {
        code: o.code,
        ...(typeof o.constraint === 'string' ? { constraint: o.constraint } : {}),
        ...(typeof o.detail === 'string' ? { detail: o.detail } : {}),
      };
    }
    cur = o.cause;
  }
  return undefined;
}

/** Turns a constraint violation caused by the caller's data into a DomainError; anything else is rethrown as is. */
export function translateDbError(e: unknown, record?: string): never {
  if (e instanceof DomainError) throw e;
  const pe = pgError(e);
  if (pe?.code === '23505') {
    const known = pe.constraint ? UNIQUE_MESSAGES[pe.constraint] : undefined;
    const field = known ?? { path: pe.constraint ?? 'record', message: 'already exists' };
    // The value that is taken, out of PostgreSQL's "Key (lower(name))=(return steps) already exists." (unless the
    // record is named already): a person reads the value, not the index expression.
    const value = pe.detail ? /^Key \(.*\)=\((.*)\) already exists/.exec(pe.detail)?.[1] : undefined;
    throw new DomainError(
      'conflict',
      `${record ? `${record}: ` : ''}${field.message}${value && !record ? ` ("${value}")` : ''}.`,
      {
        fields: [field],
        ...(record ? { record } : {}),
        reason: 'already_exists',
      },
    );
  }
  if (pe?.code === '23503') {
    throw new DomainError(
      'invalid_argument',
      `${record ? `${record}: ` : ''}refers to something that does not exist${pe.detail ? ` (${pe.detail})` : ''}.`,
      {
        fields: [{ path: pe.constraint ?? 'record', message: 'unknown reference' }],
        ...(record ? { record } : {}),
      },
    );
  }
  if (pe?.code === '23514') {
    throw new DomainError('invalid_argument', `${record ? `${record}: ` : ''}violates ${pe.constraint ?? 'a check'}.`, {
      fields: [{ path: pe.constraint ?? 'record', message: 'out of range' }],
      ...(record ? { record } : {}),
    });
  }
  if (pe?.code?.startsWith('22')) {
    // Data exceptions (a number out of range, an invalid text encoding): the caller's data, not our fault.
    throw new DomainError('invalid_argument', `${record ? `${record}: ` : ''}a value is out of range or malformed.`, {
      fields: [{ path: 'record', message: 'out of range or malformed' }],
      ...(record ? { record } : {}),
    });
  }
  throw e;
}
