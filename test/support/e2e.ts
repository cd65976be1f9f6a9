import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger, type Logger } from '../../src/platform/logger.ts';
import { startServer, type RunningServer } from '../../src/app/server.ts';
import { createTestDatabase } from './test-db.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve('test-artifacts');
export const hasChromium = fs.existsSync(CHROMIUM);
export const hasWebBuild = fs.existsSync(path.resolve('web/dist/index.html'));

/** The whole app on a free port with its worker, on a fresh database, seeded with the demo tenant. */
export async function startE2eServer(
  env: Record<string, string> = {},
  opts: { logger?: Logger } = {},
): Promise<RunningServer> {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATA_DIR: db.dataDir,
    SANDBOX: 'on',
    DEMO_ON_FIRST_START: 'true',
    ...env,
  });
  const running = await startServer(config, opts.logger ?? createLogger('silent'), {
    worker: true,
    db,
  });
  return running;
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Screenshots the README shows (docs/screenshots/), refreshed by the browser suites. */
export const DOC_SCREENSHOTS = path.resolve('docs/screenshots');

/** Save a full-page screenshot under test-artifacts/ (or `dir`). */
export async function screenshot(page: Page, name: string, dir = ARTIFACTS): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({
    path: path.join(dir, `${name}.png`),
    fullPage: true,
  });
}
