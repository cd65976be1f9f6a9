import type { Hono } from 'hono';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.ts';
import { createHttpApp } from '../../src/app/http-app.ts';
import type { AppEnv } from '../../src/platform/http/app-env.ts';
import { createTenantWithAdmin, addUserToTenant } from '../../src/accounts/tenant-setup.ts';
import type { Role } from '../../src/platform/db/schema.ts';
import { createTestDatabase } from './test-db.ts';

export const PASSWORD = 'correct-horse-battery';

export interface TestApp {
  runtime: Runtime;
  app: Hono<AppEnv>;
  config: Config;
  close(): Promise<void>;
}

/** The real application on a fresh database, exercised in-process through app.request(). */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { worker?: boolean } = {},
): Promise<TestApp> {
  const handle = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: handle.dataDir,
    SANDBOX: 'off',
    DEMO_ON_FIRST_START: 'false',
    ...env,
  });
  const runtime = await bootstrap(
    config,
    createLogger(config.LOG_LEVEL),
    { web: true, worker: opts.worker ?? false },
    handle,
  );
  const app = createHttpApp(runtime.services);
  return { runtime, app, config, close: () => runtime.stop() };
}

type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

/** Requests either in-process (a Hono app) or over HTTP (a server's base URL). */
export function fetcherFor(target: Hono<AppEnv> | string): Fetcher {
  return typeof target === 'string'
    ? (path, init) => fetch(`${target}${path}`, init)
    : (path, init) => Promise.resolve(target.request(path, init));
}

/** A signed-in browser-like client: keeps the session cookie and sends the CSRF token on mutations. */
export class Session {
  private readonly fetcher: Fetcher;
  constructor(
    target: Hono<AppEnv> | string,
    readonly cookie: string,
    readonly csrf: string,
    readonly tenantId: string,
    readonly userId: string,
  ) {
    this.fetcher = fetcherFor(target);
  }

  static async signIn(target: Hono<AppEnv> | string, email: string, password = PASSWORD): Promise<Session> {
    const res = await fetcherFor(target)('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed for ${email}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as {
      csrfToken: string;
      tenant: { id: string };
      user: { id: string };
    };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return new Session(target, cookie, body.csrfToken, body.tenant.id, body.user.id);
  }

  request(
    path: string,
    init: {
      method?: string;
      json?: unknown;
      body?: BodyInit;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {
      cookie: this.cookie,
      'x-csrf-token': this.csrf,
      ...init.headers,
    };
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    return this.fetcher(path, { method: init.method ?? 'GET', headers, body });
  }
}

/** Two tenants with one user of each role, for cross-tenant and role-matrix tests. */
export async function seedTwoTenants(t: TestApp) {
  const db = t.runtime.services.db;
  const a = await createTenantWithAdmin(db, {
    slug: 'tenant-a',
    name: 'Tenant A',
    adminEmail: 'admin@a.test',
    adminPassword: PASSWORD,
  });
  const b = await createTenantWithAdmin(db, {
    slug: 'tenant-b',
    name: 'Tenant B',
    adminEmail: 'admin@b.test',
    adminPassword: PASSWORD,
  });
  const roles: Role[] = ['content_manager', 'viewer'];
  for (const role of roles) {
    await addUserToTenant(db, {
      slug: 'tenant-a',
      email: `${role}@a.test`,
      role,
      password: PASSWORD,
    });
    await addUserToTenant(db, {
      slug: 'tenant-b',
      email: `${role}@b.test`,
      role,
      password: PASSWORD,
    });
  }
  return { a: a.tenant, b: b.tenant };
}

/** Sessions for tenant A's admin, content manager and viewer, and tenant B's admin. */
export async function signInAll(t: TestApp) {
  return {
    admin: await Session.signIn(t.app, 'admin@a.test'),
    content: await Session.signIn(t.app, 'content_manager@a.test'),
    viewer: await Session.signIn(t.app, 'viewer@a.test'),
    otherAdmin: await Session.signIn(t.app, 'admin@b.test'),
  };
}
