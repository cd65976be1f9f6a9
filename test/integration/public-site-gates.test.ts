import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Session } from '../support/test-app.ts';
import { seedTwoTenants, signInAll, startTestApp, type TestApp } from '../support/test-app.ts';
import { withTenant } from '../../src/platform/db/tenant-scope.ts';
import type { AppEnv } from '../../src/platform/http/app-env.ts';
import type {
  AccessRequestList,
  ApproveAccessRequestResult,
  ContactDetail,
  MagicLink,
  OutboxList,
} from '../../src/contracts/trust-center.ts';

let t: TestApp;
let admin: Session;
let content: Session;
let viewer: Session;
let otherAdmin: Session;
const docs: Record<'pub' | 'contacts' | 'nda' | 'internal' | 'file' | 'other', string> = {
  pub: '',
  contacts: '',
  nda: '',
  internal: '',
  file: '',
  other: '',
};
const MISSING = '00000000-0000-4000-8000-000000000000';

/** A browser on the public site: keeps the contact cookie, reads the CSRF token from the last page. */
class Browser {
  cookie = '';
  lastHtml = '';
  constructor(private readonly app: Hono<AppEnv>) {}

  async get(path: string): Promise<Response> {
    const res = await this.app.request(path, {
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    this.remember(res);
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = await res.clone().text();
    return res;
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.app.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
    });
    this.remember(res);
    return res;
  }

  csrf(): string {
    return /name="csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1] ?? '';
  }

  private remember(res: Response) {
    const set = res.headers.get('set-cookie');
    if (set?.startsWith('tc_contact=')) this.cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
  }
}

