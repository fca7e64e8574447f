import type { z } from 'zod';
import { DomainError } from '../kernel/errors.js';

/** A zod failure as the one invalid_argument DomainError, naming every field at fault (`lines.0.quantity`). */
export function fromZod(error: z.ZodError, prefix = ''): DomainError {
  const fields = error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)', message: i.message }));
  const first = fields[0]!;
  return new DomainError('invalid_argument', `${first.path}: ${first.message}${fields.length > 1 ? ` (and ${fields.length - 1} more)` : ''}`, { fields });
}
