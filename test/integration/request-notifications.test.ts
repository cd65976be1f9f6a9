import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/test-app.ts';
import { seedTwoTenants, signInAll, startTestApp, type TestApp } from '../support/test-app.ts';
import type { OutboxList } from '../../src/contracts/trust-center.ts';
import type { NotificationSettings, PendingRequestCount } from '../../src/contracts/notifications.ts';
import { requestDigestJob, requestNoticesJob } from '../../src/trust-center/request-notifications.ts';

const PUBLIC_URL = 'https://trust.example.test';
let t: TestApp;
let admin: Session;
let content: Session;
let viewer: Session;
let otherAdmin: Session;
let docA = '';
let docB = '';

async function createDoc(s: Session, title: string): Promise<string> {
  const res = await s.request('/api/documents', {
    method: 'POST',
    json: { title, markdown: `# ${title}`, accessLevel: 'contacts' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function choose(s: Session, accessRequests: string): Promise<Response> {
  return s.request('/api/notification-settings', { method: 'PUT', json: { accessRequests } });
}

/** A visitor files the request form on the public site, from its own address. */
async function requestAccess(slug: string, docId: string, email: string, ip: string): Promise<void> {
  const res = await t.app.request(`/t/${slug}/request`, {
    method: 'POST',
    body: new URLSearchParams({
      doc: docId,
      name: 'Riley Buyer',
      email,
      company: 'BigCo',
      reason: 'Vendor review',
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
  });
  expect(res.status).toBe(303);
}

const outbox = async (s: Session) => ((await (await s.request('/api/outbox?limit=100')).json()) as OutboxList).items;
const runJob = (job: typeof requestNoticesJob) => job.handle({}, t.runtime.services, { jobId: 'test' });

beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL });
  await seedTwoTenants(t);
  ({ admin, content, viewer, otherAdmin } = await signInAll(t));
  docA = await createDoc(content, 'SOC 2 report');
  docB = await createDoc(otherAdmin, 'Tenant B pen test');
});
afterAll(async () => t?.close());

describe('notification settings', () => {
  it('start off, are per user, and are refused to viewers', async () => {
    const mine = (await (await admin.request('/api/notification-settings')).json()) as NotificationSettings;
    expect(mine).toEqual({ email: 'admin@a.test', accessRequests: 'off' });
    expect((await choose(admin, 'instant')).status).toBe(200);
    expect((await choose(content, 'daily')).status).toBe(200);
    expect((await choose(otherAdmin, 'instant')).status).toBe(200);
    expect((await choose(viewer, 'instant')).status).toBe(403);
    expect((await choose(admin, 'sometimes')).status).toBe(400);
    const after = (await (await admin.request('/api/notification-settings')).json()) as NotificationSettings;
    expect(after.accessRequests).toBe('instant');
    const theirs = (await (await content.request('/api/notification-settings')).json()) as NotificationSettings;
    expect(theirs.accessRequests).toBe('daily');
  });
});

describe('a new access request', () => {
  it('is counted for the admin menu and mails every "instant" user of that tenant once, and nobody else', async () => {
    await requestAccess('tenant-a', docA, 'riley@bigco.test', '203.0.113.7');
    const count = (await (await content.request('/api/access-requests/pending-count')).json()) as PendingRequestCount;
    expect(count.pending).toBe(1);
    expect((await viewer.request('/api/access-requests/pending-count')).status).toBe(403);
    const otherCount = (await (
      await otherAdmin.request('/api/access-requests/pending-count')
    ).json()) as PendingRequestCount;
    expect(otherCount.pending).toBe(0);

    await runJob(requestNoticesJob);
    const mails = (await outbox(admin)).filter((m) => m.subject.startsWith('Access request'));
    expect(mails.map((m) => m.toEmail)).toEqual(['admin@a.test']);
    expect(mails[0]!.subject).toBe('Access request: SOC 2 report');
    expect(mails[0]!.body).toContain('Riley Buyer <riley@bigco.test>, BigCo');
    expect(mails[0]!.body).toContain('Reason: Vendor review');
    expect(mails[0]!.body).toContain(`${PUBLIC_URL}/admin/access-requests`);
    // Tenant B's opted-in admin hears nothing about tenant A's request.
    expect((await outbox(otherAdmin)).filter((m) => m.subject.startsWith('Access request'))).toHaveLength(0);

    // Announced once: the next pass finds nothing new.
    await runJob(requestNoticesJob);
    expect((await outbox(admin)).filter((m) => m.subject.startsWith('Access request'))).toHaveLength(1);
  });

  it('in another tenant mails only that tenant, and an opted-out user gets nothing', async () => {
    expect((await choose(admin, 'off')).status).toBe(200);
    await requestAccess('tenant-b', docB, 'sam@buyer.test', '203.0.113.8');
    await requestAccess('tenant-a', docA, 'sam@buyer.test', '203.0.113.8');
    await runJob(requestNoticesJob);
    const b = (await outbox(otherAdmin)).filter((m) => m.subject.startsWith('Access request'));
    expect(b.map((m) => [m.toEmail, m.subject])).toEqual([['admin@b.test', 'Access request: Tenant B pen test']]);
    expect((await outbox(admin)).filter((m) => m.subject.startsWith('Access request'))).toHaveLength(1);
    expect((await choose(admin, 'instant')).status).toBe(200);
  });
});

describe('the daily digest', () => {
  it('sends one mail per "daily" user listing the pending requests', async () => {
    await runJob(requestDigestJob);
    const digests = (await outbox(admin)).filter((m) => m.subject.includes('waiting'));
    expect(digests.map((m) => m.toEmail)).toEqual(['content_manager@a.test']);
    expect(digests[0]!.subject).toBe('2 access requests waiting on the Tenant A trust center');
    expect(digests[0]!.body).toContain('SOC 2 report: Riley Buyer <riley@bigco.test>, BigCo');
    expect(digests[0]!.body).toContain('SOC 2 report: Riley Buyer <sam@buyer.test>, BigCo');
    expect(digests[0]!.body).toContain(`${PUBLIC_URL}/admin/access-requests`);
    // Tenant B has nobody on the digest.
    expect((await outbox(otherAdmin)).filter((m) => m.subject.includes('waiting'))).toHaveLength(0);
  });
});
