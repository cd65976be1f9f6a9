import { z } from 'zod';
import { RoleSchema } from './common.ts';

export const LoginBody = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(1).max(512),
  /** The workspace (tenant slug) to sign in to, for an email that has accounts in several. */
  workspace: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/)
    .optional(),
});

export const MeResponse = z.object({
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
  }),
  tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  csrfToken: z.string().nullable(),
  sandbox: z.boolean(),
});
export type Me = z.infer<typeof MeResponse>;

export const UserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  createdAt: z.string(),
});
export type User = z.infer<typeof UserSchema>;
export const AddUserBody = z.strictObject({
  email: z.email().max(320),
  name: z.string().max(200).optional(),
  role: RoleSchema,
  password: z.string().min(10).max(512),
});
export const ChangeRoleBody = z.strictObject({ role: RoleSchema });

export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  tokenPrefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const CreateApiTokenBody = z.strictObject({
  name: z.string().max(100).optional(),
});

export const AuditEntrySchema = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.string(),
  /** The entry as a sentence: "Alice (Partner Inc.) downloaded SOC 2 report — watermarked." */
  sentence: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const TenantSettingsSchema = z.object({
  /** Re-import Notion pages automatically when they change; off means changed documents are only flagged. */
  autoReimport: z.boolean(),
});
export type TenantSettings = z.infer<typeof TenantSettingsSchema>;
export const UpdateTenantSettingsBody = z.strictObject({
  autoReimport: z.boolean(),
});
