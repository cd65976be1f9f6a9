import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { Db } from './db/tenant-scope.ts';
import type { FileStorage } from './storage/storage.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { DownloadPolicy } from './storage/safe-download.ts';
import type { Lifecycle } from './health.ts';

/** Where Nango is (real, or the sandbox's fake) and the keys to talk to it. Null when not configured. */
export interface NangoSettings {
  host: string;
  secretKey: string;
  webhookSigningKey: string;
  integrationId: string;
  /** Where the Connect UI is served when set explicitly (self-hosted Nango); otherwise taken from connect_link. */
  connectUiUrl: string | null;
}

/** Where the sandbox's fake Nango and fake Notion listen (sandbox mode only), for the admin app to find them. */
export interface SandboxEndpoints {
  nangoHost: string;
  nangoConnectUiUrl: string;
  notionBaseUrl: string;
}

/**
 * The infrastructure a request handler or job needs, built once at start by the composition root
 * (src/app/bootstrap.ts). Infrastructure only: domain modules build what they need from these.
 */
export interface AppServices {
  config: Config;
  logger: Logger;
  dbHandle: DatabaseHandle;
  db: Db;
  storage: FileStorage;
  jobs: JobQueue<AppServices>;
  nangoSettings: NangoSettings | null;
  sandbox: SandboxEndpoints | null;
  downloadPolicy: DownloadPolicy;
  lifecycle: Lifecycle;
}
