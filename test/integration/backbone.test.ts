import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/test-app.ts';
import { seedTwoTenants, signInAll, startTestApp, type TestApp } from '../support/test-app.ts';
import { withTenant } from '../../src/platform/db/tenant-scope.ts';

let t: TestApp;
let admin: Session;
let viewer: Session;
let content: Session;
let otherAdmin: Session;

beforeAll(async () => {
  t = await startTestApp({ TRUST_PROXY: 'true' });
  await seedTwoTenants(t);
  ({ admin, content, viewer, otherAdmin } = await signInAll(t));
});
afterAll(async () => t?.close());

async function createDoc(s: Session, title = 'Security overview') {
  const res = await s.request('/api/documents', {
    method: 'POST',
    json: { title, markdown: '# Hello\n\nEncrypted at rest.' },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; accessLevel: string };
}

describe('health and API description', () => {
  it('answers /healthz once the database is up', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { ok: true }, queue: { ok: true } });
    expect((await t.app.request('/readyz')).status).toBe(200);
  });

  it('serves an OpenAPI document listing every route with its required role', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-required-role': string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/documents/{id}']?.patch?.['x-required-role']).toBe('content_manager');
    expect(doc.paths['/api/documents/{id}']?.delete?.['x-required-role']).toBe('admin');
  });
});

