import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/test-db.ts';
import { bootstrap, type Runtime } from '../../src/app/bootstrap.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { withTenant } from '../../src/platform/db/tenant-scope.ts';
import { insertTenant } from '../../src/accounts/tenants.repo.ts';
import { insertDocument } from '../../src/documents/documents.repo.ts';
import { insertRevision } from '../../src/documents/revisions.repo.ts';
import { sweepUnreferencedFiles } from '../../src/documents/asset-sweep.ts';

/**
 * The sweep of content-addressed files: only files no document, no version and no other reference of the
 * same tenant uses, and only once they are older than the grace period.
 */
let runtime: Runtime;
const sha = (label: string) => createHash('sha256').update(label).digest('hex');
const TWO_DAYS_AGO = new Date(Date.now() - 48 * 3600_000);

beforeAll(async () => {
  const db = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: db.dataDir,
    SANDBOX: 'off',
    DEMO_ON_FIRST_START: 'false',
  });
  runtime = await bootstrap(config, createLogger('silent'), { web: false, worker: false }, db);
});
afterAll(async () => runtime?.stop());

/** Store `key` and date it `age` back, as a file written that long ago. */
async function storeFile(key: string, writtenAt: Date): Promise<void> {
  const s = runtime.services;
  await s.storage.put(key, Readable.from([Buffer.from(key)]), { contentType: 'application/octet-stream' });
  await fs.utimes(path.join(s.config.filesDir, ...key.split('/')), writtenAt, writtenAt);
}

describe('sweep of unreferenced files', () => {
  it('removes old files nothing references and keeps files of documents, of any version and young files', async () => {
    const s = runtime.services;
    const tenant = await insertTenant(s.db, { slug: 'sweep-one', name: 'Sweep One' });
    const other = await insertTenant(s.db, { slug: 'sweep-two', name: 'Sweep Two' });
    const t = (label: string) => `${tenant.id}/assets/${sha(label)}`;
    const kept = [t('image in a document'), t('file of a document'), t('image of a dismissed version')];
    const removed = [t('image of a deleted document'), `${tenant.id}/assets/incoming-0d1e`];
    // The same bytes in another tenant are that tenant's own file: referenced in the first tenant only.
    const otherTenantCopy = `${other.id}/assets/${sha('image in a document')}`;
    for (const key of [...kept, ...removed, otherTenantCopy]) await storeFile(key, TWO_DAYS_AGO);
    const young = t('image of an import still running');
    await storeFile(young, new Date());

    await withTenant(s.db, tenant.id, async (trx) => {
      const doc = await insertDocument(trx, {
        tenant_id: tenant.id,
        title: 'Security overview',
        kind: 'markdown',
        body_markdown: `# Overview\n\n![Diagram](asset:${sha('image in a document')}.png)\n`,
        file_key: null,
        file_name: null,
        file_content_type: null,
        file_sha256: null,
        content_hash: null,
        warnings: JSON.stringify([]),
      });
      await insertDocument(trx, {
        tenant_id: tenant.id,
        title: 'SOC 2 report',
        kind: 'file',
        body_markdown: null,
        file_key: t('file of a document'),
        file_name: 'soc2.pdf',
        file_content_type: 'application/pdf',
        file_sha256: sha('file of a document'),
        content_hash: null,
        warnings: JSON.stringify([]),
      });
      await insertRevision(trx, {
        tenant_id: tenant.id,
        document_id: doc.id,
        status: 'dismissed',
        origin: 'notion',
        title: 'Security overview',
        kind: 'markdown',
        body_markdown: `![Old diagram](asset:${sha('image of a dismissed version')}.png)`,
        file_key: null,
        file_name: null,
        file_content_type: null,
        file_sha256: null,
        content_hash: null,
        warnings: JSON.stringify([]),
        decided_by: null,
        decided_by_label: 'Content manager',
        decided_at: new Date(),
      });
    });

    const result = await sweepUnreferencedFiles(s);

    for (const key of [...kept, young]) expect(await s.storage.exists(key), key).toBe(true);
    for (const key of [...removed, otherTenantCopy]) expect(await s.storage.exists(key), key).toBe(false);
    expect(result.files).toBe(removed.length + 1);
    // A second pass finds nothing more to do.
    expect(await sweepUnreferencedFiles(s)).toEqual({ files: 0 });
  });
});
