import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import type { ActorContext } from '../platform/http/request-context.ts';
import { findTenantById } from '../accounts/tenants.repo.ts';
import { auditActor } from '../audit/audit-actor.ts';
import { recordAudit } from '../audit/audit.repo.ts';
import {
  LOGO_MAX_BYTES,
  type TrustProfile,
  type TrustProfileFields,
  type UpdateTrustProfile,
} from '../contracts/trust-profile.ts';
import { withTenant, type Tx } from '../platform/db/tenant-scope.ts';
import { appError, notFound } from '../platform/errors.ts';
import { contrastRatio, MIN_CONTRAST } from './brand-color.ts';
import { readProfile, saveCustomDomain, saveDraft, savePublished, type ProfileContent } from './trust-profile.repo.ts';
import { readAtMost } from '../platform/storage/stream-meter.ts';

/** Image types a logo may be; SVG is left out on purpose (it can carry script). */
const LOGO_TYPES: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** The address visitors use: `https://<custom domain>` (scheme of PUBLIC_URL), else the slug URL. */
export function siteUrl(publicUrl: string, slug: string, customDomain: string | null): string {
  return customDomain ? `${new URL(publicUrl).protocol}//${customDomain}` : `${publicUrl}/t/${slug}`;
}

/** File name of a stored logo (`<sha256>.<ext>`), the last segment of its key. */
export const logoFileName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

function fields(content: ProfileContent, logoUrl: (file: string) => string): TrustProfileFields {
  return {
    companyName: content.companyName,
    intro: content.intro,
    contactEmail: content.contactEmail,
    brandColor: content.brandColor,
    logoUrl: content.logo ? logoUrl(logoFileName(content.logo.key)) : null,
  };
}

/** Field-by-field: the published copy comes back from jsonb with its keys in another order. */
function sameContent(a: ProfileContent, b: ProfileContent): boolean {
  return (
    a.companyName === b.companyName &&
    a.intro === b.intro &&
    a.contactEmail === b.contactEmail &&
    a.brandColor === b.brandColor &&
    a.logo?.key === b.logo?.key
  );
}

async function present({ s, tenantId }: ActorContext, trx: Tx): Promise<TrustProfile> {
  // Through the open transaction, not a second connection: embedded PGlite has one, and waiting for another
  // while holding it would hang every request.
  const tenant = await findTenantById(trx, tenantId);
  if (!tenant) throw notFound('Tenant');
  const row = await readProfile(trx);
  const base = siteUrl(s.config.publicUrl, tenant.slug, row.customDomain);
  return {
    draft: fields(row.draft, (file) => `/api/trust-profile/logo?v=${file.slice(0, 12)}`),
    published: row.published ? fields(row.published, (file) => `${base}/logo/${file}`) : null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    hasUnpublishedChanges: !row.published || !sameContent(row.draft, row.published),
    customDomain: row.customDomain,
    siteUrl: base,
  };
}

/** The profile as the admin app shows it: draft, published copy and domain. */
export async function getTrustProfile(ctx: ActorContext): Promise<TrustProfile> {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => present(ctx, trx));
}

/** Edit the draft (content managers and admins). A brand colour must stay readable with white text. */
export async function updateTrustProfile(ctx: ActorContext, input: UpdateTrustProfile): Promise<TrustProfile> {
  if (input.brandColor && contrastRatio(input.brandColor, '#ffffff') < MIN_CONTRAST) {
    const ratio = contrastRatio(input.brandColor, '#ffffff').toFixed(1);
    throw appError(
      'low_contrast',
      `brandColor: white text on ${input.brandColor} is hard to read (contrast ${ratio}:1, at least ${MIN_CONTRAST}:1 is needed). Choose a darker colour.`,
      { ratio: Number(ratio), minimum: MIN_CONTRAST },
    );
  }
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const { draft } = await readProfile(trx);
    const next: ProfileContent = {
      ...draft,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    };
    await saveDraft(trx, ctx.tenantId, next, ctx.actor.userId);
    await recordAudit(trx, {
      tenantId: ctx.tenantId,
      actor: auditActor(ctx.actor),
      action: 'trust_profile.edited',
      targetType: 'trust_profile',
      targetId: ctx.tenantId,
      details: { fields: Object.keys(input) },
      ip: ctx.clientIp,
    });
    return present(ctx, trx);
  });
}

