import type { Actor } from '../platform/http/request-context.ts';
import type { AuditActor } from './audit.repo.ts';

/** The audit identity of a signed-in actor (an API token is named by its id, a session by the user). */
export function auditActor(actor: Actor): AuditActor {
  return {
    type: actor.kind,
    id: actor.kind === 'api_token' ? (actor.tokenId ?? actor.userId) : actor.userId,
    label: actor.email,
  };
}
