/**
 * The roles of a workspace and their order, shared by the server (route access checks) and the admin app
 * (which controls to show). Kept free of zod so the admin app can import it at run time.
 */
export const ROLES = ['admin', 'content_manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, content_manager: 1, admin: 2 };

/** True when `role` is at least `min` in the admin > content_manager > viewer order. */
export function hasRole(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}
