import { auditAction } from '../audit/audit-actor.ts';
import type { AutoApproveRule, AutoApproveRules } from '../contracts/trust-center.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { appError, notFound } from '../platform/errors.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { deleteAutoApproveRule, insertAutoApproveRule, listAutoApproveRules } from './auto-approve.repo.ts';

/** The workspace's auto-approve rules. */
export async function readAutoApproveRules(ctx: ActorContext): Promise<AutoApproveRules> {
  return { items: await withTenant(ctx.s.db, ctx.tenantId, listAutoApproveRules) };
}

/** Approve requests from this email domain at once from now on (audited). */
export function addAutoApproveRule(
  ctx: ActorContext,
  input: { domain: string; scope: 'all' | 'contacts' },
): Promise<AutoApproveRule> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const rule = await insertAutoApproveRule(trx, ctx.tenantId, { ...input, createdBy: ctx.actor.userId });
    if (!rule)
      throw appError('rule_exists', `domain: requests from ${input.domain} are already approved automatically.`);
    await auditAction(trx, ctx, {
      action: 'access_request.auto_approve_added',
      targetType: 'auto_approve_rule',
      targetId: rule.id,
      details: { domain: rule.domain, scope: rule.scope },
    });
    return rule;
  });
}

/** Stop approving a domain's requests automatically (audited); requests already granted keep their grants. */
export function removeAutoApproveRule(ctx: ActorContext, input: { ruleId: string }): Promise<void> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const rule = await deleteAutoApproveRule(trx, input.ruleId);
    if (!rule) throw notFound('Auto-approve rule');
    await auditAction(trx, ctx, {
      action: 'access_request.auto_approve_removed',
      targetType: 'auto_approve_rule',
      targetId: rule.id,
      details: { domain: rule.domain, scope: rule.scope },
    });
  });
}