describe('documents', () => {
  it('creates Markdown documents as internal, lists, fetches and changes the access level', async () => {
    const doc = await createDoc(content);
    expect(doc.accessLevel).toBe('internal');
    const patched = await content.request(`/api/documents/${doc.id}`, {
      method: 'PATCH',
      json: { accessLevel: 'public' },
    });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { accessLevel: string }).accessLevel).toBe('public');
    const list = (await (await viewer.request('/api/documents?accessLevel=public')).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((d) => d.id)).toContain(doc.id);
    const fetched = (await (await viewer.request(`/api/documents/${doc.id}`)).json()) as { markdown: string };
    expect(fetched.markdown).toContain('Encrypted at rest');
    const audit = (await (await admin.request(`/api/audit?targetId=${doc.id}`)).json()) as {
      items: { action: string; details: { from?: string; to?: string } }[];
    };
    expect(audit.items.find((e) => e.action === 'document.access_level_changed')?.details).toMatchObject({
      from: 'internal',
      to: 'public',
    });
  });

  it('uploads a file as a stream and downloads it with a safe content disposition', async () => {
    const form = new FormData();
    form.append('title', 'SOC 2 report');
    form.append('accessLevel', 'contacts_nda');
    form.append('file', new Blob(['%PDF-1.4\n%fake but small\n'], { type: 'application/pdf' }), 'soc2.pdf');
    const res = await content.request('/api/documents', {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(201);
    const doc = (await res.json()) as {
      id: string;
      kind: string;
      file: { size: number; sha256: string; name: string };
    };
    expect(doc.kind).toBe('file');
    expect(doc.file.name).toBe('soc2.pdf');
    expect(doc.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const file = await viewer.request(`/api/documents/${doc.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toContain('%PDF-1.4');
  });

  it('keeps a non-Latin-1 file name intact on upload and offers an ASCII fallback on download', async () => {
    const name = 'Sécurité – rapport ’24.pdf';
    const form = new FormData();
    form.append('title', 'Security report');
    form.append('file', new Blob(['%PDF-1.4\n%unicode name\n'], { type: 'application/pdf' }), name);
    const res = await content.request('/api/documents', {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(201);
    const doc = (await res.json()) as { id: string; file: { name: string } };
    expect(doc.file.name).toBe(name);
    const file = await viewer.request(`/api/documents/${doc.id}/file`);
    expect(file.status).toBe(200);
    const disposition = file.headers.get('content-disposition') ?? '';
    expect(disposition).toContain('filename="S_curit_ _ rapport _24.pdf"');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(await file.text()).toContain('%PDF-1.4');
  });

  it('rejects bad input with a 4xx code and writes nothing', async () => {
    const countDocuments = async () =>
      ((await (await admin.request('/api/documents?limit=100')).json()) as { items: unknown[] }).items.length;
    const before = await countDocuments();
    const cases: [RequestInit & { headers?: Record<string, string> }, number, string][] = [
      [{ body: '{not json', headers: { 'content-type': 'application/json' } }, 400, 'malformed_json'],
      [
        {
          body: JSON.stringify({ title: 'x', markdown: 'y', extra: 1 }),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'invalid_body',
      ],
      [
        {
          body: JSON.stringify({ title: 5, markdown: 'y' }),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'invalid_body',
      ],
      [
        {
          body: JSON.stringify({
            title: 'x',
            markdown: 'y',
            accessLevel: 'secret',
          }),
          headers: { 'content-type': 'application/json' },
        },
        400,
        'invalid_body',
      ],
      [{ body: 'title=x', headers: { 'content-type': 'text/plain' } }, 415, 'unsupported_media_type'],
      [
        {
          body: JSON.stringify({
            title: 'x',
            markdown: 'y'.repeat(9 * 1024 * 1024),
          }),
          headers: { 'content-type': 'application/json' },
        },
        413,
        'payload_too_large',
      ],
    ];
    for (const [init, status, code] of cases) {
      const res = await admin.request('/api/documents', {
        method: 'POST',
        body: init.body as string,
        headers: init.headers,
      });
      expect(res.status, code).toBe(status);
      expect(((await res.json()) as { error: { code: string; message: string } }).error.code).toBe(code);
    }
    expect(await countDocuments()).toBe(before);
    expect((await admin.request('/api/documents/not-a-uuid')).status).toBe(400);
    expect((await admin.request('/api/documents/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('pages documents, contacts and the audit log by one opaque cursor, without gaps or repeats', async () => {
    for (let i = 0; i < 5; i++) await createDoc(content, `Paged ${i}`);
    for (let i = 0; i < 3; i++) {
      const res = await content.request('/api/contacts', { method: 'POST', json: { email: `paged${i}@example.com` } });
      expect(res.status).toBe(201);
    }
    async function readAll(session: Session, path: string) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const url: string = `${path}${sep}limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = (await (await session.request(url)).json()) as {
          items: { id: string }[];
          nextCursor: string | null;
        };
        expect(page.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    }
    const all = async (path: string) =>
      ((await (await admin.request(path)).json()) as { items: { id: string }[] }).items.map((item) => item.id);
    for (const path of ['/api/documents?q=Paged', '/api/contacts?q=paged', '/api/audit?action=contact.']) {
      const paged = await readAll(admin, path);
      expect(new Set(paged).size, path).toBe(paged.length);
      expect(paged, path).toEqual(await all(`${path}&limit=100`));
      expect(paged.length, path).toBeGreaterThanOrEqual(3);
    }
    for (const path of ['/api/documents', '/api/contacts', '/api/audit']) {
      const res = await admin.request(`${path}?cursor=bm90LWEtY3Vyc29y`);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_query');
    }
  });

  it("returns 404 for another tenant's document on every document endpoint", async () => {
    const doc = await createDoc(admin, 'Tenant A only');
    for (const [method, path, json] of [
      ['GET', `/api/documents/${doc.id}`, undefined],
      ['PATCH', `/api/documents/${doc.id}`, { accessLevel: 'public' }],
      ['DELETE', `/api/documents/${doc.id}`, undefined],
      ['GET', `/api/documents/${doc.id}/file`, undefined],
    ] as const) {
      const res = await otherAdmin.request(path, { method, json });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await otherAdmin.request('/api/documents?q=Tenant%20A')).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });

  it("returns 404 for another tenant's users and API tokens", async () => {
    const token = (await (
      await viewer.request('/api/tokens', {
        method: 'POST',
        json: { name: 'cross-tenant' },
      })
    ).json()) as { id: string };
    for (const [method, path, json] of [
      ['PATCH', `/api/users/${viewer.userId}`, { role: 'admin' }],
      ['DELETE', `/api/users/${viewer.userId}`, undefined],
      ['DELETE', `/api/tokens/${token.id}`, undefined],
    ] as const) {
      const res = await otherAdmin.request(path, { method, json });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const users = (await (await otherAdmin.request('/api/users')).json()) as {
      items: { email: string }[];
    };
    expect(users.items.map((u) => u.email).filter((e) => e.endsWith('@a.test'))).toEqual([]);
    expect((await viewer.request('/api/tokens')).status).toBe(200);
    expect(
      (
        (await (await viewer.request('/api/tokens')).json()) as {
          items: { id: string; revokedAt: string | null }[];
        }
      ).items.find((x) => x.id === token.id)?.revokedAt,
    ).toBeNull();
  });
});

describe('roles', () => {
  it('enforces the role matrix on every mutating endpoint', async () => {
    const doc = await createDoc(admin, 'Matrix');
    const matrix: {
      name: string;
      method: string;
      path: string;
      json?: unknown;
      min: 'viewer' | 'content_manager' | 'admin';
    }[] = [
      {
        name: 'create document',
        method: 'POST',
        path: '/api/documents',
        json: { title: 't', markdown: 'm' },
        min: 'content_manager',
      },
      {
        name: 'change access level',
        method: 'PATCH',
        path: `/api/documents/${doc.id}`,
        json: { accessLevel: 'contacts' },
        min: 'content_manager',
      },
      {
        name: 'add user',
        method: 'POST',
        path: '/api/users',
        json: {
          email: `new-${Math.random()}@a.test`,
          role: 'viewer',
          password: 'long-enough-password',
        },
        min: 'admin',
      },
      { name: 'read audit', method: 'GET', path: '/api/audit', min: 'admin' },
      {
        name: 'create token',
        method: 'POST',
        path: '/api/tokens',
        json: {},
        min: 'viewer',
      },
    ];
    const sessions = { viewer, content_manager: content, admin };
    const rank = { viewer: 0, content_manager: 1, admin: 2 };
    for (const row of matrix) {
      for (const [role, session] of Object.entries(sessions) as [keyof typeof rank, Session][]) {
        const res = await session.request(row.path, {
          method: row.method,
          json: row.json,
        });
        const allowed = rank[role] >= rank[row.min];
        expect(res.status < 300, `${role} → ${row.name} (${res.status})`).toBe(allowed);
        if (!allowed) expect(res.status).toBe(403);
      }
    }
    const del = await content.request(`/api/documents/${doc.id}`, {
      method: 'DELETE',
    });
    expect(del.status).toBe(403);
    expect((await admin.request(`/api/documents/${doc.id}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('requires sign-in and a CSRF token for cookie mutations', async () => {
    expect((await t.app.request('/api/documents')).status).toBe(401);
    const res = await t.app.request('/api/documents', {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', markdown: 'y' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
  });

  it("accepts personal API tokens with the user's role until revoked", async () => {
    const created = (await (
      await viewer.request('/api/tokens', {
        method: 'POST',
        json: { name: 'ci' },
      })
    ).json()) as { id: string; token: string };
    const auth = { authorization: `Bearer ${created.token}` };
    expect((await t.app.request('/api/documents', { headers: auth })).status).toBe(200);
    expect(
      (
        await t.app.request('/api/documents', {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'x', markdown: 'y' }),
        })
      ).status,
    ).toBe(403);
    expect((await viewer.request(`/api/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.app.request('/api/documents', { headers: auth })).status).toBe(401);
  });

  it('slows repeated failed logins down without locking the account', async () => {
    const attempt = (password: string) =>
      t.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'viewer@b.test', password }),
      });
    // Three failures are free; the fourth makes the next attempt from this address wait (5 s, then 10 s, …).
    for (let i = 0; i < 4; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const slowed = await attempt('correct-horse-battery');
    expect(slowed.status).toBe(429);
    const body = (await slowed.json()) as { error: { code: string; details: { retryAfterSeconds: number } } };
    expect(body.error.code).toBe('too_many_attempts');
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('sign-in throttling behind a trusted proxy', () => {
  const login = (email: string, password: string, forwardedFor: string) =>
    t.app.request('/api/auth/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': forwardedFor,
      },
      body: JSON.stringify({ email, password }),
    });

  it('counts parallel attempts before checking the password: at most 4 are checked, and only this address is slowed', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, () => login('content_manager@b.test', 'wrong-password', '198.51.100.10')),
    );
    const checked = results.filter((r) => r.status !== 429);
    expect(checked.length).toBeLessThanOrEqual(4);
    expect(checked.every((r) => r.status === 401)).toBe(true);
    expect((await login('content_manager@b.test', 'correct-horse-battery', '198.51.100.10')).status).toBe(429);
    // The guesser cannot lock the owner out: from another address the right password works at once.
    expect((await login('content_manager@b.test', 'correct-horse-battery', '198.51.100.11')).status).toBe(200);
  });

  it('locks out only an address, after 50 failed attempts in the window', async () => {
    for (let i = 0; i < 50; i++)
      expect((await login(`nobody-${i}@b.test`, 'wrong-password', '203.0.113.5, 10.0.0.1')).status).toBe(401);
    expect((await login('nobody-50@b.test', 'wrong-password', '203.0.113.5')).status).toBe(429);
    expect((await login('admin@b.test', 'correct-horse-battery', '203.0.113.5')).status).toBe(429);
    expect((await login('admin@b.test', 'correct-horse-battery', '203.0.113.6')).status).toBe(200);
  });

  it('does not count successful sign-ins against the address', async () => {
    for (let i = 0; i < 8; i++)
      expect((await login('admin@a.test', 'correct-horse-battery', '203.0.113.9')).status).toBe(200);
  });

  it('gives the API and the public site the same forwarded address', async () => {
    const doc = await createDoc(content, 'Forwarded address');
    const ip = '192.0.2.44';
    expect(
      (
        await content.request(`/api/documents/${doc.id}`, {
          method: 'PATCH',
          json: { accessLevel: 'contacts' },
          headers: { 'x-forwarded-for': ip },
        })
      ).status,
    ).toBe(200);
    // An access request from the public site is audited with the visitor's address.
    expect(
      (
        await t.app.request('/t/tenant-a/request', {
          method: 'POST',
          headers: { 'x-forwarded-for': `${ip}, 10.0.0.1`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            doc: doc.id,
            name: 'Pat',
            email: 'pat@prospect.test',
            company: '',
            reason: '',
          }).toString(),
        })
      ).status,
    ).toBe(303);
    const audit = (await (await admin.request(`/api/audit?targetId=${doc.id}`)).json()) as {
      items: { action: string; ip: string | null }[];
    };
    expect(audit.items.find((e) => e.action === 'document.access_level_changed')?.ip).toBe(ip);
    expect(audit.items.find((e) => e.action === 'public.access_request.create')?.ip).toBe(ip);
  });
});

