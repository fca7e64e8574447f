/** Who a token or a signed-in person acts as. viewer: read-only; the others may write. */
export const ROLES = ['admin', 'agent', 'ai_agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles that may change data: every role but viewer. A tool may narrow its own `roles`. */
export const WRITER_ROLES: readonly Role[] = ['admin', 'agent', 'ai_agent'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
