/** Who a token or a signed-in person acts as. viewer: read-only; the others may write. */
export const ROLES = ['admin', 'agent', 'ai_agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
