import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Session } from '../support/test-app.ts';
import { seedTwoTenants, signInAll, startTestApp, type TestApp } from '../support/test-app.ts';
import type {
  AccessRequest,
  AccessRequestList,
  ApproveAccessRequestResult,
  AutoApproveRule,
  OutboxList,
} from '../../src/contracts/trust-center.ts';
import { MAX_DOCUMENTS_PER_REQUEST } from '../../src/contracts/trust-center.ts';

/**
 * One request for many documents, end to end through the public forms and the admin API: the NDA signed in
 * the request step with its PDF certificate, one approval with a declined document, one magic link, auto-approve
 * rules, "sign in to view" for a returning contact, keyset paging, validation and tenancy.
 */
let t: TestApp;
let admin: Session;
let content: Session;
let otherAdmin: Session;
const docs: Record<'pub' | 'a' | 'b' | 'nda' | 'internal' | 'other', string> = {
  pub: '',
  a: '',
  b: '',
  nda: '',
  internal: '',
  other: '',
};
const MISSING = '00000000-0000-4000-8000-000000000000';
const NDA_TEXT = '# Mutual NDA\n\nKeep what you read here confidential.';

/** A browser on the public site: keeps its cookies (contact session and visitor pass). */
class Browser {
  cookies = new Map<string, string>();
  lastHtml = '';
  constructor(private readonly t: TestApp) {}
  private header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string): Promise<Response> {
    const res = await this.t.app.request(path, { headers: { cookie: this.header() } });
    this.remember(res);
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = await res.clone().text();
    return res;
  }
  async post(path: string, fields: [string, string][]): Promise<Response> {
    const res = await this.t.app.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.header(),
        'user-agent': 'Vitest Browser/1.0',
      },
    });
    this.remember(res);
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = await res.clone().text();
    return res;
  }
  private remember(res: Response) {
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }
}

