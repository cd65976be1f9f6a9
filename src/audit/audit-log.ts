import type { AuditEntry } from '../contracts/accounts.ts';
import type { CursorPage } from '../contracts/paging.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import { listAudit, type AuditFilter } from './audit.repo.ts';

/** The caller's workspace audit log, newest first, filtered. */
export function readAuditLog(ctx: ActorContext, filter: AuditFilter): Promise<CursorPage<AuditEntry>> {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => listAudit(trx, filter));
}
