import { and, eq, gt, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../database.js';
import { apiTokens, sessions, users } from '../schema/index.js';

export async function insertUser(ex: Executor, row: typeof users.$inferInsert): Promise<void> {
  await ex.insert(users).values(row);
}

/** The user not disabled with this email (any case). */
export async function findActiveUserByEmail(ex: Executor, email: string) {
  const [u] = await ex
    .select()
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, isNull(users.disabledAt)));
  return u;
}

export async function insertSession(ex: Executor, row: typeof sessions.$inferInsert): Promise<void> {
  await ex.insert(sessions).values(row);
}

/** A session not expired at `now` whose token is not revoked, or whose user is not disabled. */
export async function findLiveSession(ex: Executor, idHash: string, now: string) {
  const [s] = await ex
    .select({ subject: sessions.subject, name: sessions.name, role: sessions.role })
    .from(sessions)
    .leftJoin(apiTokens, eq(apiTokens.id, sessions.subject))
    .leftJoin(users, eq(users.id, sessions.subject))
    .where(
      and(
        eq(sessions.idHash, idHash),
        gt(sessions.expiresAt, now),
        or(
          and(isNotNull(apiTokens.id), isNull(apiTokens.revokedAt)),
          and(isNotNull(users.id), isNull(users.disabledAt)),
        ),
      ),
    );
  return s;
}

export async function deleteSession(ex: Executor, idHash: string): Promise<void> {
  await ex.delete(sessions).where(eq(sessions.idHash, idHash));
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: (typeof users.$inferSelect)['role'];
  createdAt: string;
  disabledAt: string | null;
}

const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  createdAt: users.createdAt,
  disabledAt: users.disabledAt,
};

/** Every user, by email; never the password hash. */
export async function listUserRows(ex: Executor): Promise<UserRow[]> {
  return ex.select(userColumns).from(users).orderBy(sql`lower(${users.email})`);
}

/** A user with its row locked for the rest of the transaction. */
export async function lockUser(ex: Executor, id: string): Promise<UserRow | undefined> {
  const [u] = await ex.select(userColumns).from(users).where(eq(users.id, id)).for('update');
  return u;
}

/** How many admins can sign in (not disabled), their rows locked so two changes cannot each leave the other one. */
export async function lockActiveAdmins(ex: Executor): Promise<string[]> {
  const r = await ex
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .for('update');
  return r.map((u) => u.id);
}

export async function setUserFields(
  ex: Executor,
  id: string,
  set: Partial<Pick<typeof users.$inferInsert, 'role' | 'disabledAt' | 'name'>>,
): Promise<void> {
  await ex.update(users).set(set).where(eq(users.id, id));
}
