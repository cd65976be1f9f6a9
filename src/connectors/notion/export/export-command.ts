import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../../../platform/config.ts';
import { findTenantBySlug } from '../../../accounts/tenants.repo.ts';
import { withTenant, type Db } from '../../../platform/db/tenant-scope.ts';
import { AppError, appError } from '../../../platform/errors.ts';
import { findNotionIntegration } from '../../../integrations/connections.repo.ts';
import type { ConvertWarning } from '../convert/index.ts';
import type { DownloadPolicy } from '../../../platform/storage/safe-download.ts';
import { createNotionGateway, type NotionGateway } from '../gateway.ts';
import { createRateLimiter, limiterFor } from '../rate-limiter.ts';
import { exportPageMarkdown, exportPageToDirectory } from './export-page.ts';

/** Runs `fn` with the app's (migrated) database and closes it afterwards. */
export type WithDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

export interface ExportCommandDeps {
  config: Config;
  withDb: WithDb;
  stdout: (text: string) => void;
  stderr: (line: string) => void;
  /** --out is relative to the directory the command was typed in (the app's, when handed off to it). */
  cwd: string;
}

/** A gateway straight to Notion (or any Notion-compatible server) with the integration token. */
function directGateway(config: Config): NotionGateway {
  if (!config.NOTION_TOKEN) {
    throw appError(
      'notion_token_missing',
      "Set NOTION_TOKEN to an integration token, or pass --tenant SLUG to use a tenant's Notion connection.",
    );
  }
  return createNotionGateway({
    mode: 'direct',
    token: config.NOTION_TOKEN,
    baseUrl: config.NOTION_API_BASE_URL,
    limiter: createRateLimiter({
      rps: config.NOTION_RATE_LIMIT_RPS,
      burst: config.NOTION_RATE_LIMIT_BURST,
    }),
    maxRetries: config.NOTION_MAX_RETRIES,
  });
}

/**
 * A gateway through Nango's proxy with the tenant's stored connection. It draws from the connection's
 * budget in the database, shared with the running app's web and worker processes, so `db` must stay open
 * while the gateway is used.
 */
async function tenantGateway(config: Config, db: Db, slug: string): Promise<NotionGateway> {
  if (!config.NANGO_SECRET_KEY)
    throw appError(
      'nango_not_configured',
      '--tenant needs NANGO_SECRET_KEY (and NANGO_HOST): tenant connections go through Nango.',
    );
  const tenant = await findTenantBySlug(db, slug);
  if (!tenant)
    throw new AppError({
      code: 'not_found',
      message: `No tenant ${slug}.`,
    });
  const integration = await withTenant(db, tenant.id, findNotionIntegration);
  if (!integration)
    throw new AppError({
      code: 'notion_not_connected',
      message: `Tenant ${slug} has not connected Notion.`,
    });
  if (integration.status === 'needs_reauth') {
    throw new AppError({
      code: 'notion_needs_reauth',
      message: `Tenant ${slug}'s Notion connection needs to be reauthorized on the Integrations page.`,
    });
  }
  return createNotionGateway({
    mode: 'nango',
    nangoHost: config.NANGO_HOST,
    secretKey: config.NANGO_SECRET_KEY,
    connectionId: integration.nango_connection_id,
    providerConfigKey: integration.provider_config_key,
    limiter: limiterFor(
      `nango:${integration.nango_connection_id}`,
      { rps: config.NOTION_RATE_LIMIT_RPS, burst: config.NOTION_RATE_LIMIT_BURST },
      { db },
    ),
    maxRetries: config.NOTION_MAX_RETRIES,
  });
}

const USAGE = 'Usage: notion:export <page id or URL> [--out DIR] [--tenant SLUG]';

function parseExportArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      allowPositionals: true,
      options: { out: { type: 'string' }, tenant: { type: 'string' } },
    });
  } catch (err) {
    // parseArgs throws plain TypeErrors for unknown options and missing values; they are usage errors.
    throw appError('invalid_arguments', `${err instanceof Error ? err.message : String(err)} ${USAGE}`);
  }
}

const describeWarning = (w: ConvertWarning) => `warning: ${w.blockType} ${w.blockId}: ${w.message}`;

/**
 * `notion:export <page id or URL> [--out DIR] [--tenant SLUG]`. Without --out only the Markdown goes to
 * stdout (notes and warnings go to stderr, so the output can be piped); with --out the document, its
 * metadata and its assets are written to DIR.
 */
export async function runNotionExport(args: string[], deps: ExportCommandDeps): Promise<void> {
  const { values, positionals } = parseExportArgs(args);
  const [pageRef, ...extra] = positionals;
  if (!pageRef || extra.length > 0) throw appError('invalid_arguments', USAGE);
  const { config } = deps;
  const tenant = values.tenant;
  if (tenant)
    await deps.withDb(async (db) => exportWith(await tenantGateway(config, db, tenant), pageRef, values.out, deps));
  else await exportWith(directGateway(config), pageRef, values.out, deps);
}

async function exportWith(
  gateway: NotionGateway,
  pageRef: string,
  out: string | undefined,
  deps: ExportCommandDeps,
): Promise<void> {
  const { config } = deps;
  if (out === undefined) {
    const result = await exportPageMarkdown(gateway, pageRef);
    result.warnings.forEach((w) => deps.stderr(describeWarning(w)));
    if (result.attachment)
      deps.stderr(
        `note: this page holds the file "${result.attachment.name}"; use --out DIR to download it as the document.`,
      );
    deps.stdout(result.markdown);
    return;
  }
  const downloadPolicy: DownloadPolicy = {
    maxBytes: config.DOWNLOAD_MAX_BYTES,
    timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
    allowHttpHosts: config.DOWNLOAD_HTTP_ALLOW_HOSTS,
  };
  const manifest = await exportPageToDirectory(gateway, pageRef, {
    dir: path.resolve(deps.cwd, out),
    downloadPolicy,
  });
  manifest.warnings.forEach((w) => deps.stderr(describeWarning(w)));
  deps.stderr(
    `Exported "${manifest.title}" to ${out}: ${manifest.document}, document.json${manifest.assets.length > 0 ? `, ${manifest.assets.length} asset(s)` : ''} (${gateway.callCount()} Notion calls).`,
  );
}
