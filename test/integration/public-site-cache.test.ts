import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedTwoTenants, signInAll, startTestApp, type Session, type TestApp } from '../support/test-app.ts';
import type { ContactDetail, MagicLink } from '../../src/contracts/trust-center.ts';
import { anonymousActivity } from '../../src/trust-center/anonymous-activity.ts';

/**
 * The anonymous page cache of the public site: pages are rendered once per tenant content version, and
 * every change that affects them (publish, unpublish, edit, delete, a write that bypasses the API) is seen
 * by the next request; a contact's pages never come from it.
 */
let t: TestApp;
let admin: Session;
let content: Session;
let otherAdmin: Session;

const anonymous = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });

async function createDoc(s: Session, title: string, accessLevel: string, markdown = `# ${title}\n\nBody of ${title}.`) {
  const res = await s.request('/api/documents', { method: 'POST', json: { title, markdown, accessLevel } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function patchDoc(s: Session, id: string, json: Record<string, unknown>) {
  const res = await s.request(`/api/documents/${id}`, { method: 'PATCH', json });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  t = await startTestApp();
  await seedTwoTenants(t);
  ({ admin, content, otherAdmin } = await signInAll(t));
});
afterAll(async () => {
  await t?.close();
});

describe('anonymous pages are cached per content version', () => {
  it('serves the overview with a validator and answers a matching If-None-Match with 304', async () => {
    await createDoc(content, 'Security whitepaper', 'public');
    const first = await anonymous('/t/tenant-a');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, no-cache');
    expect(first.headers.get('vary')).toBe('Cookie');
    expect(first.headers.get('content-security-policy')).toBeTruthy();
    const html = await first.text();
    expect(html).toContain('Security whitepaper');

    const again = await anonymous('/t/tenant-a');
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(html);

    const revalidated = await anonymous('/t/tenant-a', { 'if-none-match': `W/"other", ${etag!}` });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);
  });

  it('a publish is on the next request: new list, new ETag, the old ETag no longer matches', async () => {
    const before = await anonymous('/t/tenant-a');
    const etag = before.headers.get('etag')!;
    const id = await createDoc(content, 'Incident response plan', 'internal');
    // A change the page does not show re-renders it to the same bytes: the validator still matches.
    const stillInternal = await anonymous('/t/tenant-a', { 'if-none-match': etag });
    expect(stillInternal.status).toBe(304);
    expect(await (await anonymous('/t/tenant-a')).text()).not.toContain('Incident response plan');

    await patchDoc(content, id, { accessLevel: 'public' });
    const after = await anonymous('/t/tenant-a', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain('Incident response plan');
    const doc = await anonymous(`/t/tenant-a/documents/${id}`);
    expect(doc.status).toBe(200);
    expect(await doc.text()).toContain('Body of Incident response plan.');
  });

  it('an unpublished or deleted document is never served from the cache', async () => {
    const id = await createDoc(content, 'Data retention policy', 'public', '# Retention\n\nWe keep logs 30 days.');
    const path = `/t/tenant-a/documents/${id}`;
    const cached = await anonymous(path);
    expect(cached.status).toBe(200);
    const etag = cached.headers.get('etag')!;
    expect((await anonymous(path, { 'if-none-match': etag })).status).toBe(304);

    await patchDoc(content, id, { accessLevel: 'internal' });
    const internal = await anonymous(path, { 'if-none-match': etag });
    expect(internal.status).toBe(404);
    expect(internal.headers.get('etag')).toBeNull();
    expect(internal.headers.get('cache-control')).toBe('private, no-store');
    expect(await internal.text()).not.toContain('We keep logs');
    expect(await (await anonymous('/t/tenant-a')).text()).not.toContain('Data retention policy');

    await patchDoc(content, id, { accessLevel: 'contacts' });
    const locked = await anonymous(path);
    expect(locked.status).toBe(403);
    expect(locked.headers.get('etag')).toBeNull();
    expect(await locked.text()).not.toContain('We keep logs');

    await patchDoc(content, id, { accessLevel: 'public' });
    expect((await anonymous(path)).status).toBe(200);
    expect((await admin.request(`/api/documents/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await anonymous(path)).status).toBe(404);
  });

  it('an edited body is rendered once when written and shown at once', async () => {
    const id = await createDoc(content, 'Encryption standard', 'public', '# Keys\n\nAES-128 <b>raw</b>');
    const path = `/t/tenant-a/documents/${id}`;
    const stored = await t.runtime.services.db
      .selectFrom('documents')
      .select('body_html')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // Sanitized at write time: raw HTML in Markdown is text, never markup.
    expect(stored.body_html).toContain('AES-128 &lt;b&gt;raw&lt;/b&gt;');
    expect(await (await anonymous(path)).text()).toContain('AES-128');

    await patchDoc(content, id, { markdown: '# Keys\n\nAES-256 everywhere.' });
    const edited = await (await anonymous(path)).text();
    expect(edited).toContain('AES-256 everywhere.');
    expect(edited).not.toContain('AES-128');
  });

  it('a change written outside the API (another process, another module) is seen too', async () => {
    const id = await createDoc(content, 'Vendor list', 'public', 'Vendors: Acme Mail.');
    const path = `/t/tenant-a/documents/${id}`;
    expect(await (await anonymous(path)).text()).toContain('Acme Mail');
    const db = t.runtime.services.db;
    // As a sync or a second web process would: straight to the table, no cache call anywhere.
    await sql`update documents set body_markdown = 'Vendors: Globex Mail.', title = 'Subprocessors' where id = ${id}`.execute(
      db,
    );
    const html = await (await anonymous(path)).text();
    expect(html).toContain('Globex Mail');
    expect(html).toContain('Subprocessors');
    expect(html).not.toContain('Acme Mail');
    await sql`update tenants set name = 'Tenant A Renamed' where slug = 'tenant-a'`.execute(db);
    expect(await (await anonymous('/t/tenant-a')).text()).toContain('Tenant A Renamed');
  });

  it('tenants never share cached pages', async () => {
    await createDoc(otherAdmin, 'Tenant B only', 'public');
    expect(await (await anonymous('/t/tenant-b')).text()).toContain('Tenant B only');
    expect(await (await anonymous('/t/tenant-a')).text()).not.toContain('Tenant B only');
  });

  it('anonymous views served from the cache are still counted', async () => {
    const id = await createDoc(content, 'Status page policy', 'public');
    // Anonymous views are counted per document and day (a contact's view is an audit entry of its own).
    const views = async () =>
      (
        await t.runtime.services.db
          .selectFrom('document_daily_activity')
          .select((eb) => eb.fn.sum<string>('views').as('n'))
          .where('document_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n;
    for (let i = 0; i < 3; i++) expect((await anonymous(`/t/tenant-a/documents/${id}`)).status).toBe(200);
    // Counted in memory and written in batches; flushing writes them now instead of within two seconds.
    await anonymousActivity(t.runtime.services).flush();
    expect(Number(await views())).toBe(3);
  });
});

describe("a contact's pages are per viewer", () => {
  it('never come from the anonymous cache and never enter it', async () => {
    const restricted = await createDoc(content, 'Pen test report', 'contacts', 'Findings: none critical.');
    const open = await createDoc(content, 'Privacy notice', 'public');
    // Warm the anonymous cache first: the contact must still get their own pages.
    expect((await anonymous('/t/tenant-a')).status).toBe(200);
    expect((await anonymous(`/t/tenant-a/documents/${open}`)).status).toBe(200);

    const contactRes = await content.request('/api/contacts', {
      method: 'POST',
      json: { email: 'pat@prospect.test', name: 'Pat Prospect', company: 'Prospect Inc' },
    });
    const contactId = ((await contactRes.json()) as ContactDetail).id;
    await content.request(`/api/contacts/${contactId}/grants`, { method: 'POST', json: { documentIds: [restricted] } });
    // Only admins are shown a contact's sign-in link.
    const link = await admin.request(`/api/contacts/${contactId}/magic-link`, { method: 'POST' });
    const linkPath = new URL(((await link.json()) as MagicLink).message.link!).pathname;
    const signedIn = await t.app.request(linkPath, { method: 'POST' });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;

    for (const path of ['/t/tenant-a', `/t/tenant-a/documents/${open}`, `/t/tenant-a/documents/${restricted}`]) {
      const res = await t.app.request(path, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(await res.text()).toContain('pat@prospect.test');
    }
    const overview = await (await anonymous('/t/tenant-a')).text();
    expect(overview).not.toContain('pat@prospect.test');
    expect(overview).not.toContain('Shared with you');
    expect(await (await anonymous(`/t/tenant-a/documents/${open}`)).text()).not.toContain('pat@prospect.test');
    expect(await (await anonymous(`/t/tenant-a/documents/${restricted}`)).text()).not.toContain('none critical');
  });
});
