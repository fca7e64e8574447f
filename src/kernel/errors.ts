/**
 * The one error type of sopdesk. `code` is a closed set that every edge maps (HTTP status, MCP tool
 * error); `message` is safe to show a person and says what to do; `details` is structured.
 */
export const ERROR_CODES = [
  'not_found',
  'invalid_argument',
  'conflict',
  'not_eligible',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the field at fault, e.g. `lines.0.quantity`. */
  path: string;
  message: string;
}

export interface ErrorDetails {
  /** For not_eligible: the rule that refused, e.g. `return_window_expired`. */
  reason?: string;
  /** The sentence of policy that applies. */
  policy?: string;
  /** For invalid_argument: every field at fault. */
  fields?: FieldIssue[];
  /** The record at fault, e.g. an import line. */
  record?: string;
  [key: string]: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }

  toJSON(): { code: ErrorCode; message: string } & ErrorDetails {
    return { code: this.code, message: this.message, ...this.details };
  }
}

export const notFound = (what: string, id: string | number) =>
  new DomainError('not_found', `No ${what} ${id}. Check the id, or search for it first.`, {
    entity: what,
    id: String(id),
  });

export const invalid = (path: string, message: string, extra: ErrorDetails = {}) =>
  new DomainError('invalid_argument', `${path}: ${message}`, { fields: [{ path, message }], ...extra });

export const conflict = (message: string, details: ErrorDetails = {}) => new DomainError('conflict', message, details);

export const notEligible = (reason: string, message: string, policy: string, details: ErrorDetails = {}) =>
  new DomainError('not_eligible', message, { reason, policy, ...details });

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/**
 * Runs the checks of the `index`-th item entered: a refusal they raise names that item (`itemId`, `path: items.<i>`),
 * so an agent or a form can tell which input is at fault.
 */
export async function checkingItem<T>(index: number, itemId: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (isDomainError(e) && e.code === 'not_eligible') {
      e.details.itemId ??= itemId;
      e.details.path ??= `items.${index}`;
    }
    throw e;
  }
}
