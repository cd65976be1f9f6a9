import type { AppServices } from '../app-services.ts';
import { hasRole, type Role } from '../../contracts/roles.ts';
import { forbidden } from '../errors.ts';

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

/**
 * What a domain function receives from a route, with its validated input: the infrastructure, the request's
 * id and client address, and (for signed-in routes) who is acting for which tenant. Routes build it; domain
 * functions `(ctx, input)` own the transaction and the audit entry.
 */
export interface PublicContext {
  s: AppServices;
  requestId: string;
  clientIp: string;
}

export interface ActorContext extends PublicContext {
  actor: Actor;
  tenantId: string;
}
