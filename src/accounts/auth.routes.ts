import { deleteCookie, setCookie } from 'hono/cookie';
import type { z } from 'zod';
import type { AppServices } from '../platform/app-services.ts';
import { checkLogin } from './login.ts';
import { createSession, deleteSession } from './sessions.ts';
import { findTenantById } from './tenants.repo.ts';
import { getUser } from './users.repo.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { LoginBody, MeResponse } from '../contracts/accounts.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { SESSION_COOKIE } from './auth-middleware.ts';
import { clientIp } from '../platform/http/client-ip.ts';
import { notFound } from '../platform/errors.ts';

/** Sign-in, sign-out and "who am I". */
export function registerAuthRoutes(api: ApiRouter, s: AppServices): void {
  api.route(
    {
      method: 'post',
      path: '/api/auth/login',
      tag: 'auth',
      summary: 'Sign in with email and password',
      access: 'public',
      body: LoginBody,
      response: MeResponse,
    },
    async (c, { body }) => {
      const ip = clientIp(c);
      const login = await checkLogin(s.db, {
        email: body.email,
        password: body.password,
        ip,
      });
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
          ip,
        }),
      );
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: s.config.cookieSecure,
        path: '/',
        expires: session.expiresAt,
      });
      return c.json(await me(s, login.tenantId, login.userId, session.csrfToken));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/api/auth/logout',
      tag: 'auth',
      summary: 'Sign out',
      access: 'signed_in',
    },
    async (c, { actor }) => {
      const token = c.get('sessionToken');
      if (token) await deleteSession(s.db, actor.tenantId, token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ ok: true });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/me',
      tag: 'auth',
      summary: 'The signed-in user, tenant and CSRF token',
      access: 'signed_in',
      response: MeResponse,
    },
    async (c, { actor }) => c.json(await me(s, actor.tenantId, actor.userId, c.get('csrfToken') ?? null)),
  );
}

async function me(
  s: AppServices,
  tenantId: string,
  userId: string,
  csrfToken: string | null,
): Promise<z.infer<typeof MeResponse>> {
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
