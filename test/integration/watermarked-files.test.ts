import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../support/test-app.ts';
import { seedTwoTenants, signInAll, startTestApp, type TestApp } from '../support/test-app.ts';
import { pdfText } from '../support/pdf-text.ts';
import type { ContactDetail, MagicLink } from '../../src/contracts/trust-center.ts';

/** Stamping is limited to small files here, so one test PDF can be "too large" without being big. */
const WATERMARK_MAX_BYTES = 20_000;
let t: TestApp;
let content: Session;
let contactCookie = '';
const docs = { restricted: '', big: '', damaged: '', pub: '', viewOnly: '', markdown: '' };
const originals: Record<string, Buffer> = {};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A text PDF of `pages` pages; `padding` lines of text per page make it larger. */
async function makePdf(title: string, pages = 1, padding = 0): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage([612, 792]);
    page.drawText(`${title} page ${n}`, { x: 56, y: 740, font });
    for (let i = 0; i < padding; i++)
      page.drawText(`Line ${i} of filler ${'x'.repeat(60)}`, { x: 56, y: 20 + i, font });
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

async function upload(title: string, accessLevel: string, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.append('title', title);
  form.append('accessLevel', accessLevel);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), `${title}.pdf`);
  const res = await content.request('/api/documents', { method: 'POST', body: form });
  expect(res.status).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  originals[id] = bytes;
  return id;
}

/** The stored original of a document, read straight from storage. */
async function stored(id: string): Promise<Buffer> {
  const row = await t.runtime.services.db
    .selectFrom('documents')
    .select('file_key')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return buffer(await t.runtime.services.storage.get(row.file_key!));
}

/** The audit details of the latest public download of a document. */
async function lastDownload(id: string): Promise<Record<string, unknown>> {
  const row = await t.runtime.services.db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'public.document.download')
    .where('target_id', '=', id)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
  return row.details as Record<string, unknown>;
}

/** A contact of Prospect Inc, granted every restricted document, signed in through a magic link. */
async function signInContact(): Promise<string> {
  const created = await content.request('/api/contacts', {
    method: 'POST',
    json: { email: 'pat@prospect.test', name: 'Pat Prospect', company: 'Prospëct Inc' },
  });
  expect(created.status).toBe(201);
  const contactId = ((await created.json()) as ContactDetail).id;
  const granted = await content.request(`/api/contacts/${contactId}/grants`, {
    method: 'POST',
    json: { documentIds: [docs.restricted, docs.big, docs.damaged, docs.viewOnly] },
  });
  expect(granted.status).toBe(200);
  const admin = await signInAll(t).then((s) => s.admin);
  const link = (
    (await (await admin.request(`/api/contacts/${contactId}/magic-link`, { method: 'POST' })).json()) as MagicLink
  ).message.link!;
  const res = await t.app.request(new URL(link).pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  expect(res.status).toBe(303);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const get = (path: string, cookie = contactCookie) => t.app.request(path, { headers: cookie ? { cookie } : {} });
const fileUrl = (id: string, query = '') => `/t/tenant-a/documents/${id}/file${query}`;

beforeAll(async () => {
  t = await startTestApp({ WATERMARK_MAX_BYTES: String(WATERMARK_MAX_BYTES) });
  await seedTwoTenants(t);
  ({ content } = await signInAll(t));
  docs.restricted = await upload('Pen test report', 'contacts', await makePdf('Pen test report', 3));
  docs.big = await upload('Big report', 'contacts', await makePdf('Big report', 8, 60));
  expect(originals[docs.big]!.length).toBeGreaterThan(WATERMARK_MAX_BYTES);
  docs.damaged = await upload('Damaged report', 'contacts', Buffer.from('%PDF-1.4\n%damaged beyond repair\n'));
  docs.pub = await upload('Security whitepaper', 'public', await makePdf('Security whitepaper'));
  docs.viewOnly = await upload('SOC 2 report', 'contacts', await makePdf('SOC 2 report', 2));
  const md = await content.request('/api/documents', {
    method: 'POST',
    json: { title: 'Policy', markdown: '# Policy', accessLevel: 'contacts' },
  });
  docs.markdown = ((await md.json()) as { id: string }).id;
  const set = await content.request(`/api/documents/${docs.viewOnly}`, { method: 'PATCH', json: { viewOnly: true } });
  expect(set.status).toBe(200);
  expect(((await set.json()) as { viewOnly: boolean }).viewOnly).toBe(true);
  contactCookie = await signInContact();
});
afterAll(async () => t?.close());

describe('a signed-in contact opening a restricted PDF', () => {
  it('gets a copy stamped with their email, company and the date on every page; the original is unchanged', async () => {
    const before = sha256(await stored(docs.restricted));
    expect(before).toBe(sha256(originals[docs.restricted]!));
    const res = await get(fileUrl(docs.restricted));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(sha256(body)).not.toBe(before);
    const pages = await pdfText(body);
    expect(pages).toHaveLength(3);
    const today = new Date().toISOString().slice(0, 10);
    for (const text of pages) {
      expect(text).toContain('Pen test report');
      // The "ë" is folded: the standard PDF font cannot draw it.
      expect(text).toContain('pat@prospect.test (Prospect Inc)');
      expect(text).toContain(today);
    }
    expect(sha256(await stored(docs.restricted))).toBe(before);
    expect(await lastDownload(docs.restricted)).toMatchObject({ watermarked: true, accessLevel: 'contacts' });
  });

  it('gets it as an attachment with ?download, stamped too', async () => {
    const res = await get(fileUrl(docs.restricted, '?download'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await pdfText(Buffer.from(await res.arrayBuffer()))).join(' ')).toContain('pat@prospect.test');
  });

  it('gets a PDF too large to stamp as stored, and the audit entry says so', async () => {
    const res = await get(fileUrl(docs.big));
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(originals[docs.big]!));
    expect(await lastDownload(docs.big)).toMatchObject({ watermarked: false, watermarkSkipped: 'too_large' });
  });

  it('gets an unreadable PDF as stored, and the audit entry says so', async () => {
    const res = await get(fileUrl(docs.damaged));
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(originals[docs.damaged]!));
    expect(await lastDownload(docs.damaged)).toMatchObject({ watermarked: false, watermarkSkipped: 'unreadable' });
  });
});

