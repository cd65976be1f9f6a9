import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, type Config } from '../platform/config.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import type { WithDb } from '../connectors/notion/index.ts';
import { AppError } from '../platform/errors.ts';
import { RoleSchema } from '../contracts/common.ts';
import { createTenantWithAdmin, addUserToTenant } from '../accounts/tenant-setup.ts';
import { findTenantBySlug } from '../accounts/tenants.repo.ts';
import { createApiToken } from '../accounts/api-tokens.repo.ts';
import { findUserForLogin } from '../accounts/users.repo.ts';
import { runNotionExport } from '../connectors/notion/index.ts';

const USAGE = `Usage: npm run cli -- <command> [options]

  tenant:create --slug S --name N --admin-email E --admin-password P
  user:add      --tenant S --email E --role admin|content_manager|viewer --password P
  token:create  --tenant S --email E [--name N]     prints a new API token
  notion:export <page id or URL> [--out DIR] [--tenant S]
                direct mode with NOTION_TOKEN (and optional NOTION_API_BASE_URL),
                or through the tenant's Notion connection with --tenant`;

const STRING_OPTIONS = Object.fromEntries(
  ['slug', 'name', 'admin-email', 'admin-password', 'tenant', 'email', 'role', 'password'].map((name) => [
    name,
    { type: 'string' as const },
  ]),
);

const TenantCreate = z.object({
  slug: z.string(),
  name: z.string().min(1),
  'admin-email': z.email(),
  'admin-password': z.string().min(10),
});
const UserAdd = z.object({
  tenant: z.string(),
  email: z.email(),
  role: RoleSchema,
  password: z.string().min(10),
});
const TokenCreate = z.object({
  tenant: z.string(),
  email: z.email(),
  name: z.string().optional(),
});

/** Where a command runs: its configuration, database access and output (a terminal, or a handed-off client). */
export interface CliEnv {
  config: Config;
  withDb: WithDb;
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  /** Relative paths in arguments (e.g. --out) are resolved against this directory. */
  cwd: string;
}

function options<S extends z.ZodType>(schema: S, values: Record<string, unknown>): z.infer<S> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError({
      code: 'invalid_arguments',
      message: `--${issue.path.join('.')}: ${issue.message}`,
    });
  }
  return parsed.data;
}

type Command = (values: Record<string, unknown>, args: string[], env: CliEnv) => Promise<void>;

const commands: Record<string, Command> = {
  'tenant:create': async (values, _args, { withDb, stdout }) => {
    const o = options(TenantCreate, values);
    const { tenant, admin } = await withDb((db) =>
      createTenantWithAdmin(db, {
        slug: o.slug,
        name: o.name,
        adminEmail: o['admin-email'],
        adminPassword: o['admin-password'],
      }),
    );
    stdout(`Created tenant ${tenant.slug} (${tenant.id}) with admin ${admin.email}.\n`);
  },
  'user:add': async (values, _args, { withDb, stdout }) => {
    const o = options(UserAdd, values);
    const { tenant, user } = await withDb((db) =>
      addUserToTenant(db, {
        slug: o.tenant,
        email: o.email,
        role: o.role,
        password: o.password,
      }),
    );
    stdout(`Added ${user.email} to ${tenant.slug} as ${user.role}.\n`);
  },
  'token:create': async (values, _args, { withDb, stdout }) => {
    const o = options(TokenCreate, values);
    const token = await withDb(async (db) => {
      const tenant = await findTenantBySlug(db, o.tenant);
      const user = await findUserForLogin(db, o.email, o.tenant);
      if (!tenant || !user || user.tenant_id !== tenant.id)
        throw new AppError({
          code: 'not_found',
          message: `No user ${o.email} in tenant ${o.tenant}.`,
        });
      return withTenant(db, tenant.id, (trx) =>
        createApiToken(trx, {
          tenantId: tenant.id,
          userId: user.id,
          name: o.name ?? 'cli',
        }),
      );
    });
    stdout(`${token.token}\n`);
  },
  // Parses its own arguments: `--out DIR` takes a value, which the generic lenient parse cannot know.
  'notion:export': (_values, args, env) => runNotionExport(args, env),
};

/** Run one CLI command line (without the program name); returns the exit code. */
export async function runCliCommand(argv: string[], env: CliEnv): Promise<number> {
  const [command, ...rest] = argv;
  const handler = command ? commands[command] : undefined;
  if (!handler) {
    env.stderr(USAGE);
    return command ? 2 : 0;
  }
  try {
    const { values } =
      command === 'notion:export'
        ? { values: {} }
        : parseArgs({
            args: rest,
            allowPositionals: true,
            options: STRING_OPTIONS,
          });
    await handler(values, rest, env);
    return 0;
  } catch (err) {
    if (
      err instanceof AppError ||
      err instanceof ConfigError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      env.stderr(`Error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
