import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTwoTenants, signInAll, startTestApp, type Session, type TestApp } from '../support/test-app.ts';
import type { TrustProfile } from '../../src/contracts/trust-profile.ts';
import type { ContactDetail, MagicLink } from '../../src/contracts/trust-center.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let t: TestApp;
let admin: Session;
let content: Session;
let otherAdmin: Session;

async function json<T>(res: Response, status = 200): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as T;
}

function uploadLogo(s: Session, bytes: Uint8Array<ArrayBuffer>, name = 'logo.png', type = 'image/png') {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return s.request('/api/trust-profile/logo', { method: 'PUT', body: form });
}

/** A request as a browser on `host` sends it: the URL names the host too (our own-origin check reads it). */
const onHost = (host: string, path: string, init: RequestInit = {}) =>
  t.app.request(`http://${host}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), host } });

beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://admin.trust.test' });
  await seedTwoTenants(t);
  ({ admin, content, otherAdmin } = await signInAll(t));
});
afterAll(async () => t?.close());

describe('trust center profile', () => {
  it('starts empty and unpublished, and the public site names the tenant as before', async () => {
    const profile = await json<TrustProfile>(await content.request('/api/trust-profile'));
    expect(profile).toMatchObject({
      published: null,
      customDomain: null,
      hasUnpublishedChanges: true,
      siteUrl: 'http://admin.trust.test/t/tenant-a',
    });
    const html = await (await t.app.request('/t/tenant-a')).text();
    expect(html).toContain('Tenant A Trust Center');
  });

  it('lets content managers edit the draft, refusing colours white text cannot be read on', async () => {
    const low = await content.request('/api/trust-profile', { method: 'PATCH', json: { brandColor: '#ffd700' } });
    expect(low.status).toBe(400);
    expect(((await low.json()) as { error: { code: string } }).error.code).toBe('low_contrast');
    const bad = await content.request('/api/trust-profile', { method: 'PATCH', json: { brandColor: 'red' } });
    expect(bad.status).toBe(400);
    const saved = await json<TrustProfile>(
      await content.request('/api/trust-profile', {
        method: 'PATCH',
        json: {
          companyName: 'Acme Cloud',
          intro: 'How Acme Cloud keeps your data safe.',
          contactEmail: 'security@acme.test',
          brandColor: '#0B6E4F',
        },
      }),
    );
    expect(saved.draft).toMatchObject({ companyName: 'Acme Cloud', brandColor: '#0b6e4f' });
    expect(saved.hasUnpublishedChanges).toBe(true);
    // Not public until an admin publishes.
    expect(await (await t.app.request('/t/tenant-a')).text()).not.toContain('Acme Cloud');
  });

  it('accepts a logo by its bytes only, within the size cap', async () => {
    const fake = await uploadLogo(content, new TextEncoder().encode('<svg onload="alert(1)"/>'), 'logo.png');
    expect(fake.status).toBe(415);
    const huge = await uploadLogo(content, new Uint8Array(Buffer.concat([PNG, Buffer.alloc(600 * 1024)])));
    expect(huge.status).toBe(413);
    const saved = await json<TrustProfile>(await uploadLogo(content, new Uint8Array(PNG), 'whatever.gif', 'image/gif'));
    expect(saved.draft.logoUrl).toMatch(/^\/api\/trust-profile\/logo\?v=/);
    const draftLogo = await content.request('/api/trust-profile/logo');
    expect(draftLogo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await draftLogo.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('publishes only by an admin; then the site shows name, intro, logo, colour and contact', async () => {
    expect((await content.request('/api/trust-profile/publish', { method: 'POST' })).status).toBe(403);
    // The unbranded page is in the anonymous cache; a draft edit leaves the site's content version alone.
    const before = await t.app.request('/t/tenant-a');
    const staleEtag = before.headers.get('etag')!;
    expect(staleEtag).toBeTruthy();
    const version = async () =>
      (
        await t.runtime.services.db
          .selectFrom('tenants')
          .leftJoin('site_versions', 'site_versions.tenant_id', 'tenants.id')
          .select((eb) => eb.fn.coalesce('site_versions.version', eb.val('0')).as('version'))
          .where('tenants.slug', '=', 'tenant-a')
          .executeTakeFirstOrThrow()
      ).version;
    const unpublished = await version();
    await json<TrustProfile>(
      await content.request('/api/trust-profile', {
        method: 'PATCH',
        json: { intro: 'How Acme Cloud keeps your data safe.' },
      }),
    );
    expect(await version()).toBe(unpublished);
    const published = await json<TrustProfile>(await admin.request('/api/trust-profile/publish', { method: 'POST' }));
    expect(BigInt(await version())).toBeGreaterThan(BigInt(unpublished));
    expect(published.hasUnpublishedChanges).toBe(false);
    expect(published.published?.logoUrl).toMatch(/^http:\/\/admin\.trust\.test\/t\/tenant-a\/logo\/[0-9a-f]{64}\.png$/);

    const res = await t.app.request('/t/tenant-a');
    const html = await res.text();
    expect(html).toContain('Acme Cloud Trust Center');
    expect(html).toContain('How Acme Cloud keeps your data safe.');
    expect(html).toContain('mailto:security@acme.test');
    expect(html).toContain('--brand:#0b6e4f');
    // The brand stylesheet is allowed by its own hash; still no script of any kind.
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp.match(/'sha256-/g)).toHaveLength(2);
    expect(csp).toContain("default-src 'none'");
    expect(html).not.toContain('<script');
    // Publishing replaced the cached page; the cached copy keeps its brand stylesheet's hash in the CSP.
    expect(res.headers.get('etag')).not.toBe(staleEtag);
    const stale = await t.app.request('/t/tenant-a', { headers: { 'if-none-match': staleEtag } });
    expect(stale.status).toBe(200);
    const hit = await t.app.request('/t/tenant-a');
    expect(hit.headers.get('etag')).toBe(res.headers.get('etag'));
    expect(hit.headers.get('content-security-policy')).toBe(csp);
    expect(await hit.text()).toBe(html);

    const logoPath = new URL(published.published!.logoUrl!).pathname;
    const logo = await t.app.request(logoPath);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toBe('image/png');
    expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await logo.arrayBuffer()).equals(PNG)).toBe(true);
    // Another tenant's site does not hand out this logo.
    expect((await t.app.request(logoPath.replace('tenant-a', 'tenant-b'))).status).toBe(404);
  });

  it('keeps each tenant to its own profile', async () => {
    const other = await json<TrustProfile>(await otherAdmin.request('/api/trust-profile'));
    expect(other.draft.companyName).toBe('');
    expect(other.published).toBeNull();
    expect(await (await t.app.request('/t/tenant-b')).text()).not.toContain('Acme Cloud');
  });
});

describe('custom domain', () => {
  it('is set by admins only, validated, unique, and never the admin panel host', async () => {
    const put = (s: Session, customDomain: string | null) =>
      s.request('/api/trust-profile/domain', { method: 'PUT', json: { customDomain } });
    expect((await put(content, 'trust.acme.test')).status).toBe(403);
    expect((await put(admin, 'https://trust.acme.test/')).status).toBe(400);
    expect((await put(admin, 'admin.trust.test')).status).toBe(400);
    const set = await json<TrustProfile>(await put(admin, 'Trust.Acme.test'));
    expect(set).toMatchObject({ customDomain: 'trust.acme.test', siteUrl: 'http://trust.acme.test' });
    const taken = await put(otherAdmin, 'trust.acme.test');
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { code: string } }).error.code).toBe('domain_taken');
  });

  it('serves the same site on its Host, with links at the root, and nothing else there', async () => {
    const doc = await json<{ id: string }>(
      await content.request('/api/documents', {
        method: 'POST',
        json: {
          title: 'Security whitepaper',
          markdown:
            '# Whitepaper\n\nEncrypted at rest. [Download](/api/documents/00000000-0000-4000-8000-000000000001/file)',
          accessLevel: 'public',
        },
      }),
      201,
    );
    const home = await onHost('trust.acme.test:443', '/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Acme Cloud Trust Center');
    expect(html).toContain(`href="/documents/${doc.id}"`);
    expect(html).not.toContain('/t/tenant-a');
    const page = await onHost('trust.acme.test', `/documents/${doc.id}`);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('Encrypted at rest.');
    expect(pageHtml).toContain('href="/documents/00000000-0000-4000-8000-000000000001/file"');
    expect(pageHtml).not.toContain('/t/tenant-a');
    // Each address keeps its own cached copy: the links differ.
    expect(await (await onHost('trust.acme.test', `/documents/${doc.id}`)).text()).toBe(pageHtml);
    const slugPage = await (await t.app.request(`/t/tenant-a/documents/${doc.id}`)).text();
    expect(slugPage).toContain('href="/t/tenant-a/documents/00000000-0000-4000-8000-000000000001/file"');
    expect(await (await onHost('trust.acme.test', `/documents/${doc.id}`)).text()).toBe(pageHtml);
    // The admin API is not reachable on a customer-facing domain.
    expect((await onHost('trust.acme.test', '/api/openapi.json')).status).toBe(404);
    // The slug URL keeps working on the main host, and an unknown host gets the normal app.
    expect((await t.app.request('/t/tenant-a')).status).toBe(200);
    expect((await onHost('unknown.example.com', '/healthz')).status).toBe(200);
  });

  it('sends magic links to the custom domain, where the sign-in cookie then lives', async () => {
    const contact = await json<ContactDetail>(
      await content.request('/api/contacts', { method: 'POST', json: { email: 'pat@prospect.test' } }),
      201,
    );
    const sent = await json<MagicLink>(
      // Only an admin's answer carries the link itself.
      await admin.request(`/api/contacts/${contact.id}/magic-link`, { method: 'POST' }),
    );
    const link = new URL(sent.message.link!);
    expect(link.origin).toBe('http://trust.acme.test');
    expect(link.pathname).toMatch(/^\/access\/tcm_/);
    const redeemed = await onHost('trust.acme.test', link.pathname, {
      method: 'POST',
      headers: { origin: 'http://trust.acme.test' },
    });
    expect(redeemed.status).toBe(303);
    expect(redeemed.headers.get('location')).toBe('/?notice=signed-in');
    expect(redeemed.headers.get('set-cookie')).toMatch(/^tc_contact=tcc_[^;]+;.*Path=\/;/);
  });

  it('can be cleared, after which the host no longer answers as the trust center', async () => {
    await json<TrustProfile>(
      await admin.request('/api/trust-profile/domain', { method: 'PUT', json: { customDomain: null } }),
    );
    const res = await onHost('trust.acme.test', '/');
    expect(await res.text()).not.toContain('Acme Cloud Trust Center');
  });
});