async function createDoc(s: Session, title: string, accessLevel: string) {
  const res = await s.request('/api/documents', {
    method: 'POST',
    json: { title, markdown: `# ${title}\n\nSecret body of ${title}.`, accessLevel },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function currentNdaId(): Promise<string> {
  return ((await (await admin.request('/api/nda')).json()) as { current: { id: string } }).current.id;
}

const who = (email: string, name = 'Dana Buyer'): [string, string][] => [
  ['name', name],
  ['email', email],
  ['company', 'Bigbank'],
  ['reason', 'Vendor review'],
];
const chosen = (...ids: string[]): [string, string][] => ids.map((id) => ['doc', id]);

async function pendingFor(email: string): Promise<AccessRequest> {
  const list = (await (
    await content.request('/api/access-requests?status=pending&limit=100')
  ).json()) as AccessRequestList;
  const found = list.items.find((r) => r.email === email);
  expect(found, `pending request of ${email}`).toBeDefined();
  return found!;
}

async function outboxFor(email: string) {
  return ((await (await admin.request('/api/outbox?limit=100')).json()) as OutboxList).items.filter(
    (m) => m.toEmail === email,
  );
}

async function pdfText(bytes: ArrayBuffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
  const page = await pdf.getPage(1);
  const content = await page.getTextContent();
  return content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
}

beforeAll(async () => {
  t = await startTestApp();
  await seedTwoTenants(t);
  ({ admin, content, otherAdmin } = await signInAll(t));
  docs.pub = await createDoc(content, 'Security overview', 'public');
  docs.a = await createDoc(content, 'Pen test summary', 'contacts');
  docs.b = await createDoc(content, 'Architecture diagram', 'contacts');
  docs.nda = await createDoc(content, 'SOC 2 report', 'contacts_nda');
  docs.internal = await createDoc(content, 'Incident runbook', 'internal');
  docs.other = await createDoc(otherAdmin, 'Tenant B pen test', 'contacts');
  expect((await admin.request('/api/nda', { method: 'PUT', json: { body: NDA_TEXT } })).status).toBe(200);
});
afterAll(async () => t?.close());

describe('one request for many documents', () => {
  it('asks for three documents once, signs the NDA there, is approved once and opens all three with one link', async () => {
    const b = new Browser(t);
    expect((await b.get(`/t/tenant-a/request?doc=${docs.a}&doc=${docs.nda}`)).status).toBe(200);
    expect(b.lastHtml).toContain('Mutual NDA');
    expect(b.lastHtml).not.toMatch(/<script/i);
    const ndaVersion = await currentNdaId();
    const sent = await b.post('/t/tenant-a/request', [
      ...chosen(docs.a, docs.b, docs.nda),
      ...who('dana@bigbank.test', 'Dana Ünal-Łukasiewicz 王'),
      ['nda_version', ndaVersion],
      ['signature', 'Dana Ünal-Łukasiewicz 王'],
      ['agree', 'yes'],
    ]);
    expect(sent.status).toBe(303);
    expect(b.cookies.get('tc_pass')).toMatch(/^tcp_/);

    const request = await pendingFor('dana@bigbank.test');
    expect(request.documents.map((d) => d.documentId).sort()).toEqual([docs.a, docs.b, docs.nda].sort());
    expect(request.ndaAcceptance).toMatchObject({ version: 1, signatureName: 'Dana Ünal-Łukasiewicz 王' });

    // Approved once by a content manager, with one document deselected (declined).
    const res = await content.request(`/api/access-requests/${request.id}/approve`, {
      method: 'POST',
      json: { documentIds: [docs.a, docs.nda] },
    });
    expect(res.status).toBe(200);
    const approved = (await res.json()) as ApproveAccessRequestResult;
    expect(approved.request.status).toBe('approved');
    expect(Object.fromEntries(approved.request.documents.map((d) => [d.documentId, d.status]))).toEqual({
      [docs.a]: 'approved',
      [docs.b]: 'rejected',
      [docs.nda]: 'approved',
    });
    expect(approved.contact.grants.map((g) => g.documentId).sort()).toEqual([docs.a, docs.nda].sort());
    // The NDA signed with the request now belongs to the contact.
    expect(approved.contact.ndaAcceptances).toHaveLength(1);
    expect(approved.contact.ndaAcceptances[0]).toMatchObject({ version: 1, hasCertificate: true });

    const mails = await outboxFor('dana@bigbank.test');
    expect(mails).toHaveLength(1);
    const link = new URL(mails[0]!.link!).pathname;
    expect((await b.get(link)).status).toBe(200);
    expect((await b.post(link, [])).status).toBe(303);
    // Both granted documents open at once: the NDA was signed already, it is not asked again.
    for (const id of [docs.a, docs.nda]) {
      expect((await b.get(`/t/tenant-a/documents/${id}`)).status, id).toBe(200);
      expect(b.lastHtml).toContain('Secret body');
    }
    expect((await b.get(`/t/tenant-a/documents/${docs.b}`)).status).toBe(403);

    // Admins download the certificate (audited); content managers may not.
    const acceptance = approved.contact.ndaAcceptances[0]!;
    const certPath = `/api/contacts/${approved.contact.id}/nda-acceptances/${acceptance.id}/certificate`;
    expect((await content.request(certPath)).status).toBe(403);
    const cert = await admin.request(certPath);
    expect(cert.status).toBe(200);
    expect(cert.headers.get('content-type')).toBe('application/pdf');
    const text = await pdfText(await cert.arrayBuffer());
    // Characters the standard font cannot encode are replaced, not fatal.
    expect(text).toContain('Dana Ünal-Lukasiewicz ?');
    expect(text).toContain('dana@bigbank.test');
    expect(text).toContain('NDA version');
    expect(text).toContain(request.id);
    const audit = (await (await admin.request('/api/audit?action=contact.nda_certificate')).json()) as {
      items: { targetId: string }[];
    };
    expect(audit.items.map((a) => a.targetId)).toContain(approved.contact.id);
    // Another tenant's admin cannot reach it.
    expect((await otherAdmin.request(certPath)).status).toBe(404);
  });

  it('refuses requests it cannot take: too many, internal, public, unknown or other tenants’ documents, no signature', async () => {
    const b = new Browser(t);
    const tooMany = Array.from(
      { length: MAX_DOCUMENTS_PER_REQUEST + 1 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    const cases: [string, [string, string][], RegExp][] = [
      ['too many', chosen(...tooMany), /at most 25 documents/],
      ['internal', chosen(docs.a, docs.internal), /do not exist here/],
      ['unknown', chosen(MISSING), /do not exist here/],
      ['malformed', chosen('not-a-uuid'), /do not exist here/],
      ['other tenant', chosen(docs.other), /do not exist here/],
      ['public', chosen(docs.pub), /without a request/],
      ['none', [], /Choose at least one document/],
      ['no signature', chosen(docs.nda), /full name/],
    ];
    for (const [label, fields, message] of cases) {
      const res = await b.post('/t/tenant-a/request', [...fields, ...who('bad@bigbank.test')]);
      expect(res.status, label).toBe(400);
      expect(b.lastHtml, label).toMatch(message);
    }
    const stale = await b.post('/t/tenant-a/request', [
      ...chosen(docs.nda),
      ...who('bad@bigbank.test'),
      ['nda_version', MISSING],
      ['signature', 'Bad Actor'],
      ['agree', 'yes'],
    ]);
    expect(stale.status).toBe(409);
    const all = (await (await content.request('/api/access-requests?limit=100')).json()) as AccessRequestList;
    expect(all.items.some((r) => r.email === 'bad@bigbank.test')).toBe(false);
  });

  it('approves requests from an auto-approve domain at once; a contacts-only rule leaves NDA documents waiting', async () => {
    const add = async (domain: string, scope: string) =>
      admin.request('/api/auto-approve-rules', { method: 'POST', json: { domain, scope } });
    expect((await add('Customer.test', 'all')).status).toBe(201);
    expect((await add('customer.test', 'all')).status).toBe(409);
    expect((await add('not a domain', 'all')).status).toBe(400);
    expect(
      (await content.request('/api/auto-approve-rules', { method: 'POST', json: { domain: 'x.test' } })).status,
    ).toBe(403);
    const partial = (await (await add('partner.test', 'contacts')).json()) as AutoApproveRule;

    const b = new Browser(t);
    const sent = await b.post('/t/tenant-a/request', [...chosen(docs.a, docs.b), ...who('sam@customer.test')]);
    expect(sent.status).toBe(303);
    const mails = await outboxFor('sam@customer.test');
    expect(mails).toHaveLength(1);
    const link = new URL(mails[0]!.link!).pathname;
    await b.get(link);
    await b.post(link, []);
    for (const id of [docs.a, docs.b]) expect((await b.get(`/t/tenant-a/documents/${id}`)).status).toBe(200);

    const p = new Browser(t);
    await p.post('/t/tenant-a/request', [
      ...chosen(docs.a, docs.nda),
      ...who('pat@partner.test'),
      ['nda_version', await currentNdaId()],
      ['signature', 'Pat Partner'],
      ['agree', 'yes'],
    ]);
    const waiting = await pendingFor('pat@partner.test');
    expect(Object.fromEntries(waiting.documents.map((d) => [d.documentId, d.status]))).toEqual({
      [docs.a]: 'approved',
      [docs.nda]: 'pending',
    });
    expect(await outboxFor('pat@partner.test')).toHaveLength(1);

    expect((await admin.request(`/api/auto-approve-rules/${partial.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await otherAdmin.request('/api/auto-approve-rules')).status).toBe(200);
    expect(
      ((await (await otherAdmin.request('/api/auto-approve-rules')).json()) as { items: unknown[] }).items,
    ).toEqual([]);
    const audit = (await (await admin.request('/api/audit?action=access_request.auto_approve')).json()) as {
      items: unknown[];
    };
    expect(audit.items.length).toBeGreaterThanOrEqual(3);
  });

  it('shows "sign in to view" to an approved contact who is signed out, and a request form to anyone else', async () => {
    const b = new Browser(t);
    await b.post('/t/tenant-a/request', [...chosen(docs.b), ...who('lee@bigbank.test')]);
    expect((await b.get(`/t/tenant-a/documents/${docs.b}`)).status).toBe(403);
    expect(b.lastHtml).not.toContain('Sign in to view');
    const request = await pendingFor('lee@bigbank.test');
    expect(
      (await content.request(`/api/access-requests/${request.id}/approve`, { method: 'POST', json: {} })).status,
    ).toBe(200);
    // Never signed in here, but the request from this browser was approved.
    expect((await b.get(`/t/tenant-a/documents/${docs.b}`)).status).toBe(403);
    expect(b.lastHtml).toContain('Sign in to view');
    expect(b.lastHtml).toContain('Email me a link');
    expect(b.lastHtml).not.toContain('Request access</button>');
    // A stranger typing the same email learns nothing.
    const stranger = new Browser(t);
    await stranger.post('/t/tenant-a/request', [...chosen(docs.b), ...who('lee@bigbank.test')]);
    await stranger.get(`/t/tenant-a/documents/${docs.b}`);
    expect(stranger.lastHtml).not.toContain('Sign in to view');

    // Signed in and out again: still offered sign-in.
    const link = new URL((await outboxFor('lee@bigbank.test'))[0]!.link!).pathname;
    const c = new Browser(t);
    await c.get(link);
    await c.post(link, []);
    await c.get('/t/tenant-a');
    const csrf = /name="csrf" value="([^"]+)"/.exec(c.lastHtml)?.[1] ?? '';
    expect((await c.post('/t/tenant-a/sign-out', [['csrf', csrf]])).status).toBe(303);
    expect((await c.get(`/t/tenant-a/documents/${docs.b}`)).status).toBe(403);
    expect(c.lastHtml).toContain('Sign in to view');
  });
});

describe('admin lists page by cursor', () => {
  it('walks requests and the outbox page by page without repeats, and rejects a forged cursor', async () => {
    for (let i = 0; i < 3; i++) {
      const b = new Browser(t);
      await b.post('/t/tenant-a/request', [...chosen(docs.a), ...who(`page${i}@paging.test`)]);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (
        await content.request(`/api/access-requests?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as AccessRequestList;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = (await (await content.request('/api/access-requests?limit=100')).json()) as AccessRequestList;
    expect(seen).toEqual(all.items.map((r) => r.id));

    const outbox = (await (await admin.request('/api/outbox?limit=1')).json()) as OutboxList;
    expect(outbox.nextCursor).not.toBeNull();
    const next = (await (await admin.request(`/api/outbox?limit=1&cursor=${outbox.nextCursor}`)).json()) as OutboxList;
    expect(next.items[0]?.id).not.toBe(outbox.items[0]?.id);
    for (const path of ['/api/access-requests?cursor=forged', '/api/outbox?cursor=Zm9yZ2Vk'])
      expect((await admin.request(path)).status, path).toBe(400);
  });

  it('keeps requests, rules and certificates to their tenant', async () => {
    const mine = (await (await content.request('/api/access-requests?limit=1')).json()) as AccessRequestList;
    const id = mine.items[0]!.id;
    expect((await otherAdmin.request(`/api/access-requests/${id}/approve`, { method: 'POST', json: {} })).status).toBe(
      404,
    );
    expect((await otherAdmin.request(`/api/access-requests/${id}/reject`, { method: 'POST' })).status).toBe(404);
    const theirs = (await (await otherAdmin.request('/api/access-requests?limit=100')).json()) as AccessRequestList;
    expect(theirs.items).toEqual([]);
    const rules = (await (await admin.request('/api/auto-approve-rules')).json()) as { items: AutoApproveRule[] };
    expect(
      (await otherAdmin.request(`/api/auto-approve-rules/${rules.items[0]!.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
  });
});
