import { z } from 'zod';

/** Schemas shared by the server (validation, OpenAPI) and the web app (types). */
export const ROLES = ['admin', 'content_manager', 'viewer'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const ACCESS_LEVELS = ['public', 'contacts_nda', 'contacts', 'internal'] as const;
export const AccessLevelSchema = z.enum(ACCESS_LEVELS);
export type AccessLevel = z.infer<typeof AccessLevelSchema>;

export const SOURCE_STATUSES = ['ok', 'trashed', 'unshared', 'deleted', 'disconnected'] as const;
export const SourceStatusSchema = z.enum(SOURCE_STATUSES);

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Any UUID as text (ids arriving in paths and webhook tags, checked before they reach a uuid column). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const UuidParam = z.object({ id: z.uuid() });
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