describe('row-level security', () => {
  it('returns no rows without a tenant context, and only own rows with one', async () => {
    const db = t.runtime.services.db;
    const none = await db.transaction().execute(async (trx) => {
      await sql`set local role app_user`.execute(trx);
      return trx.selectFrom('documents').selectAll().execute();
    });
    expect(none).toEqual([]);
    const own = await withTenant(db, admin.tenantId, (trx) =>
      trx.selectFrom('documents').select('tenant_id').execute(),
    );
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((r) => r.tenant_id))).toEqual(new Set([admin.tenantId]));
    await expect(
      withTenant(db, admin.tenantId, (trx) =>
        trx
          .insertInto('documents')
          .values({
            tenant_id: otherAdmin.tenantId,
            title: 'x',
            kind: 'markdown',
            body_markdown: 'y',
          })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('workspace settings', () => {
  it('turns automatic re-import on and off (admin only, audited)', async () => {
    expect(await (await viewer.request('/api/settings')).json()).toEqual({
      autoReimport: false,
    });
    expect(
      (
        await content.request('/api/settings', {
          method: 'PATCH',
          json: { autoReimport: true },
        })
      ).status,
    ).toBe(403);
    const res = await admin.request('/api/settings', {
      method: 'PATCH',
      json: { autoReimport: true },
    });
    expect(await res.json()).toEqual({ autoReimport: true });
    expect(await (await otherAdmin.request('/api/settings')).json()).toEqual({
      autoReimport: false,
    });
    const audit = (await (await admin.request('/api/audit?action=settings.')).json()) as {
      items: { details: unknown }[];
    };
    expect(audit.items[0]?.details).toEqual({ autoReimport: true });
    expect(
      (
        await admin.request('/api/settings', {
          method: 'PATCH',
          json: { autoReimport: 'yes' },
        })
      ).status,
    ).toBe(400);
  });
});
