import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import { withTenant } from '../../src/platform/db/tenant-scope.ts';
import type { OutboxList, AccessRequestList } from '../../src/contracts/trust-center.ts';
import http from 'node:http';
import {
  DOC_SCREENSHOTS,
  hasChromium,
  hasWebBuild,
  launchBrowser,
  screenshot,
  startE2eServer,
} from '../support/e2e.ts';

const skipReason = hasChromium ? null : 'Chromium is not installed at /usr/bin/chromium';
if (skipReason) console.warn(`Skipping the public site browser suite: ${skipReason}.`);

const XSS_MARKDOWN = [
  '# Subprocessors',
  '',
  'We use the following subprocessors.',
  '',
  '<script>window.__pwned = 1; alert("script")</script>',
  '',
  '<img src="x" onerror="window.__pwned = 2; alert(\'img\')">',
  '',
  '[Click me](javascript:alert("link"))',
  '',
  '<a href="jav&#x61;script:alert(1)">obfuscated</a>',
  '',
  '<svg onload="alert(\'svg\')"><circle r="5"/></svg>',
  '',
  '<iframe src="javascript:alert(\'frame\')"></iframe>',
  '',
  '![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '',
  '| Vendor | Purpose |',
  '|---|---|',
  '| AWS | Hosting |',
  '| Postmark | Email |',
].join('\n');

/** The admin API with a signed-in session (cookie + CSRF token), as the admin panel uses it. */
async function adminApi(baseUrl: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'admin@acme.test',
      password: 'acme-demo-password',
    }),
  });
  expect(login.status).toBe(200);
  const me = (await login.json()) as {
    csrfToken: string;
    tenant: { id: string };
  };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  /** A multipart upload with the session (the admin panel's file inputs). */
  const upload = async (path: string, file: Blob, name: string) => {
    const form = new FormData();
    form.append('file', file, name);
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'PUT',
      headers: { cookie, 'x-csrf-token': me.csrfToken },
      body: form,
    });
    if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
  };
  const call = async <T>(method: string, path: string, json?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': me.csrfToken,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return { tenantId: me.tenant.id, call, upload };
}

