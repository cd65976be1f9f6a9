import { hasRole } from '../contracts/roles.ts';
import type { Role } from '../platform/db/schema.ts';
import { forbidden } from '../platform/errors.ts';

export const ROLES = ['viewer', 'content_manager', 'admin'] as const satisfies readonly Role[];

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

/** Throw 403 unless the actor's role is at least `min`. */
export function requireRole(actor: Actor, min: Role): void {
  if (!hasRole(actor.role, min)) {
    throw forbidden(`This action needs the ${min.replace('_', ' ')} role or higher.`);
  }
}
