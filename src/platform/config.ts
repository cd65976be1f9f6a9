import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Every setting is validated once at start; a bad value stops the app
 * with a message naming the variable (see formatConfigError).
 */
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DEMO_ON_FIRST_START: bool.optional(),
  TRUST_PROXY: bool.default(false),

  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),

  NANGO_SECRET_KEY: z.string().optional(),
  NANGO_HOST: z.url().default('https://api.nango.dev'),
  NANGO_WEBHOOK_SIGNING_KEY: z.string().optional(),
  NANGO_CONNECT_UI_URL: z.url().optional(),
  NANGO_INTEGRATION_ID: z.string().default('notion'),
  SANDBOX: z.enum(['auto', 'on', 'off']).default('auto'),
  SANDBOX_NANGO_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  SANDBOX_NOTION_PORT: z.coerce.number().int().min(0).max(65535).default(0),

  NOTION_TOKEN: z.string().optional(),
  NOTION_API_BASE_URL: z.url().default('https://api.notion.com'),
  NOTION_RATE_LIMIT_RPS: z.coerce.number().positive().default(3),
  NOTION_RATE_LIMIT_BURST: z.coerce.number().int().positive().default(10),
  NOTION_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  NOTION_SYNC_OVERLAP_MINUTES: z.coerce.number().int().min(0).max(1440).default(60),

  DOWNLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  DOWNLOAD_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  DOWNLOAD_HTTP_ALLOW_HOSTS: csv.default([]),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(120),

  SYNC_INTERVAL_HOURS: z.coerce.number().positive().default(4),
  WORK_STALE_AFTER_SECONDS: z.coerce.number().positive().default(60),
  WORK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(20),
  RECONCILE_INTERVAL_HOURS: z.coerce.number().positive().default(24),
  /** Stored images and files no document or version references are removed once this old. */
  UNREFERENCED_FILE_GRACE_HOURS: z.coerce.number().positive().default(24),

  PUBLIC_PAGE_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
  PUBLIC_CACHE_MAX_AGE: z.coerce.number().int().min(0).max(86_400).default(0),

  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  COOKIE_SECURE: bool.optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Trust Center <no-reply@trust-center.local>'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Omit<Env, 'DEMO_ON_FIRST_START'> {
  /** Create the demo tenant (fixed, published password) on an empty database; never in production. */
  DEMO_ON_FIRST_START: boolean;
  dataDir: string;
  filesDir: string;
  publicUrl: string;
  /** Sandbox mode: fake Nango + fake Notion in-process. Never on silently in production. */
  sandbox: boolean;
  cookieSecure: boolean;
  /** Problems worth a warning at start that do not stop the app (logged by bootstrap). */
  warnings: string[];
}

export class ConfigError extends Error {}

/** Parse and validate configuration from an environment map (process.env by default). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (e.SANDBOX === 'on' && production) {
    throw new ConfigError('Invalid configuration:\n  SANDBOX: sandbox mode cannot be enabled when NODE_ENV=production');
  }
  const sandbox = e.SANDBOX === 'on' || (e.SANDBOX === 'auto' && !e.NANGO_SECRET_KEY && !production);
  if (production && !e.NANGO_SECRET_KEY && !e.NOTION_TOKEN) {
    throw new ConfigError(
      'Invalid configuration:\n  NANGO_SECRET_KEY: required in production (sandbox mode is never used there)',
    );
  }
  if (production && e.DEMO_ON_FIRST_START) {
    throw new ConfigError(
      'Invalid configuration:\n  DEMO_ON_FIRST_START: the demo tenant has a published password and cannot be created when NODE_ENV=production',
    );
  }
  if (production && e.DOWNLOAD_HTTP_ALLOW_HOSTS.length > 0) {
    throw new ConfigError(
      'Invalid configuration:\n  DOWNLOAD_HTTP_ALLOW_HOSTS: lifts the download safeguards and cannot be set when NODE_ENV=production',
    );
  }
  // Nango signs webhooks with the environment's own signing key; the secret key is a different value on every
  // environment created since 2026-04-20, so falling back to it would reject (and lose) every webhook.
  if (!sandbox && e.NANGO_SECRET_KEY && !e.NANGO_WEBHOOK_SIGNING_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  NANGO_WEBHOOK_SIGNING_KEY: required when NANGO_SECRET_KEY is set (copy it from Nango → Environment settings → Webhooks → Signing key)',
    );
  }
  if (e.STORAGE_DRIVER === 's3' && !e.S3_BUCKET) {
    throw new ConfigError('Invalid configuration:\n  S3_BUCKET: required when STORAGE_DRIVER=s3');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const warnings: string[] = [];
  if (!e.PUBLIC_URL && e.NODE_ENV !== 'development') {
    warnings.push(
      `PUBLIC_URL is not set: sign-in links in emails, the trust center address and NDA certificates will name http://localhost:${e.PORT}, which visitors cannot open. Set PUBLIC_URL to the address people use (e.g. https://trust.example.com).`,
    );
  }
  return {
    ...e,
    DEMO_ON_FIRST_START: e.DEMO_ON_FIRST_START ?? !production,
    dataDir,
    filesDir: path.join(dataDir, 'files'),
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    sandbox,
    cookieSecure: e.COOKIE_SECURE ?? production,
    warnings,
  };
}

/** For entry points: the configuration, or the problem printed (naming the variable) and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
