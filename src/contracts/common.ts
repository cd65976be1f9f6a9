import { z } from 'zod';
import { ROLES } from './roles.ts';
import { ACCESS_LEVELS } from './access-levels.ts';

/** Schemas shared by the server (validation, OpenAPI) and the web app (types). */
export const RoleSchema = z.enum(ROLES);
export type { Role } from './roles.ts';

export const AccessLevelSchema = z.enum(ACCESS_LEVELS);
export type { AccessLevel } from './access-levels.ts';

export const SOURCE_STATUSES = ['ok', 'trashed', 'unshared', 'deleted', 'disconnected'] as const;
export const SourceStatusSchema = z.enum(SOURCE_STATUSES);
export type SourceStatus = z.infer<typeof SourceStatusSchema>;

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
