import { listUserRows, type UserRow } from '../../db/repo/users.js';
import type { AppContext } from '../context.js';

export type UserView = UserRow;

const iso = (t: string) => new Date(t).toISOString();

export function toUserView(u: UserRow): UserView {
  return { ...u, createdAt: iso(u.createdAt), disabledAt: u.disabledAt ? iso(u.disabledAt) : null };
}

/** The people who sign in with a password, by email; disabled ones too (with when). */
export async function listUsers(ctx: AppContext): Promise<UserView[]> {
  return (await listUserRows(ctx.database.db)).map(toUserView);
}
