import { insertUser } from '../../db/repo/users.js';
import { translateDbError } from '../../db/errors.js';
import { invalid } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { SYSTEM } from '../../domain/timeline.js';
import { isRole, ROLES, type Role } from '../../domain/roles.js';
import { hashPassword } from './passwords.js';

/**
 * A person who signs in to the web UI with an email and a password (`sopdesk user create`, `POST /v1/users`). One
 * idempotent write: a retry under the same Idempotency-Key answers with the same user. The password is hashed before
 * and kept out of the request a retry is compared with (the idempotency record stores that request's hash).
 */
export async function createUser(
  ctx: AppContext,
  input: { email: string; password: string; role: string; name?: string | undefined },
  opts: WriteOptions = { actor: SYSTEM },
): Promise<{ id: string; email: string; role: Role }> {
  if (!/^[^@\s]+@[^@\s]+$/.test(input.email)) throw invalid('email', 'an email address');
  if (input.password.length < 10) throw invalid('password', 'at least 10 characters');
  const role = input.role;
  if (!isRole(role)) throw invalid('role', `one of ${ROLES.join(', ')}`);
  const passwordHash = await hashPassword(input.password);
  const { password: _, ...compared } = input;
  return write(ctx, 'create_user', compared, opts, async ({ tx, now }) => {
    const id = newId('user', now.getTime());
    try {
      await insertUser(tx, {
        id,
        email: input.email,
        name: input.name ?? input.email.split('@')[0] ?? input.email,
        role,
        passwordHash,
        createdAt: now.toISOString(),
      });
    } catch (e) {
      translateDbError(e, `user ${input.email}`);
    }
    return { id, email: input.email, role };
  });
}
