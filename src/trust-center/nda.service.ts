import { auditAction } from '../audit/audit-actor.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { describeNda, publishNda } from './nda.repo.ts';

/** The current NDA and its version history. */
export function readNda(ctx: ActorContext) {
  return withTenant(ctx.s.db, ctx.tenantId, describeNda);
}

/** Publish a new NDA version (audited); contacts must accept it again before opening NDA documents. */
export function publishNewNda(ctx: ActorContext, input: { body: string }) {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const version = await publishNda(trx, ctx.tenantId, input.body, ctx.actor.userId);
    await auditAction(trx, ctx, {
      action: 'nda.published',
      targetType: 'nda',
      targetId: version.id,
      details: { version: version.version },
    });
    return describeNda(trx);
  });
}