describe('a public PDF', () => {
  it('is served as stored, to anonymous visitors and contacts alike', async () => {
    for (const cookie of ['', contactCookie]) {
      const res = await get(fileUrl(docs.pub), cookie);
      expect(res.status).toBe(200);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(originals[docs.pub]!));
    }
    expect(await lastDownload(docs.pub)).not.toHaveProperty('watermarked');
  });
});

describe('a view-only PDF', () => {
  it('is shown stamped in the viewer page, without a download button, with frames allowed from this site only', async () => {
    const res = await get(`/t/tenant-a/documents/${docs.viewOnly}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`<iframe[^>]+src="/t/tenant-a/documents/${docs.viewOnly}/file#`));
    expect(html).not.toContain('?download');
    expect(html).toContain('View only');
    expect(html).not.toMatch(/<script/i);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-src 'self'");
    expect(csp).toContain("default-src 'none'");
    const file = await get(fileUrl(docs.viewOnly));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
    expect((await pdfText(Buffer.from(await file.arrayBuffer()))).join(' ')).toContain('pat@prospect.test');
    expect(await lastDownload(docs.viewOnly)).toMatchObject({ watermarked: true, viewOnly: true });
  });

  it('refuses the attachment download with a plain message', async () => {
    const res = await get(fileUrl(docs.viewOnly, '?download'));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('can be read on this site but not downloaded');
  });

  it('is refused when it cannot be stamped, instead of going out unmarked', async () => {
    const set = await content.request(`/api/documents/${docs.damaged}`, { method: 'PATCH', json: { viewOnly: true } });
    expect(set.status).toBe(200);
    const res = await get(fileUrl(docs.damaged));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('cannot be shown here right now');
  });

  it('can be set only on PDF files, only by content managers, only in their own workspace', async () => {
    const md = await content.request(`/api/documents/${docs.markdown}`, { method: 'PATCH', json: { viewOnly: true } });
    expect(md.status).toBe(400);
    expect(((await md.json()) as { error: { code: string } }).error.code).toBe('not_pdf');
    const { viewer, otherAdmin } = await signInAll(t);
    const foreign = await otherAdmin.request(`/api/documents/${docs.restricted}`, {
      method: 'PATCH',
      json: { viewOnly: true },
    });
    expect(foreign.status).toBe(404);
    const res = await viewer.request(`/api/documents/${docs.restricted}`, {
      method: 'PATCH',
      json: { viewOnly: true },
    });
    expect(res.status).toBe(403);
  });
});
