import { z } from 'zod';

/*
 * The trust center profile (admin API, JSON):
 *   GET    /api/trust-profile          viewer+           → TrustProfile (draft, published copy, domain)
 *   PATCH  /api/trust-profile          content_manager+  UpdateTrustProfileBody → TrustProfile
 *   PUT    /api/trust-profile/logo     content_manager+  multipart "file" (PNG, JPEG, WebP or GIF) → TrustProfile
 *   DELETE /api/trust-profile/logo     content_manager+  → TrustProfile
 *   GET    /api/trust-profile/logo     viewer+           → the draft logo image
 *   POST   /api/trust-profile/publish  admin             → TrustProfile (the public site shows the draft)
 *   PUT    /api/trust-profile/domain   admin             PutCustomDomainBody → TrustProfile
 * Public: /t/:slug/logo/:file (the published logo), and every page on the custom domain's Host.
 */

export const BRAND_COLOR = /^#[0-9a-f]{6}$/;
/** A lower-case DNS name with at least two labels, no port, no trailing dot. */
export const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
export const LOGO_MAX_BYTES = 512 * 1024;

export const TrustProfileFieldsSchema = z.object({
  companyName: z.string(),
  intro: z.string(),
  contactEmail: z.string(),
  brandColor: z.string().nullable(),
  /** Where the admin app (draft) or the public site (published) loads the logo; null shows the initial. */
  logoUrl: z.string().nullable(),
});
export type TrustProfileFields = z.infer<typeof TrustProfileFieldsSchema>;

export const TrustProfileSchema = z.object({
  draft: TrustProfileFieldsSchema,
  /** What the public site shows; null until an admin first publishes. */
  published: TrustProfileFieldsSchema.nullable(),
  publishedAt: z.string().nullable(),
  hasUnpublishedChanges: z.boolean(),
  customDomain: z.string().nullable(),
  /** The address visitors use: the custom domain when set, else the slug URL under PUBLIC_URL. */
  siteUrl: z.string(),
});
export type TrustProfile = z.infer<typeof TrustProfileSchema>;

export const UpdateTrustProfileBody = z.strictObject({
  companyName: z.string().trim().max(200).optional(),
  intro: z.string().trim().max(2000).optional(),
  contactEmail: z.union([z.literal(''), z.email().max(320)]).optional(),
  brandColor: z.string().trim().toLowerCase().regex(BRAND_COLOR, 'must be a colour like #1d4ed8').nullable().optional(),
});
export type UpdateTrustProfile = z.infer<typeof UpdateTrustProfileBody>;

export const PutCustomDomainBody = z.strictObject({
  customDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(HOSTNAME, 'must be a host name like trust.example.com (no scheme, port or path)')
    .nullable(),
});
