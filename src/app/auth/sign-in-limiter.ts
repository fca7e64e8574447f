/**
 * Failed password sign-ins, per email: after MAX_FAILURES within WINDOW_MS the email is refused (429) until the oldest
 * of them leaves the window, right password or not, so a password cannot be found by trying. Kept in memory, one
 * table per database and process (a cluster worker counts its own); the injected clock decides the window.
 */
import type { Database } from '../../db/database.js';
import { DomainError } from '../../kernel/errors.js';

export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60_000;
/** Emails tracked at most; beyond that the table starts over rather than grow without bound. */
const MAX_EMAILS = 100_000;

const tables = new WeakMap<Database, Map<string, number[]>>();

function recent(database: Database, email: string, now: number): number[] {
  let t = tables.get(database);
  if (!t) tables.set(database, (t = new Map()));
  const kept = (t.get(email) ?? []).filter((at) => at > now - WINDOW_MS);
  t.set(email, kept);
  return kept;
}

/** Refuses a sign-in for an email that failed too often lately, saying when to try again. */
export function assertMayTry(database: Database, email: string, now: Date): void {
  const failures = recent(database, email, now.getTime());
  if (failures.length >= MAX_FAILURES) {
    const retryAt = new Date(failures[0]! + WINDOW_MS).toISOString();
    throw new DomainError(
      'rate_limited',
      `Too many failed sign-ins for this email; try again after ${retryAt}, or ask an admin to reset the password.`,
      { reason: 'too_many_attempts', retryAt },
    );
  }
}

export function recordFailure(database: Database, email: string, now: Date): void {
  const t = tables.get(database);
  if (t && t.size >= MAX_EMAILS) t.clear();
  recent(database, email, now.getTime()).push(now.getTime());
}

export function clearFailures(database: Database, email: string): void {
  tables.get(database)?.delete(email);
}