describe.skipIf(skipReason !== null)('public trust center in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let api: Awaited<ReturnType<typeof adminApi>>;
  let visitor: BrowserContext;
  const dialogs: string[] = [];
  const ids = { soc2: '', pentest: '', internal: '', notion: '' };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
    api = await adminApi(server.url);
    ids.soc2 = (
      await api.call<{ id: string }>('POST', '/api/documents', {
        title: 'SOC 2 Type II report',
        accessLevel: 'contacts_nda',
        markdown:
          '# SOC 2 Type II\n\nAuditor opinion: **unqualified**. Period: Jan–Dec 2025.\n\n| Control area | Exceptions |\n|---|---|\n| Access control | 0 |\n| Change management | 0 |',
      })
    ).id;
    ids.pentest = (
      await api.call<{ id: string }>('POST', '/api/documents', {
        title: 'Penetration test summary',
        accessLevel: 'contacts',
        markdown: '# Pen test 2025\n\nNo critical findings.',
      })
    ).id;
    ids.internal = (
      await api.call<{ id: string }>('POST', '/api/documents', {
        title: 'Internal incident runbook',
        accessLevel: 'internal',
        markdown: 'Pager rotation secrets.',
      })
    ).id;
    await api.call('PUT', '/api/nda', {
      body: '# Mutual non-disclosure agreement\n\n1. You keep the documents confidential.\n2. You use them only to evaluate Acme Cloud.\n3. This agreement lasts two years.',
    });
    ids.notion = await withTenant(
      server.runtime.services.db,
      api.tenantId,
      async (trx) =>
        (
          await trx
            .insertInto('documents')
            .values({
              tenant_id: api.tenantId,
              title: 'Subprocessors',
              kind: 'markdown',
              body_markdown: XSS_MARKDOWN,
              access_level: 'public',
              source: 'notion',
              source_id: 'e2e-xss-page',
              source_url: 'https://www.notion.so/e2e-xss-page',
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
    );
    visitor = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
    visitor.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return page;
  }

  /** The admin approves the request in the admin panel and sees the link to copy (no SMTP in tests). */
  async function approveInAdminPanel(email: string): Promise<void> {
    const adminContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
    });
    const page = await newPage(adminContext);
    await page.goto(`${server.url}/admin/access-requests`);
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('acme-demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: `Approve request from ${email}` }).click();
    await page.getByRole('button', { name: 'Grant 1 document and send link' }).click();
    await page.getByLabel('Magic link').waitFor();
    await screenshot(page, 'public-06b-admin-approved');
    await adminContext.close();
  }

  it('an anonymous visitor sees public documents and locked ones, never internal ones', async () => {
    const page = await newPage(visitor);
    await page.goto(`${server.url}/t/acme`);
    await page.getByRole('heading', { name: 'Acme Cloud Trust Center', level: 1 }).waitFor();
    const publicGroup = page.getByRole('region', {
      name: 'Public documents',
    });
    await expect(publicGroup.getByRole('link', { name: 'Security overview', exact: true }).count()).resolves.toBe(1);
    const locked = page.getByRole('region', { name: 'Available on request' });
    await expect(locked.getByRole('link', { name: 'SOC 2 Type II report', exact: true }).count()).resolves.toBe(1);
    await expect(locked.getByRole('link', { name: 'Penetration test summary', exact: true }).count()).resolves.toBe(1);
    await expect(page.content()).resolves.not.toContain('Internal incident runbook');
    await screenshot(page, 'public-01-overview');

    await publicGroup.getByRole('link', { name: 'Security overview', exact: true }).click();
    await page.getByRole('heading', { name: 'Security at Acme Cloud' }).waitFor();
    await screenshot(page, 'public-02-public-document');
  });

  it('the internal document is unreachable by a guessed URL', async () => {
    const page = await newPage(visitor);
    for (const path of [`/t/acme/documents/${ids.internal}`, `/t/acme/documents/${ids.internal}/file`]) {
      const res = await page.goto(`${server.url}${path}`);
      expect(res?.status()).toBe(404);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
      await expect(page.content()).resolves.not.toContain('Pager rotation');
    }
    await screenshot(page, 'public-03-not-found');
  });

  it('an XSS payload in a Notion-sourced document is inert', async () => {
    const page = await newPage(visitor);
    await page.goto(`${server.url}/t/acme/documents/${ids.notion}`, {
      waitUntil: 'load',
    });
    await page.getByRole('heading', { name: 'Subprocessors', level: 1 }).first().waitFor();
    await page.getByRole('cell', { name: 'Postmark' }).waitFor();
    await page.getByText('obfuscated').click();
    await page.getByText('Click me').click();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('script, iframe, svg[onload], [onerror], [onload]').count()).toBe(0);
    expect(await page.locator('article a[href^="javascript:"], article img[src^="data:"]').count()).toBe(0);
    await expect(page.locator('article').textContent()).resolves.toContain('<script>');
    await screenshot(page, 'public-04-notion-xss-inert');
  });

  it('a visitor requests access and signs the NDA there; the admin approves; the contact opens the magic link and reads', async () => {
    const page = await newPage(visitor);
    await page.goto(`${server.url}/t/acme`);
    await page
      .getByRole('link', {
        name: 'Request access to SOC 2 Type II report',
        exact: true,
      })
      .click();
    await page.getByRole('heading', { name: 'This document is restricted' }).waitFor();
    await page.getByLabel('Full name', { exact: true }).fill('Dana Buyer');
    await page.getByLabel('Work email').fill('dana@bigbank.test');
    await page.getByLabel('Company (optional)').fill('Big Bank');
    await page.getByLabel('Why do you need it? (optional)').fill('Vendor security review for our 2026 renewal.');
    // The document is under NDA: the agreement is read and signed (typed name) in the same form.
    await page.getByText('Mutual non-disclosure agreement').waitFor();
    await page.getByLabel('Type your full name to sign').fill('Dana Buyer');
    await page.getByRole('checkbox', { name: /I have read the agreement/ }).check();
    await screenshot(page, 'public-05-request-form');
    await page.getByRole('button', { name: 'Request access' }).click();
    await page.getByRole('heading', { name: 'Request received' }).waitFor();
    await screenshot(page, 'public-06-request-received');

    const pending = await api.call<AccessRequestList>('GET', '/api/access-requests?status=pending');
    const request = pending.items.find((r) => r.email === 'dana@bigbank.test');
    expect(request).toMatchObject({
      documents: [{ title: 'SOC 2 Type II report' }],
      company: 'Big Bank',
      name: 'Dana Buyer',
      ndaAcceptance: { signatureName: 'Dana Buyer' },
    });
    if (hasWebBuild) await approveInAdminPanel('dana@bigbank.test');
    else await api.call('POST', `/api/access-requests/${request!.id}/approve`, {});
    const outbox = await api.call<OutboxList>('GET', '/api/outbox');
    const link = outbox.items.find((m) => m.toEmail === 'dana@bigbank.test')?.link;
    expect(link).toBeTruthy();

    const contact = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
    const cpage = await newPage(contact);
    await cpage.goto(link!);
    await cpage.getByRole('button', { name: 'Continue to the documents' }).waitFor();
    await screenshot(cpage, 'public-07-magic-link');
    await cpage.getByRole('button', { name: 'Continue to the documents' }).click();
    await cpage.getByText('Signed in as').waitFor();
    const shared = cpage.getByRole('region', { name: 'Shared with you' });
    await expect(shared.getByRole('link', { name: 'SOC 2 Type II report', exact: true }).count()).resolves.toBe(1);
    // The pen test was not granted: still on request.
    await expect(
      cpage
        .getByRole('region', { name: 'Available on request' })
        .getByRole('link', { name: 'Penetration test summary', exact: true })
        .count(),
    ).resolves.toBe(1);
    await screenshot(cpage, 'public-08-contact-overview');

    // Signed with the request: the NDA is not asked again.
    await shared.getByRole('link', { name: 'Read SOC 2 Type II report', exact: true }).click();
    await cpage.getByText('Auditor opinion').waitFor();
    await screenshot(cpage, 'public-10-nda-document');

    // The link was single-use.
    const reused = await (await browser.newContext()).newPage();
    const res = await reused.goto(link!);
    expect(res?.status()).toBe(410);
    await reused.getByRole('button', { name: 'Email me a link' }).waitFor();
    await screenshot(reused, 'public-12-link-used');

    const activity = await api.call<{ items: { action: string }[] }>('GET', `/api/documents/${ids.soc2}/activity`);
    expect(activity.items.map((a) => a.action)).toContain('public.document.view');
    await contact.close();
  });

  it('reads well on a phone', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
    });
    const page = await newPage(phone);
    await page.goto(`${server.url}/t/acme`);
    await page.getByRole('heading', { name: 'Acme Cloud Trust Center' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'public-11-overview-mobile');
    await phone.close();
  });

  it('shows the published profile and the overview sections on desktop and phone, and on the custom domain', async () => {
    // A logo drawn by the browser itself, so the test needs no image file.
    const drawing = await newPage(visitor);
    await drawing.setContent(
      '<div id="logo" style="width:120px;height:38px;display:grid;place-items:center;background:#0b6e4f;color:#fff;font:700 20px system-ui;border-radius:8px">ACME</div>',
    );
    const logo = await drawing.locator('#logo').screenshot();
    await drawing.close();
    await api.call('PATCH', '/api/trust-profile', {
      companyName: 'Acme Cloud',
      intro: 'Acme Cloud runs payroll for 4,000 companies. Here is how we protect their data.',
      contactEmail: 'security@acme.test',
      brandColor: '#0b6e4f',
    });
    await api.upload('/api/trust-profile/logo', new Blob([new Uint8Array(logo)], { type: 'image/png' }), 'logo.png');
    await api.call('POST', '/api/trust-profile/publish');
    await api.call('PUT', '/api/trust-profile/domain', { customDomain: 'trust.acme.test' });
    // The overview sections, as a content manager fills them in.
    for (const item of [
      {
        kind: 'certifications',
        name: 'SOC 2 Type II',
        status: 'compliant',
        period: 'Nov 2025 – Oct 2026',
        documentId: ids.soc2,
      },
      {
        kind: 'certifications',
        name: 'ISO/IEC 27001:2022',
        status: 'in_progress',
        period: 'Audit planned for Q2 2026',
      },
      { kind: 'certifications', name: 'GDPR', status: 'compliant' },
      {
        kind: 'subprocessors',
        name: 'Amazon Web Services',
        purpose: 'Cloud hosting and storage',
        location: 'EU (Frankfurt)',
        website: 'https://aws.amazon.com',
      },
      { kind: 'subprocessors', name: 'Postmark', purpose: 'Transactional email', location: 'United States' },
      { kind: 'subprocessors', name: 'Datadog', purpose: 'Monitoring and logs', location: 'EU (Paris)' },
      {
        kind: 'faq',
        question: 'Do you encrypt customer data at rest?',
        answer: 'Yes. Databases and backups are encrypted with **AES-256**; keys live in a managed KMS.',
      },
      {
        kind: 'faq',
        question: 'How often do you run penetration tests?',
        answer: 'Once a year by an independent firm, and after every major release.',
      },
      {
        kind: 'updates',
        title: 'Not affected by the October OpenSSL advisory',
        date: '2025-10-28',
        body: 'Our services do not use the affected versions. No action is needed.',
      },
    ]) {
      await api.call('POST', '/api/overview-sections/items', item);
    }

    for (const [name, viewport] of [
      ['desktop', { width: 1280, height: 900 }],
      ['phone', { width: 390, height: 844 }],
    ] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: name === 'phone' ? 2 : 1 });
      const page = await newPage(context);
      await page.goto(`${server.url}/t/acme`);
      await page.getByRole('heading', { name: 'Acme Cloud Trust Center', level: 1 }).waitFor();
      await page.getByText('Here is how we protect their data.').waitFor();
      await page.getByRole('link', { name: 'security@acme.test' }).waitFor();
      const logoWidth = await page
        .locator('header img.logo-img')
        .evaluate((img) => (img as HTMLImageElement).naturalWidth);
      expect(logoWidth).toBeGreaterThan(0);
      const button = await page
        .getByRole('link', { name: /^Request access to/ })
        .first()
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(button).toBe('rgb(11, 110, 79)');
      for (const heading of ['Certifications and frameworks', 'Subprocessors', 'Security FAQ', 'Security updates'])
        await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
      await page.getByText(/^Last updated /).waitFor();
      // The SOC 2 report stays behind its access level: the certification offers a request, not the report.
      const certifications = page.locator('#certifications');
      await certifications.getByText('Nov 2025 – Oct 2026').waitFor();
      expect(
        await certifications.getByRole('link', { name: 'Request access to SOC 2 Type II report' }).getAttribute('href'),
      ).toBe(`/t/acme/documents/${ids.soc2}#request`);
      await page.locator('#subprocessors').getByRole('link', { name: 'Amazon Web Services' }).waitFor();
      await page.getByText('Not affected by the October OpenSSL advisory').waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `trust-center-overview-${name}`, DOC_SCREENSHOTS);
      if (name === 'desktop') {
        // The FAQ search is a plain form: no script runs, the answer comes back as a page.
        await page.getByRole('searchbox', { name: 'Search the FAQ' }).fill('encrypt');
        await page.getByRole('searchbox', { name: 'Search the FAQ' }).press('Enter');
        await page.getByText('1 question matches “encrypt”.').waitFor();
        expect(new URL(page.url()).search).toBe('?q=encrypt');
        await page.getByText('keys live in a managed KMS').waitFor();
        expect(await page.getByText('How often do you run penetration tests?').count()).toBe(0);
        await screenshot(page, 'public-13-faq-search');
      }
      await context.close();
    }

    // The same site on its custom domain: a request naming that Host (as the TLS proxy forwards it).
    const { port } = new URL(server.url);
    const onDomain = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', headers: { host: 'trust.acme.test' } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
    expect(onDomain.status).toBe(200);
    expect(onDomain.body).toContain('Acme Cloud Trust Center');
    expect(onDomain.body).toContain(`href="/documents/${ids.pentest}"`);
    expect(onDomain.body).not.toContain('/t/acme');
  });
});
