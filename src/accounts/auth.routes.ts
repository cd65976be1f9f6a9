import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppServices } from '../platform/app-services.ts';
import { LoginBody, MeResponse } from '../contracts/accounts.ts';
import type { ApiRouter } from '../platform/http/api-router.ts';
import { SESSION_COOKIE } from './auth-middleware.ts';
import { currentUser, signIn, signOut } from './sign-in.ts';

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
    async (c, { ctx, body }) => {
      const { session, me } = await signIn(ctx, body);
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: s.config.cookieSecure,
        path: '/',
        expires: session.expiresAt,
      });
      return c.json(me);
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
    async (c, { ctx }) => {
      await signOut(ctx, { sessionToken: c.get('sessionToken') });
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
    async (c, { ctx }) => c.json(await currentUser(ctx, { csrfToken: c.get('csrfToken') ?? null })),
  );
}
