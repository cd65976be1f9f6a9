import type { z } from 'zod';
import type { LoginBody, MeResponse } from '../contracts/accounts.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import type { AppServices } from '../platform/app-services.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';
import type { ActorContext, PublicContext } from '../platform/http/request-context.ts';
import { checkLogin } from './login.ts';
import { createSession, deleteSession } from './sessions.ts';
import { findTenantById } from './tenants.repo.ts';
import { getUser } from './users.repo.ts';

type Me = z.infer<typeof MeResponse>;

/** Check the password (throttled), open a session and record the sign-in; the caller sets the cookie. */
export async function signIn(ctx: PublicContext, input: z.infer<typeof LoginBody>) {
  const { s } = ctx;
  const login = await checkLogin(s.db, { email: input.email, password: input.password, ip: ctx.clientIp });
  const session = await createSession(s.db, {
    tenantId: login.tenantId,
    userId: login.userId,
    ttlHours: s.config.SESSION_TTL_HOURS,
  });
  await withTenant(s.db, login.tenantId, (trx) =>
    recordAudit(trx, {
      tenantId: login.tenantId,
      actor: { type: 'user', id: login.userId, label: login.email },
      action: 'auth.login',
      ip: ctx.clientIp,
    }),
  );
  return { session, me: await describeMe(s, login.tenantId, login.userId, session.csrfToken) };
}

/** End the caller's browser session (API tokens have none). */
export async function signOut(ctx: ActorContext, input: { sessionToken: string | undefined }): Promise<void> {
  if (input.sessionToken) await deleteSession(ctx.s.db, ctx.tenantId, input.sessionToken);
}

/** The signed-in user, their workspace and the CSRF token the admin app must echo. */
export function currentUser(ctx: ActorContext, input: { csrfToken: string | null }): Promise<Me> {
  return describeMe(ctx.s, ctx.tenantId, ctx.actor.userId, input.csrfToken);
}

async function describeMe(s: AppServices, tenantId: string, userId: string, csrfToken: string | null): Promise<Me> {
  const tenant = await findTenantById(s.db, tenantId);
  if (!tenant) throw notFound('Tenant');
  const user = await withTenant(s.db, tenantId, (trx) => getUser(trx, userId));
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    csrfToken,
    sandbox: s.config.sandbox,
  };
}
