import type { Db, Tx } from '../platform/db/tenant-scope.ts';
import { isUniqueViolation } from '../platform/db/errors.ts';
import { appError } from '../platform/errors.ts';

/** The profile fields as content managers edit them and as the published snapshot keeps them. */
export interface ProfileContent {
  companyName: string;
  intro: string;
  contactEmail: string;
  brandColor: string | null;
  logo: { key: string; contentType: string } | null;
}

export interface ProfileRow {
  draft: ProfileContent;
  published: ProfileContent | null;
  publishedAt: Date | null;
  customDomain: string | null;
}

const EMPTY: ProfileContent = { companyName: '', intro: '', contactEmail: '', brandColor: null, logo: null };

/** The tenant's profile; an empty draft when nothing was ever saved. */
export async function readProfile(trx: Tx): Promise<ProfileRow> {
  const row = await trx.selectFrom('trust_profiles').selectAll().executeTakeFirst();
  if (!row) return { draft: EMPTY, published: null, publishedAt: null, customDomain: null };
  return {
    draft: {
      companyName: row.company_name,
      intro: row.intro,
      contactEmail: row.contact_email,
      brandColor: row.brand_color,
      logo: row.logo_key && row.logo_content_type ? { key: row.logo_key, contentType: row.logo_content_type } : null,
    },
    published: (row.published as ProfileContent | null) ?? null,
    publishedAt: row.published_at,
    customDomain: row.custom_domain,
  };
}

/** Write the draft (creating the row on first save). */
export async function saveDraft(trx: Tx, tenantId: string, draft: ProfileContent, userId: string): Promise<void> {
  const values = {
    company_name: draft.companyName,
    intro: draft.intro,
    contact_email: draft.contactEmail,
    brand_color: draft.brandColor,
    logo_key: draft.logo?.key ?? null,
    logo_content_type: draft.logo?.contentType ?? null,
    updated_at: new Date(),
    updated_by: userId,
  };
  await trx
    .insertInto('trust_profiles')
    .values({ tenant_id: tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
    .execute();
}

/** Copy the draft into the published snapshot. */
export async function savePublished(trx: Tx, tenantId: string, content: ProfileContent, userId: string) {
  await trx
    .insertInto('trust_profiles')
    .values({ tenant_id: tenantId, published: JSON.stringify(content), published_at: new Date(), published_by: userId })
    .onConflict((oc) =>
      oc.column('tenant_id').doUpdateSet({
        published: JSON.stringify(content),
        published_at: new Date(),
        published_by: userId,
      }),
    )
    .execute();
}

/** Set or clear the custom domain; a domain another tenant uses is a 409. */
export async function saveCustomDomain(trx: Tx, tenantId: string, domain: string | null): Promise<void> {
  try {
    await trx
      .insertInto('trust_profiles')
      .values({ tenant_id: tenantId, custom_domain: domain })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ custom_domain: domain }))
      .execute();
  } catch (err) {
    if (isUniqueViolation(err, 'trust_profiles_domain_key'))
      throw appError('domain_taken', 'Another trust center already uses this domain.');
    throw err;
  }
}

/** The custom domain of a tenant (owner read, for links built outside a tenant transaction). */
export async function findCustomDomain(db: Db, tenantId: string): Promise<string | null> {
  const row = await db
    .selectFrom('trust_profiles')
    .select('custom_domain')
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row?.custom_domain ?? null;
}