async function createDoc(
  s: Session,
  title: string,
  accessLevel: string,
  markdown = `# ${title}\n\nSecret body of ${title}.`,
) {
  const res = await s.request('/api/documents', {
    method: 'POST',
    json: { title, markdown, accessLevel },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function createContact(s: Session, email: string): Promise<string> {
  const res = await s.request('/api/contacts', {
    method: 'POST',
    json: { email, name: 'Pat Prospect', company: 'Prospect Inc' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as ContactDetail).id;
}

async function grant(s: Session, contactId: string, body: Record<string, unknown>): Promise<ContactDetail> {
  const res = await s.request(`/api/contacts/${contactId}/grants`, {
    method: 'POST',
    json: body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ContactDetail;
}

async function magicLink(s: Session, contactId: string): Promise<string> {
  const res = await s.request(`/api/contacts/${contactId}/magic-link`, {
    method: 'POST',
  });
  expect(res.status).toBe(200);
  const link = ((await res.json()) as MagicLink).message.link;
  expect(link).toMatch(/\/t\/[a-z-]+\/access\/tcm_[A-Za-z0-9_-]{40,}$/);
  return new URL(link!).pathname;
}

/** Open a magic link the way a browser does: the landing page, then the Continue button. */
async function signInContact(path: string): Promise<Browser> {
  const b = new Browser(t.app);
  expect((await b.get(path)).status).toBe(200);
  const res = await b.post(path, {});
  expect(res.status).toBe(303);
  expect(b.cookie).toMatch(/^tc_contact=tcc_/);
  return b;
}

const page = (slug: string, id: string) => `/t/${slug}/documents/${id}`;

beforeAll(async () => {
  t = await startTestApp();
  await seedTwoTenants(t);
  ({ admin, content, viewer, otherAdmin } = await signInAll(t));
  docs.pub = await createDoc(content, 'Security overview', 'public');
  docs.contacts = await createDoc(content, 'Pen test summary', 'contacts');
  docs.nda = await createDoc(content, 'SOC 2 report', 'contacts_nda');
  docs.internal = await createDoc(content, 'Incident runbook', 'internal');
  docs.other = await createDoc(otherAdmin, 'Tenant B pen test', 'contacts');
  const form = new FormData();
  form.append('title', 'ISO certificate');
  form.append('accessLevel', 'contacts');
  form.append('file', new Blob(['%PDF-1.4\n%iso\n'], { type: 'application/pdf' }), 'iso.pdf');
  const res = await content.request('/api/documents', {
    method: 'POST',
    body: form,
  });
  docs.file = ((await res.json()) as { id: string }).id;
});
afterAll(async () => t?.close());

describe('anonymous visitor', () => {
  it('sees public and locked documents on the overview, never internal ones', async () => {
    const b = new Browser(t.app);
    const res = await b.get('/t/tenant-a');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/script-src/);
    expect(b.lastHtml).toMatch(/^<!doctype html>/);
    expect(b.lastHtml).not.toMatch(/<script/i);
    for (const title of ['Security overview', 'Pen test summary', 'SOC 2 report', 'ISO certificate'])
      expect(b.lastHtml).toContain(title);
    expect(b.lastHtml).not.toContain('Incident runbook');
    expect(b.lastHtml).not.toContain('Tenant B');
    expect(b.lastHtml).toContain('Request access');
  });

  it('reads public documents, is shown a request form for locked ones, and the file route redirects', async () => {
    const b = new Browser(t.app);
    expect((await b.get(page('tenant-a', docs.pub))).status).toBe(200);
    expect(b.lastHtml).toContain('Secret body of Security overview');
    for (const id of [docs.contacts, docs.nda, docs.file]) {
      expect((await b.get(page('tenant-a', id))).status).toBe(403);
      expect(b.lastHtml).toContain('This document is restricted');
      expect(b.lastHtml).not.toContain('Secret body');
    }
    const file = await b.get(`${page('tenant-a', docs.file)}/file`);
    expect(file.status).toBe(303);
    expect(file.headers.get('location')).toBe(page('tenant-a', docs.file));
  });

  it("gets the same 404 for an internal document, an unknown id, a malformed id and another tenant's id", async () => {
    const b = new Browser(t.app);
    const bodies: string[] = [];
    for (const path of [
      page('tenant-a', docs.internal),
      page('tenant-a', MISSING),
      page('tenant-a', 'not-a-uuid'),
      page('tenant-a', docs.other),
      `${page('tenant-a', docs.internal)}/file`,
    ]) {
      expect((await b.get(path)).status, path).toBe(404);
      bodies.push(b.lastHtml);
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).not.toContain('Incident runbook');
  });

  it("keeps links within this trust center and drops links into other tenants' trust centers", async () => {
    const links = [
      '[own](/t/tenant-a/documents/x)',
      '[home](/t/tenant-a)',
      '[other](/t/tenant-b/documents/y)',
      '[other home](/t/tenant-b)',
      '[dots](/t/tenant-a/../tenant-b/)',
      '[relative](../../tenant-b)',
      '[api](/api/users)',
      '[external](https://example.com/t/tenant-b)',
    ];
    const id = await createDoc(content, 'Linked pages', 'public', links.join('\n\n'));
    const b = new Browser(t.app);
    expect((await b.get(page('tenant-a', id))).status).toBe(200);
    expect(b.lastHtml).toContain('href="/t/tenant-a/documents/x"');
    expect(b.lastHtml).toContain('href="/t/tenant-a"');
    expect(b.lastHtml).toContain('href="https://example.com/t/tenant-b"');
    const hrefs = [...b.lastHtml.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.filter((h) => h?.includes('tenant-b'))).toEqual(['https://example.com/t/tenant-b']);
    expect(b.lastHtml).not.toContain('href="/api/users"');
    for (const text of ['other', 'other home', 'dots', 'relative']) expect(b.lastHtml).toContain(`>${text}</a>`);
  });

  it('shows a friendly 404 for an unknown trust center', async () => {
    const b = new Browser(t.app);
    expect((await b.get('/t/no-such-tenant')).status).toBe(404);
    expect(b.lastHtml).toContain('Trust center not found');
  });
});

describe('contacts and magic links', () => {
  let contactId: string;
  let contact: Browser;

  beforeAll(async () => {
    contactId = await createContact(content, 'pat@prospect.test');
    contact = await signInContact(await magicLink(admin, contactId));
  });

  it('a contact without a grant is still locked out', async () => {
    expect((await contact.get(page('tenant-a', docs.contacts))).status).toBe(403);
    expect(contact.lastHtml).toContain('Signed in as');
    expect(contact.lastHtml).toContain('pat@prospect.test');
  });

  it('a contact with a grant reads the document and downloads the file; views are audited', async () => {
    const detail = await grant(content, contactId, {
      documentIds: [docs.contacts, docs.file],
    });
    expect(detail.grants.map((g) => g.status)).toEqual(['active', 'active']);
    expect((await contact.get(page('tenant-a', docs.contacts))).status).toBe(200);
    expect(contact.lastHtml).toContain('Secret body of Pen test summary');
    const file = await contact.get(`${page('tenant-a', docs.file)}/file`);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain('%PDF-1.4');
    const activity = (await (await content.request(`/api/contacts/${contactId}/activity`)).json()) as {
      items: { action: string; documentId: string | null; actorType: string }[];
    };
    expect(activity.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['public.document.view', 'public.document.download', 'public.magic_link.open']),
    );
    expect(activity.items.every((a) => a.actorType === 'contact')).toBe(true);
    const perDoc = (await (await content.request(`/api/documents/${docs.contacts}/activity`)).json()) as {
      items: { actorId: string | null }[];
    };
    expect(perDoc.items[0]?.actorId).toBe(contactId);
  });

  it('anonymous views are counted per document and day, not written to the audit log one by one', async () => {
    const visitor = new Browser(t.app);
    await visitor.get(page('tenant-a', docs.pub));
    await visitor.get(page('tenant-a', docs.pub));
    const audit = (await (await admin.request(`/api/audit?targetId=${docs.pub}&actorType=visitor`)).json()) as {
      items: { action: string }[];
    };
    expect(audit.items.filter((a) => a.action === 'public.document.view')).toEqual([]);
    const activity = (await (await content.request(`/api/documents/${docs.pub}/activity`)).json()) as {
      daily: { day: string; views: number; uniqueVisitors: number }[];
    };
    expect(activity.daily).toHaveLength(1);
    expect(activity.daily[0]!.views).toBeGreaterThanOrEqual(2);
    expect(activity.daily[0]!.uniqueVisitors).toBe(1);
  });

  it('keeps NDA documents shut while no NDA is published, then asks for acceptance', async () => {
    await grant(content, contactId, { accessLevel: 'contacts_nda' });
    expect((await contact.get(page('tenant-a', docs.nda))).status).toBe(403);
    expect(contact.lastHtml).toContain('Not available yet');

    expect(
      (
        await admin.request('/api/nda', {
          method: 'PUT',
          json: {
            body: '# Mutual NDA\n\nKeep it secret. <script>alert(1)</script>',
          },
        })
      ).status,
    ).toBe(200);
    expect((await contact.get(page('tenant-a', docs.nda))).status).toBe(403);
    expect(contact.lastHtml).toContain('Non-disclosure agreement');
    expect(contact.lastHtml).toContain('Keep it secret.');
    expect(contact.lastHtml).not.toContain('<script>');
    expect(contact.lastHtml).not.toContain('Secret body of SOC 2 report');
  });

  it('refuses an NDA acceptance without the session CSRF token or without the tick', async () => {
    await contact.get(page('tenant-a', docs.nda));
    const version = /name="version" value="([^"]+)"/.exec(contact.lastHtml)![1]!;
    expect(
      (
        await contact.post('/t/tenant-a/nda', {
          csrf: 'csrf_wrong',
          version,
          next: docs.nda,
          agree: 'yes',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await contact.post('/t/tenant-a/nda', {
          csrf: contact.csrf(),
          version,
          next: docs.nda,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await contact.post(
          '/t/tenant-a/nda',
          { csrf: contact.csrf(), version, next: docs.nda, agree: 'yes' },
          { origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect((await contact.get(page('tenant-a', docs.nda))).status).toBe(403);
  });

  it('answers a non-ASCII CSRF token of the right length with 403, not an error', async () => {
    await contact.get('/t/tenant-a');
    const forged = 'é'.repeat(contact.csrf().length);
    const res = await contact.post('/t/tenant-a/sign-out', { csrf: forged });
    expect(res.status).toBe(403);
    await contact.get('/t/tenant-a');
    expect(contact.lastHtml).toContain('Signed in as');
  });

  it('opens NDA documents once the current version is accepted, and records who, when, IP and UA', async () => {
    await contact.get(page('tenant-a', docs.nda));
    const version = /name="version" value="([^"]+)"/.exec(contact.lastHtml)![1]!;
    const res = await contact.post(
      '/t/tenant-a/nda',
      { csrf: contact.csrf(), version, next: docs.nda, agree: 'yes' },
      { 'user-agent': 'GateTest/1.0' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(page('tenant-a', docs.nda));
    expect((await contact.get(page('tenant-a', docs.nda))).status).toBe(200);
    expect(contact.lastHtml).toContain('Secret body of SOC 2 report');
    const detail = (await (await content.request(`/api/contacts/${contactId}`)).json()) as ContactDetail;
    expect(detail.ndaAcceptedVersion).toBe(1);
    expect(detail.ndaAcceptances[0]).toMatchObject({
      version: 1,
      userAgent: 'GateTest/1.0',
    });
    expect(detail.ndaAcceptances[0]!.ip).not.toBeNull();
  });

  it('requires re-acceptance after the NDA version changes', async () => {
    const put = await admin.request('/api/nda', {
      method: 'PUT',
      json: { body: '# Mutual NDA v2\n\nStill secret.' },
    });
    expect(((await put.json()) as { current: { version: number } }).current.version).toBe(2);
    expect((await contact.get(page('tenant-a', docs.nda))).status).toBe(403);
    expect(contact.lastHtml).toContain('version 2');
    const stale = (await (await content.request('/api/nda')).json()) as {
      versions: { id: string; version: number }[];
    };
    const v1 = stale.versions.find((v) => v.version === 1)!.id;
    expect(
      (
        await contact.post('/t/tenant-a/nda', {
          csrf: contact.csrf(),
          version: v1,
          next: docs.nda,
          agree: 'yes',
        })
      ).status,
    ).toBe(400);
    const v2 = /name="version" value="([^"]+)"/.exec(contact.lastHtml)![1]!;
    expect(
      (
        await contact.post('/t/tenant-a/nda', {
          csrf: contact.csrf(),
          version: v2,
          next: docs.nda,
          agree: 'yes',
        })
      ).status,
    ).toBe(303);
    expect((await contact.get(page('tenant-a', docs.nda))).status).toBe(200);
  });

  it('an expired grant locks the document again', async () => {
    await withTenant(t.runtime.services.db, admin.tenantId, (trx) =>
      trx
        .updateTable('contact_grants')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('contact_id', '=', contactId)
        .where('document_id', '=', docs.contacts)
        .execute(),
    );
    expect((await contact.get(page('tenant-a', docs.contacts))).status).toBe(403);
    const detail = (await (await content.request(`/api/contacts/${contactId}`)).json()) as ContactDetail;
    expect(detail.grants.find((g) => g.documentId === docs.contacts)?.status).toBe('expired');
    // Granting again renews it.
    await grant(content, contactId, {
      documentIds: [docs.contacts],
      expiresAt: new Date(Date.now() + 86400_000).toISOString(),
    });
    expect((await contact.get(page('tenant-a', docs.contacts))).status).toBe(200);
  });

  it('a revoked grant locks the document again', async () => {
    const detail = (await (await content.request(`/api/contacts/${contactId}`)).json()) as ContactDetail;
    const g = detail.grants.find((x) => x.documentId === docs.file)!;
    const res = await content.request(`/api/contacts/${contactId}/grants/${g.id}`, { method: 'DELETE' });
    expect(((await res.json()) as ContactDetail).grants.find((x) => x.id === g.id)?.status).toBe('revoked');
    expect((await contact.get(`${page('tenant-a', docs.file)}/file`)).status).toBe(303);
    expect((await contact.get(page('tenant-a', docs.file))).status).toBe(403);
  });

  it('never grants internal or public documents', async () => {
    const res = await content.request(`/api/contacts/${contactId}/grants`, {
      method: 'POST',
      json: { documentIds: [docs.internal, docs.pub] },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_grantable');
    expect((await contact.get(page('tenant-a', docs.internal))).status).toBe(404);
  });

  it('magic links are single-use and expire', async () => {
    const path = await magicLink(admin, contactId);
    await signInContact(path);
    const again = new Browser(t.app);
    expect((await again.post(path, {})).status).toBe(410);
    expect((await again.get(path)).status).toBe(410);
    expect(again.cookie).toBe('');
    const outbox = (await (await admin.request('/api/outbox')).json()) as OutboxList;
    expect(outbox.items.some((m) => m.link !== null && m.link.endsWith(path))).toBe(false);

    const late = await magicLink(admin, contactId);
    await withTenant(t.runtime.services.db, admin.tenantId, (trx) =>
      trx
        .updateTable('magic_links')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('used_at', 'is', null)
        .execute(),
    );
    expect((await new Browser(t.app).post(late, {})).status).toBe(410);
  });

  it("another tenant's contact session and links do not work here", async () => {
    const bContact = await createContact(otherAdmin, 'pat@prospect.test');
    await grant(otherAdmin, bContact, { documentIds: [docs.other] });
    const bPath = await magicLink(otherAdmin, bContact);
    const bBrowser = await signInContact(bPath);
    expect((await bBrowser.get(page('tenant-b', docs.other))).status).toBe(200);
    // Same cookie presented on tenant A's site: unknown there, so anonymous.
    expect((await bBrowser.get(page('tenant-a', docs.contacts))).status).toBe(403);
    expect(bBrowser.lastHtml).not.toContain('Signed in as');
    // Tenant B's token under tenant A's address.
    const token = (await magicLink(otherAdmin, bContact)).split('/').pop()!;
    expect((await new Browser(t.app).post(`/t/tenant-a/access/${token}`, {})).status).toBe(410);
  });

  it('a returning contact with an active grant can ask for a new link; others get the same answer and nothing', async () => {
    const withGrant = await createContact(content, 'self@service.test');
    await grant(content, withGrant, { documentIds: [docs.contacts] });
    await createContact(content, 'nogrant@service.test');
    const outboxFor = async (email: string) =>
      ((await (await admin.request('/api/outbox?limit=100')).json()) as OutboxList).items.filter(
        (m) => m.toEmail === email,
      );
    const b = new Browser(t.app);
    for (const email of [
      'self@service.test',
      'SELF@service.test',
      'nogrant@service.test',
      'nobody@service.test',
      'not an email',
    ]) {
      const res = await b.post('/t/tenant-a/sign-in', { email });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/t/tenant-a?notice=link-sent');
    }
    const sent = await outboxFor('self@service.test');
    expect(sent).toHaveLength(1);
    expect(await outboxFor('nogrant@service.test')).toHaveLength(0);
    const self = await signInContact(new URL(sent[0]!.link!).pathname);
    expect((await self.get(page('tenant-a', docs.contacts))).status).toBe(200);
  });

  it('signing out ends the session', async () => {
    const b = await signInContact(await magicLink(admin, contactId));
    await b.get('/t/tenant-a');
    const res = await b.post('/t/tenant-a/sign-out', { csrf: b.csrf() });
    expect(res.status).toBe(303);
    expect((await b.get(page('tenant-a', docs.contacts))).status).toBe(403);
  });
});

describe('access requests', () => {
  const form = (doc: string, email: string, extra: Record<string, string> = {}) => ({
    doc,
    name: 'Riley Requester',
    email,
    company: 'Bigco',
    reason: 'Vendor review',
    ...extra,
  });
  const request = '/t/tenant-a/request';

  it('a visitor requests a locked document; the admin approves; the contact gets a working link', async () => {
    const b = new Browser(t.app);
    const res = await b.post(request, form(docs.contacts, 'riley@bigco.test'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/t/tenant-a/request?sent=received');
    // A repeat while pending is absorbed.
    expect((await b.post(request, form(docs.contacts, 'riley@bigco.test'))).status).toBe(303);
    const list = (await (await content.request('/api/access-requests?status=pending')).json()) as AccessRequestList;
    const mine = list.items.filter((r) => r.email === 'riley@bigco.test');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      documents: [{ documentId: docs.contacts, title: 'Pen test summary', status: 'pending' }],
      company: 'Bigco',
      reason: 'Vendor review',
    });

    const approved = await content.request(`/api/access-requests/${mine[0]!.id}/approve`, { method: 'POST', json: {} });
    expect(approved.status).toBe(200);
    const result = (await approved.json()) as ApproveAccessRequestResult;
    expect(result.request.status).toBe('approved');
    expect(result.contact.grants.map((g) => g.documentId)).toEqual([docs.contacts]);
    expect(result.message.toEmail).toBe('riley@bigco.test');
    // The content manager who approved never sees the sign-in link; it waits in the admin-only outbox.
    expect(result.message.link).toBeNull();
    expect(result.message.body).not.toContain('/access/');
    const outbox = (await (await admin.request('/api/outbox?limit=100')).json()) as OutboxList;
    const queued = outbox.items.find((m) => m.toEmail === 'riley@bigco.test');
    const riley = await signInContact(new URL(queued!.link!).pathname);
    expect((await riley.get(page('tenant-a', docs.contacts))).status).toBe(200);
    expect(
      (
        await content.request(`/api/access-requests/${mine[0]!.id}/approve`, {
          method: 'POST',
          json: {},
        })
      ).status,
    ).toBe(409);
  });

  it('rejects invalid forms, drops honeypot submissions and limits pending requests per email', async () => {
    const b = new Browser(t.app);
    const bad = await b.post(request, form(docs.contacts, 'not-an-email'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Please enter a valid email address.');
    expect((await b.post(request, form(docs.contacts, 'bot@spam.test', { website: 'http://spam' }))).status).toBe(303);
    for (const origin of ['https://evil.example', 'null']) {
      expect((await b.post(request, form(docs.contacts, 'csrf@spam.test'), { origin })).status).toBe(403);
    }
    const all = (await (await content.request('/api/access-requests')).json()) as AccessRequestList;
    expect(all.items.some((r) => r.email === 'bot@spam.test' || r.email === 'csrf@spam.test')).toBe(false);

    const extra = [await createDoc(content, 'Extra A', 'contacts'), await createDoc(content, 'Extra B', 'contacts')];
    for (const id of [docs.contacts, ...extra])
      expect((await b.post(request, form(id, 'many@bigco.test'))).status).toBe(303);
    expect((await b.post(request, form(docs.file, 'many@bigco.test'))).status).toBe(429);
    const reqs = (await (await content.request('/api/access-requests?status=pending')).json()) as AccessRequestList;
    const one = reqs.items.find((r) => r.email === 'many@bigco.test')!;
    const rejected = await content.request(`/api/access-requests/${one.id}/reject`, { method: 'POST' });
    expect(((await rejected.json()) as { status: string }).status).toBe('rejected');
  });

  it('cannot request internal or unknown documents', async () => {
    const b = new Browser(t.app);
    expect((await b.post(request, form(docs.internal, 'x@bigco.test'))).status).toBe(400);
    expect((await b.post(request, form(MISSING, 'x@bigco.test'))).status).toBe(400);
    expect(b.lastHtml).not.toContain('Incident runbook');
  });
});

describe('admin API roles and tenancy', () => {
  it('needs content_manager for contacts and requests, admin for the outbox and NDA changes', async () => {
    const cases: [Session, string, string, unknown, number][] = [
      [viewer, 'GET', '/api/contacts', undefined, 403],
      [viewer, 'POST', '/api/contacts', { email: 'v@x.test' }, 403],
      [viewer, 'GET', '/api/access-requests', undefined, 403],
      [viewer, 'GET', '/api/nda', undefined, 403],
      [content, 'PUT', '/api/nda', { body: 'x' }, 403],
      [content, 'GET', '/api/outbox', undefined, 403],
      [content, 'GET', '/api/contacts', undefined, 200],
      [admin, 'GET', '/api/outbox', undefined, 200],
      [viewer, 'GET', `/api/documents/${docs.pub}/preview`, undefined, 200],
      [viewer, 'GET', `/api/documents/${docs.pub}/activity`, undefined, 403],
    ];
    for (const [s, method, path, json, status] of cases) {
      expect((await s.request(path, { method, json })).status, `${method} ${path}`).toBe(status);
    }
    expect((await t.app.request('/api/contacts')).status).toBe(401);
  });

  it("returns 404 for another tenant's contacts, grants, requests and documents", async () => {
    const aContact = await createContact(content, 'cross@tenant.test');
    const detail = await grant(content, aContact, {
      documentIds: [docs.contacts],
    });
    const reqs = (await (await content.request('/api/access-requests')).json()) as AccessRequestList;
    const aRequest = reqs.items[0]!.id;
    const cases: [string, string, unknown][] = [
      ['GET', `/api/contacts/${aContact}`, undefined],
      ['PATCH', `/api/contacts/${aContact}`, { name: 'x' }],
      ['DELETE', `/api/contacts/${aContact}`, undefined],
      ['POST', `/api/contacts/${aContact}/grants`, { documentIds: [docs.other] }],
      ['DELETE', `/api/contacts/${aContact}/grants/${detail.grants[0]!.id}`, undefined],
      ['POST', `/api/contacts/${aContact}/magic-link`, undefined],
      ['GET', `/api/contacts/${aContact}/activity`, undefined],
      ['POST', `/api/access-requests/${aRequest}/approve`, {}],
      ['POST', `/api/access-requests/${aRequest}/reject`, undefined],
      ['GET', `/api/documents/${docs.pub}/preview`, undefined],
      ['GET', `/api/documents/${docs.pub}/activity`, undefined],
    ];
    for (const [method, path, json] of cases) {
      expect((await otherAdmin.request(path, { method, json })).status, `${method} ${path}`).toBe(404);
    }
    // Tenant B cannot grant tenant A's documents to its own contacts either.
    const bContact = await createContact(otherAdmin, 'b-only@tenant.test');
    expect(
      (
        await otherAdmin.request(`/api/contacts/${bContact}/grants`, {
          method: 'POST',
          json: { documentIds: [docs.contacts] },
        })
      ).status,
    ).toBe(400);
    const outbox = (await (await otherAdmin.request('/api/outbox')).json()) as OutboxList;
    expect(outbox.items.every((m) => m.toEmail !== 'riley@bigco.test')).toBe(true);
  });

  it('previews Markdown as sanitized HTML', async () => {
    const id = await createDoc(
      content,
      'XSS probe',
      'internal',
      '# Hi\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))',
    );
    const { html } = (await (await viewer.request(`/api/documents/${id}/preview`)).json()) as { html: string };
    expect(html).toContain('<h1>Hi</h1>');
    expect(html).not.toMatch(/<img|href="javascript/);
  });
});
