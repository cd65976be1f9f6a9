import type { AutoApproveRule } from '../contracts/trust-center.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';

/** Auto-approve rules by email domain: the only writer of access_auto_approve_rules. */

type RuleRow = { id: string; domain: string; scope: 'all' | 'contacts'; created_at: Date };
const toRule = (r: RuleRow): AutoApproveRule => ({
  id: r.id,
  domain: r.domain,
  scope: r.scope,
  createdAt: r.created_at.toISOString(),
});

export async function listAutoApproveRules(trx: Tx): Promise<AutoApproveRule[]> {
  const rows = await trx
    .selectFrom('access_auto_approve_rules')
    .select(['id', 'domain', 'scope', 'created_at'])
    .orderBy('domain')
    .execute();
  return rows.map(toRule);
}

/** The rule for an email's domain, if any (exact domain; subdomains need their own rule). */
export async function findAutoApproveRule(trx: Tx, email: string): Promise<AutoApproveRule | undefined> {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const row = await trx
    .selectFrom('access_auto_approve_rules')
    .select(['id', 'domain', 'scope', 'created_at'])
    .where('domain', '=', domain)
    .executeTakeFirst();
  return row && toRule(row);
}

/** Add a rule; undefined when the domain has one already. */
export async function insertAutoApproveRule(
  trx: Tx,
  tenantId: string,
  input: { domain: string; scope: 'all' | 'contacts'; createdBy: string | null },
): Promise<AutoApproveRule | undefined> {
  const row = await trx
    .insertInto('access_auto_approve_rules')
    .values({ tenant_id: tenantId, domain: input.domain, scope: input.scope, created_by: input.createdBy })
    .onConflict((oc) => oc.columns(['tenant_id', 'domain']).doNothing())
    .returning(['id', 'domain', 'scope', 'created_at'])
    .executeTakeFirst();
  return row && toRule(row);
}

export async function deleteAutoApproveRule(trx: Tx, id: string): Promise<AutoApproveRule | undefined> {
  const row = await trx
    .deleteFrom('access_auto_approve_rules')
    .where('id', '=', id)
    .returning(['id', 'domain', 'scope', 'created_at'])
    .executeTakeFirst();
  return row && toRule(row);
}
