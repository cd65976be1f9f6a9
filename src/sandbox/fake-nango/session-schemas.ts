import { z } from 'zod';

const TAG_KEY = /^[a-zA-Z][a-zA-Z0-9_\-./]*$/;

/** Nango's tag rules: ≤10 keys, keys lower-cased, values 1..255 chars, `end_user_email` must be an email. */
export const tagsSchema = z
  .record(
    z.string().max(64).regex(TAG_KEY, 'Tag keys start with a letter and use only letters, digits, _ - . /'),
    z.string().min(1).max(255),
  )
  .refine((tags) => Object.keys(tags).length <= 10, {
    message: 'Tags cannot have more than 10 keys',
  })
  .transform((tags) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v])))
  .refine((tags) => tags['end_user_email'] === undefined || z.email().safeParse(tags['end_user_email']).success, {
    message: 'end_user_email must be a valid email',
    path: ['end_user_email'],
  });

export const endUserSchema = z.strictObject({
  id: z.string().min(1).max(255),
  email: z.email().min(5).optional(),
  display_name: z.string().max(255).optional(),
  tags: tagsSchema.optional(),
});

export const organizationSchema = z.strictObject({
  id: z.string().max(255),
  display_name: z.string().max(255).optional(),
});

const integrationDefaultsSchema = z.record(
  z.string(),
  z.strictObject({
    user_scopes: z.string().optional(),
    authorization_params: z.record(z.string(), z.string()).optional(),
    connection_config: z.looseObject({ oauth_scopes_override: z.string().optional() }).optional(),
  }),
);

const overridesSchema = z.record(z.string(), z.strictObject({ docs_connect: z.url().optional() }));

const webhookUrlOverrideSchema = z.union([z.url(), z.literal('')]);

export const postSessionBodySchema = z
  .strictObject({
    end_user: endUserSchema.optional(),
    organization: organizationSchema.optional(),
    allowed_integrations: z.array(z.string()).optional(),
    integrations_config_defaults: integrationDefaultsSchema.optional(),
    overrides: overridesSchema.optional(),
    webhook_url_override: webhookUrlOverrideSchema.optional(),
    tags: tagsSchema.optional(),
  })
  .refine((b) => b.end_user !== undefined || b.tags !== undefined, {
    message: 'end_user or tags is required',
    path: ['end_user'],
  });

export const postReconnectBodySchema = z.strictObject({
  connection_id: z.string().min(1).max(255),
  integration_id: z.string().min(1).max(255),
  end_user: endUserSchema.optional(),
  organization: organizationSchema.optional(),
  integrations_config_defaults: integrationDefaultsSchema.optional(),
  overrides: overridesSchema.optional(),
  webhook_url_override: webhookUrlOverrideSchema.optional(),
  tags: tagsSchema.optional(),
});

type EndUser = z.infer<typeof endUserSchema>;
type Organization = z.infer<typeof organizationSchema>;

/** Session tags: derived end-user/organization tags, then `end_user.tags`, then top-level `tags` (last wins). */
export function buildSessionTags(
  endUser: EndUser | undefined,
  organization: Organization | undefined,
  tags: Record<string, string> | undefined,
) {
  const derived: Record<string, string | undefined> = {
    end_user_id: endUser?.id,
    end_user_email: endUser?.email,
    end_user_display_name: endUser?.display_name,
    organization_id: organization?.id,
    organization_display_name: organization?.display_name,
  };
  const present = Object.fromEntries(Object.entries(derived).filter((e): e is [string, string] => e[1] !== undefined));
  return { ...present, ...endUser?.tags, ...tags };
}
