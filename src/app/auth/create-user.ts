import { insertUser } from '../../db/repo/users.js';
import { translateDbError } from '../../db/errors.js';
import { invalid } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import type { AppContext } from '../context.js';
import { isRole, ROLES, type Role } from '../../domain/roles.js';
import { hashPassword } from './passwords.js';

/** A person who signs in to the web UI with an email and a password (`sopdesk user create`). */
export async function createUser(
  ctx: AppContext,
  input: { email: string; password: string; role: string; name?: string | undefined },
): Promise<{ id: string; email: string; role: Role }> {
  if (!/^[^@\s]+@[^@\s]+$/.test(input.email)) throw invalid('email', 'an email address');
  if (input.password.length < 10) throw invalid('password', 'at least 10 characters');
  const role = input.role;
  if (!isRole(role)) throw invalid('role', `one of ${ROLES.join(', ')}`);
  const id = newId('user');
  try {
    await insertUser(ctx.database.db, {
      id,
      email: input.email,
      name: input.name ?? input.email.split('@')[0] ?? input.email,
      role,
      passwordHash: await hashPassword(input.password),
      createdAt: ctx.clock.now().toISOString(),
    });
  } catch (e) {
    translateDbError(e, `user ${input.email}`);
  }
  return { id, email: input.email, role };
}
