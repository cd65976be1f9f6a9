import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTwoTenants, signInAll, startTestApp, type Session, type TestApp } from '../support/test-app.ts';

/**
 * Every endpoint declared in the API (read from its OpenAPI document, which is generated from the same
 * declarations that route requests) is called by each role. A role below the endpoint's minimum gets 403
 * before any input is looked at; a role at or above it never does. The role check cannot be forgotten
 * for a new endpoint: it would appear here automatically.
 */
type Operation = { method: string; path: string; role: string };
const RANK: Record<string, number> = {
  viewer: 0,
  content_manager: 1,
  admin: 2,
};

let t: TestApp;
let sessions: Record<'viewer' | 'content_manager' | 'admin', Session>;
let operations: Operation[];

beforeAll(async () => {
  t = await startTestApp();
  await seedTwoTenants(t);
  const all = await signInAll(t);
  sessions = {
    viewer: all.viewer,
    content_manager: all.content,
    admin: all.admin,
  };
  const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
    paths: Record<string, Record<string, { 'x-required-role': string }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      role: op['x-required-role'],
    })),
  );
});
afterAll(async () => t?.close());

describe('role matrix over every declared endpoint', () => {
  it('covers the whole API', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(
      operations
        .filter((o) => o.role === 'public')
        .map((o) => `${o.method} ${o.path}`)
        .sort(),
    ).toEqual(['GET /api/sandbox', 'GET /healthz', 'GET /readyz', 'POST /api/auth/login', 'POST /api/webhooks/nango']);
  });

  it('answers 403 below the required role and never 403 at or above it', async () => {
    const checked: string[] = [];
    for (const op of operations.filter((o) => o.role in RANK || o.role === 'signed_in')) {
      // Unknown ids everywhere: allowed roles get 400/404/409/503 for them, never a change to real data.
      const path = op.path.replace(/\{[^}]+\}/g, () => crypto.randomUUID());
      for (const [role, session] of Object.entries(sessions)) {
        if (op.method === 'POST' && path === '/api/auth/logout') continue;
        const res = await session.request(path, {
          method: op.method,
          ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { json: {} }),
        });
        const allowed = op.role === 'signed_in' || RANK[role]! >= RANK[op.role]!;
        const label = `${role} ${op.method} ${op.path} → ${res.status}`;
        if (allowed) expect(res.status, label).not.toBe(403);
        else {
          expect(res.status, label).toBe(403);
          expect(((await res.json()) as { error: { code: string } }).error.code, label).toBe('forbidden');
        }
        checked.push(label);
      }
    }
    expect(checked.length).toBeGreaterThan(100);
  });

  it('rejects every non-public endpoint without a session', async () => {
    for (const op of operations.filter((o) => o.role !== 'public')) {
      const res = await t.app.request(
        op.path.replace(/\{[^}]+\}/g, () => crypto.randomUUID()),
        { method: op.method },
      );
      expect(res.status, `${op.method} ${op.path}`).toBe(401);
    }
  });
});
