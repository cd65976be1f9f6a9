import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { Db } from './db/tenant-scope.ts';
import type { FileStorage } from './storage/storage.ts';
import type { JobQueue } from './jobs/queue.ts';
import type { NangoClient } from '../integrations/nango.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import type { DownloadPolicy } from './storage/safe-download.ts';

/** Where Nango is (real, or the sandbox's fake) and the keys to talk to it. Null when not configured. */
export interface NangoSettings {
  host: string;
  secretKey: string;
  webhookSigningKey: string;
  integrationId: string;
  /** Where the Connect UI is served when set explicitly (self-hosted Nango); otherwise taken from connect_link. */
  connectUiUrl: string | null;
}

/** Everything a request handler or job needs, built once at start (see src/bootstrap.ts). */
export interface AppServices {
  config: Config;
  logger: Logger;
  dbHandle: DatabaseHandle;
  db: Db;
  storage: FileStorage;
  jobs: JobQueue<AppServices>;
  nango: NangoClient | null;
  nangoSettings: NangoSettings | null;
  sandbox: Sandbox | null;
  downloadPolicy: DownloadPolicy;
}
