import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTwoTenants, signInAll, startTestApp, type Session, type TestApp } from '../support/test-app.ts';
import type { OverviewItem, OverviewSections } from '../../src/contracts/overview-sections.ts';

/**
 * The overview sections (certifications, subprocessors, FAQ, security updates): edited by content managers
 * through the API, live on the public overview at once (the page cache follows), tenant-isolated, and a
 * certification's report stays behind its document's access level.
 */
let t: TestApp;
let admin: Session;
let content: Session;
let viewer: Session;
let otherAdmin: Session;
let reportId: string;

async function json<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
}

async function createDoc(s: Session, title: string, accessLevel: string) {
  const res = await s.request('/api/documents', {
    method: 'POST',
    json: { title, markdown: `# ${title}\n\nBody of ${title}.`, accessLevel },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const addItem = (s: Session, body: Record<string, unknown>) =>
  s.request('/api/overview-sections/items', { method: 'POST', json: body });
const sections = async (s: Session) => json<OverviewSections>(await s.request('/api/overview-sections'));
const itemsOf = (o: OverviewSections, kind: string) => o.sections.find((s) => s.kind === kind)!.items;
const overviewHtml = async (path = '/t/tenant-a') => {
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  return { html: await res.text(), res };
};

beforeAll(async () => {
  t = await startTestApp();
  await seedTwoTenants(t);
  ({ admin, content, viewer, otherAdmin } = await signInAll(t));
  reportId = await createDoc(content, 'SOC 2 Type II report', 'contacts_nda');
});
afterAll(async () => t?.close());

describe('overview sections', () => {
  it('start empty: every kind in the default order, shown, and nothing on the public page', async () => {
    const empty = await sections(viewer);
    expect(empty.sections.map((s) => [s.kind, s.visible, s.items.length])).toEqual([
      ['certifications', true, 0],
      ['subprocessors', true, 0],
      ['faq', true, 0],
      ['updates', true, 0],
    ]);
    const { html } = await overviewHtml();
    expect(html).not.toContain('Certifications and frameworks');
    expect(html).toContain('Last updated');
  });

  it('lets content managers add, edit and remove entries of each kind, refusing bad input with 400', async () => {
    const cert = await json<OverviewItem>(
      await addItem(content, {
        kind: 'certifications',
        name: 'SOC 2 Type II',
        status: 'compliant',
        period: 'Nov 2025 – Oct 2026',
        documentId: reportId,
      }),
      201,
    );
    expect(cert).toMatchObject({
      kind: 'certifications',
      documentId: reportId,
      document: { id: reportId, title: 'SOC 2 Type II report', accessLevel: 'contacts_nda' },
    });
    await json(await addItem(content, { kind: 'certifications', name: 'ISO 27001', status: 'in_progress' }), 201);
    const sub = await json<OverviewItem>(
      await addItem(content, {
        kind: 'subprocessors',
        name: 'Amazon Web Services',
        purpose: 'Hosting',
        location: 'EU (Frankfurt)',
        website: 'https://aws.amazon.com',
      }),
      201,
    );
    await json(
      await addItem(content, {
        kind: 'faq',
        question: 'Do you encrypt data at rest?',
        answer: 'Yes, with **AES-256**. <script>alert(1)</script>',
      }),
      201,
    );
    await json(
      await addItem(content, { kind: 'faq', question: 'Where is data stored?', answer: 'In the EU only.' }),
      201,
    );
    await json(
      await addItem(content, {
        kind: 'updates',
        title: 'Response to the OpenSSL advisory',
        date: '2026-11-02',
        body: 'Not affected.',
      }),
      201,
    );

    // Validation: unknown kind, missing fields, bad values, unknown keys, a document of another tenant.
    const otherDoc = await createDoc(otherAdmin, 'Tenant B report', 'public');
    for (const body of [
      { kind: 'badges', name: 'x' },
      { kind: 'certifications', status: 'compliant' },
      { kind: 'certifications', name: 'X', status: 'done' },
      { kind: 'subprocessors', name: 'X', website: 'javascript:alert(1)' },
      { kind: 'faq', question: 'Q?', answer: '' },
      { kind: 'updates', title: 'T', date: '2026-13-45' },
      { kind: 'faq', question: 'Q?', answer: 'A', extra: 1 },
    ]) {
      const res = await addItem(content, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await addItem(content, { kind: 'certifications', name: 'X', status: 'compliant', documentId: otherDoc })).status,
    ).toBe(404);

    const edited = await json<OverviewItem>(
      await content.request(`/api/overview-sections/items/${sub.id}`, {
        method: 'PUT',
        json: { kind: 'subprocessors', name: 'AWS', purpose: 'Hosting and backups', location: 'EU', website: '' },
      }),
    );
    expect(edited).toMatchObject({ name: 'AWS', purpose: 'Hosting and backups', website: '' });
    // The kind of an entry stays.
    const wrongKind = await content.request(`/api/overview-sections/items/${sub.id}`, {
      method: 'PUT',
      json: { kind: 'faq', question: 'Q?', answer: 'A' },
    });
    expect(wrongKind.status).toBe(400);

    const extra = await json<OverviewItem>(
      await addItem(content, { kind: 'subprocessors', name: 'Temporary vendor' }),
      201,
    );
    expect((await content.request(`/api/overview-sections/items/${extra.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await content.request(`/api/overview-sections/items/${extra.id}`, { method: 'DELETE' })).status).toBe(404);

    const all = await sections(viewer);
    expect(itemsOf(all, 'certifications').map((i) => i.kind === 'certifications' && i.name)).toEqual([
      'SOC 2 Type II',
      'ISO 27001',
    ]);
    expect(itemsOf(all, 'subprocessors')).toHaveLength(1);
    expect(itemsOf(all, 'faq')).toHaveLength(2);
    expect(itemsOf(all, 'updates')).toHaveLength(1);

    // Every change is in the audit log.
    const audit = await json<{ items: { action: string }[] }>(await admin.request('/api/audit?limit=100'));
    const actions = audit.items.map((e) => e.action);
    for (const action of ['overview_item.created', 'overview_item.edited', 'overview_item.removed'])
      expect(actions).toContain(action);
  });

  it('declares every endpoint with its role, so the role matrix covers them', async () => {
    const doc = (await (await t.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-required-role': string }>>;
    };
    const roles = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/overview-sections'))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${path} ${op['x-required-role']}`),
      )
      .sort();
    expect(roles).toEqual([
      'DELETE /api/overview-sections/items/{id} content_manager',
      'GET /api/overview-sections viewer',
      'POST /api/overview-sections/items content_manager',
      'PUT /api/overview-sections/items/{id} content_manager',
      'PUT /api/overview-sections/layout content_manager',
      'PUT /api/overview-sections/{kind}/order content_manager',
    ]);
  });

  it('keeps viewers to reading', async () => {
    expect((await addItem(viewer, { kind: 'faq', question: 'Q?', answer: 'A' })).status).toBe(403);
    const layout = await viewer.request('/api/overview-sections/layout', { method: 'PUT', json: { sections: [] } });
    expect(layout.status).toBe(403);
  });

  it('reorders entries and sections, and hides a section', async () => {
    const before = itemsOf(await sections(content), 'certifications').map((i) => i.id);
    const reordered = await json<OverviewSections>(
      await content.request('/api/overview-sections/certifications/order', {
        method: 'PUT',
        json: { ids: [...before].reverse() },
      }),
    );
    expect(itemsOf(reordered, 'certifications').map((i) => i.id)).toEqual([...before].reverse());
    // A list that misses or repeats an entry is refused; updates are ordered by date, not by hand.
    for (const ids of [[before[0]], [before[0], before[0]]]) {
      const res = await content.request('/api/overview-sections/certifications/order', {
        method: 'PUT',
        json: { ids },
      });
      expect(res.status).toBe(400);
    }
    expect(
      (await content.request('/api/overview-sections/updates/order', { method: 'PUT', json: { ids: [] } })).status,
    ).toBe(400);

    const arranged = await json<OverviewSections>(
      await content.request('/api/overview-sections/layout', {
        method: 'PUT',
        json: {
          sections: [
            { kind: 'faq', visible: true },
            { kind: 'certifications', visible: true },
            { kind: 'updates', visible: false },
            { kind: 'subprocessors', visible: true },
          ],
        },
      }),
    );
    expect(arranged.sections.map((s) => s.kind)).toEqual(['faq', 'certifications', 'updates', 'subprocessors']);
    const missing = await content.request('/api/overview-sections/layout', {
      method: 'PUT',
      json: { sections: [{ kind: 'faq', visible: true }] },
    });
    expect(missing.status).toBe(400);

    const { html } = await overviewHtml();
    const at = (text: string) => html.indexOf(text);
    expect(at('Security FAQ')).toBeGreaterThan(0);
    expect(at('Security FAQ')).toBeLessThan(at('Certifications and frameworks'));
    expect(at('Certifications and frameworks')).toBeLessThan(at('Subprocessors'));
    expect(html).not.toContain('Response to the OpenSSL advisory');

    await json(
      await content.request('/api/overview-sections/layout', {
        method: 'PUT',
        json: {
          sections: ['certifications', 'subprocessors', 'faq', 'updates'].map((kind) => ({ kind, visible: true })),
        },
      }),
    );
  });

  it('shows each section on the public overview, sanitized, with the certification report still gated', async () => {
    const { html, res } = await overviewHtml();
    expect(html).toContain('SOC 2 Type II');
    expect(html).toContain('Compliant');
    expect(html).toContain('In progress');
    expect(html).toContain('Nov 2025 – Oct 2026');
    expect(html).toContain('AWS');
    expect(html).toContain('Hosting and backups');
    expect(html).toContain('Do you encrypt data at rest?');
    expect(html).toContain('<strong>AES-256</strong>');
    expect(html).not.toContain('<script');
    expect(html).toContain('Response to the OpenSSL advisory');
    expect(html).toContain('Nov 2, 2026');
    expect(html).toMatch(/Last updated <time datetime="[^"]+">[A-Z][a-z]{2} \d{1,2}, \d{4}<\/time>/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    // The report is offered as a request, never as a link to its content.
    expect(html).toContain(`/t/tenant-a/documents/${reportId}#request`);
    expect(html).toContain('aria-label="Request access to SOC 2 Type II report"');
    const report = await t.app.request(`/t/tenant-a/documents/${reportId}`);
    expect(report.status).toBe(403);
    expect(await report.text()).not.toContain('Body of SOC 2 Type II report');
    const file = await t.app.request(`/t/tenant-a/documents/${reportId}/file`);
    expect(file.status).toBe(303);
  });

  it('searches the FAQ with a plain GET form', async () => {
    const { html } = await overviewHtml('/t/tenant-a');
    expect(html).toMatch(/<form[^>]*method="get"[^>]*action="\/t\/tenant-a#faq"/);
    const hit = await overviewHtml('/t/tenant-a?q=encrypt+REST');
    expect(hit.html).toContain('Do you encrypt data at rest?');
    expect(hit.html).not.toContain('Where is data stored?');
    expect(hit.html).toContain('1 question matches');
    expect(hit.res.headers.get('cache-control')).toBe('private, no-store');
    const miss = await overviewHtml('/t/tenant-a?q=quantum');
    expect(miss.html).toContain('No questions match “quantum”.');
    expect(miss.html).not.toContain('Do you encrypt data at rest?');
    // The query is shown escaped.
    const hostile = await overviewHtml('/t/tenant-a?q=%3Cimg+src%3Dx%3E');
    expect(hostile.html).not.toContain('<img src=x>');
  });

  it('replaces the cached overview after an edit', async () => {
    const first = await t.app.request('/t/tenant-a');
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    expect((await t.app.request('/t/tenant-a', { headers: { 'if-none-match': etag } })).status).toBe(304);
    await json(await addItem(content, { kind: 'subprocessors', name: 'Postmark', purpose: 'Email delivery' }), 201);
    const after = await t.app.request('/t/tenant-a', { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Postmark');
  });

  it('keeps each tenant to its own sections', async () => {
    const mine = itemsOf(await sections(content), 'faq')[0]!;
    expect(itemsOf(await sections(otherAdmin), 'faq')).toHaveLength(0);
    for (const [method, json] of [
      ['PUT', { kind: 'faq', question: 'Hijacked?', answer: 'Yes' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await otherAdmin.request(`/api/overview-sections/items/${mine.id}`, { method, json });
      expect(res.status).toBe(404);
    }
    const order = await otherAdmin.request('/api/overview-sections/faq/order', {
      method: 'PUT',
      json: { ids: [mine.id] },
    });
    expect(order.status).toBe(400);
    const other = await otherAdmin.request('/t/tenant-b');
    expect(await other.text()).not.toContain('Do you encrypt data at rest?');
    expect(itemsOf(await sections(content), 'faq').map((i) => i.id)).toContain(mine.id);
  });

  it('slows down a flood of FAQ searches from one address, never the cached overview', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push((await t.app.request(`/t/tenant-a?q=flood+${i}`)).status);
    expect(statuses.every((st) => st === 200 || st === 429)).toBe(true);
    expect(statuses).toContain(429);
    const limited = await t.app.request('/t/tenant-a?q=one+more');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await t.app.request('/t/tenant-a')).status).toBe(200);
  });
});
