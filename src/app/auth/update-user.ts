import { lockActiveAdmins, lockUser, setUserFields } from '../../db/repo/users.js';
import { notEligible, notFound } from '../../kernel/errors.js';
import type { Role } from '../../domain/roles.js';
import type { AppContext, WriteOptions } from '../context.js';
import { write } from '../write.js';
import { SYSTEM } from '../../domain/timeline.js';
import { toUserView, type UserView } from './list-users.js';

export const USER_POLICY = 'The desk keeps at least one admin who can sign in, so someone can still manage users.';

/**
 * An admin changes a user's role or disables (or enables) them. A disabled user cannot sign in, and the browser
 * sessions they had end at once (a session is live only while its user is not disabled). The last admin who can sign
 * in cannot be disabled or made anything else (`last_admin`). One idempotent write: a retry under the same
 * Idempotency-Key answers as the first time did.
 */
export async function updateUser(
  ctx: AppContext,
  id: string,
  input: { role?: Role | undefined; disabled?: boolean | undefined },
  opts: WriteOptions = { actor: SYSTEM },
): Promise<UserView> {
  return write(ctx, 'update_user', { id, ...input }, opts, async ({ tx, now }) => {
    const admins = await lockActiveAdmins(tx);
    const u = await lockUser(tx, id);
    if (!u) throw notFound('user', id);
    const staysAdmin = (input.role ?? u.role) === 'admin' && !(input.disabled ?? u.disabledAt !== null);
    if (admins.includes(u.id) && admins.length === 1 && !staysAdmin)
      throw notEligible('last_admin', 'This is the last admin who can sign in.', USER_POLICY);
    const disabledAt =
      input.disabled === undefined ? undefined : input.disabled ? (u.disabledAt ?? now.toISOString()) : null;
    await setUserFields(tx, u.id, {
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(disabledAt !== undefined ? { disabledAt } : {}),
    });
    return toUserView((await lockUser(tx, u.id))!);
  });
}
