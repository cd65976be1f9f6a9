import type { Role } from '../platform/db/schema.ts';
import { forbidden } from '../platform/errors.ts';

export const ROLES = ['viewer', 'content_manager', 'admin'] as const satisfies readonly Role[];
const RANK: Record<Role, number> = { viewer: 0, content_manager: 1, admin: 2 };

/** Who is calling: a signed-in user or one of their API tokens (same role as the user). */
export interface Actor {
  kind: 'user' | 'api_token';
  tenantId: string;
  tenantSlug: string;
  userId: string;
  email: string;
  role: Role;
  tokenId?: string;
}

/** True when `role` is at least `min` in the admin > content_manager > viewer order. */
export function hasRole(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** Throw 403 unless the actor's role is at least `min`. */
export function requireRole(actor: Actor, min: Role): void {
  if (!hasRole(actor.role, min)) {
    throw forbidden(`This action needs the ${min.replace('_', ' ')} role or higher.`);
  }
}
