import type { Role } from './common.ts';

/** The one role order, admin > content_manager > viewer, shared by the server's checks and the admin app's controls. */
const ROLE_RANK: Record<Role, number> = { viewer: 0, content_manager: 1, admin: 2 };

/** True when `role` grants at least the rights of `min`. */
export function hasRole(role: Role, min: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[min];
}
