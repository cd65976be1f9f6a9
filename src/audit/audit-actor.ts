import type { Tx } from '../platform/db/tenant-scope.ts';
import type { Actor, ActorContext } from '../platform/http/request-context.ts';
import { recordAudit, type AuditActor } from './audit.repo.ts';

/** The audit identity of a signed-in actor (an API token is named by its id, a session by the user). */
export function auditActor(actor: Actor): AuditActor {
  return {
    type: actor.kind,
    id: actor.kind === 'api_token' ? (actor.tokenId ?? actor.userId) : actor.userId,
    label: actor.email,
  };
}

/** Record what the signed-in caller of `ctx` did, from their address, in the caller's transaction. */
export function auditAction(
  trx: Tx,
  ctx: ActorContext,
  entry: { action: string; targetType?: string; targetId?: string; details?: Record<string, unknown> },
): Promise<void> {
  return recordAudit(trx, { ...entry, tenantId: ctx.tenantId, actor: auditActor(ctx.actor), ip: ctx.clientIp });
}