/**
 * Replace the draft logo. The type is decided by the bytes (sniffed), never by the name or the declared
 * type, and the file is stored under its hash so the published logo and a new draft logo can coexist.
 */
export async function uploadLogo(ctx: ActorContext, body: Readable): Promise<TrustProfile> {
  // One byte more than the cap means the upload is too large; nothing is stored.
  const bytes = await readAtMost(body, LOGO_MAX_BYTES);
  if (!bytes) throw appError('file_too_large', `The logo must be at most ${Math.round(LOGO_MAX_BYTES / 1024)} KB.`);
  const sniffed = await fileTypeFromBuffer(bytes);
  const ext = sniffed ? LOGO_TYPES[sniffed.mime] : undefined;
  if (!sniffed || !ext)
    throw appError('unsupported_media_type', 'The logo must be a PNG, JPEG, WebP or GIF image.', {
      detected: sniffed?.mime ?? null,
    });
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const key = `${ctx.tenantId}/branding/${sha}.${ext}`;
  await ctx.s.storage.put(key, Readable.from(bytes), { contentType: sniffed.mime, maxBytes: LOGO_MAX_BYTES });
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const { draft } = await readProfile(trx);
    await saveDraft(trx, ctx.tenantId, { ...draft, logo: { key, contentType: sniffed.mime } }, ctx.actor.userId);
    await recordAudit(trx, {
      tenantId: ctx.tenantId,
      actor: auditActor(ctx.actor),
      action: 'trust_profile.logo_changed',
      targetType: 'trust_profile',
      targetId: ctx.tenantId,
      details: { contentType: sniffed.mime, size: bytes.length },
      ip: ctx.clientIp,
    });
    return present(ctx, trx);
  });
}

export async function removeLogo(ctx: ActorContext): Promise<TrustProfile> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const { draft } = await readProfile(trx);
    await saveDraft(trx, ctx.tenantId, { ...draft, logo: null }, ctx.actor.userId);
    await recordAudit(trx, {
      tenantId: ctx.tenantId,
      actor: auditActor(ctx.actor),
      action: 'trust_profile.logo_removed',
      targetType: 'trust_profile',
      targetId: ctx.tenantId,
      ip: ctx.clientIp,
    });
    return present(ctx, trx);
  });
}

/** Open the draft logo for the admin app. */
export async function openDraftLogo(ctx: ActorContext) {
  const { draft } = await withTenant(ctx.s.db, ctx.tenantId, readProfile);
  if (!draft.logo) throw notFound('Logo');
  return {
    contentType: draft.logo.contentType,
    name: logoFileName(draft.logo.key),
    body: await ctx.s.storage.get(draft.logo.key),
  };
}

/** Admins publish: the public site shows the draft from now on. */
export async function publishTrustProfile(ctx: ActorContext): Promise<TrustProfile> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const { draft } = await readProfile(trx);
    await savePublished(trx, ctx.tenantId, draft, ctx.actor.userId);
    await recordAudit(trx, {
      tenantId: ctx.tenantId,
      actor: auditActor(ctx.actor),
      action: 'trust_profile.published',
      targetType: 'trust_profile',
      targetId: ctx.tenantId,
      details: { companyName: draft.companyName },
      ip: ctx.clientIp,
    });
    return present(ctx, trx);
  });
}

/**
 * Admins set the custom domain. The admin panel's own host is refused: the site would take it over and the
 * panel would become unreachable there.
 */
export async function setCustomDomain(ctx: ActorContext, domain: string | null): Promise<TrustProfile> {
  if (domain && domain === new URL(ctx.s.config.publicUrl).hostname)
    throw appError(
      'domain_not_allowed',
      'customDomain: this is the address of the admin panel itself; choose another host name.',
    );
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await saveCustomDomain(trx, ctx.tenantId, domain);
    await recordAudit(trx, {
      tenantId: ctx.tenantId,
      actor: auditActor(ctx.actor),
      action: 'trust_profile.domain_changed',
      targetType: 'trust_profile',
      targetId: ctx.tenantId,
      details: { customDomain: domain },
      ip: ctx.clientIp,
    });
    return present(ctx, trx);
  });
}
