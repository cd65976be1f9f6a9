import type { AppServices } from '../platform/app-services.ts';
import { withTenant } from '../platform/db/tenant-scope.ts';
import { listTenantIds } from '../accounts/tenants.repo.ts';
import { assetKey, assetRefsIn } from './asset-refs.ts';
import { documentStorageUse } from './documents.repo.ts';
import { revisionStorageUse } from './revisions.repo.ts';

/** How often each worker looks for unreferenced files; the grace period, not this, decides what goes. */
const SWEEP_INTERVAL_MS = 60 * 60_000;

/**
 * Imported images and files are stored once per content hash under `<tenant>/assets/`, shared by every
 * document and version that contains the same bytes, so deleting a document or replacing a version cannot
 * delete its files on the spot. This pass removes the ones nothing references any more: not a document's
 * file, not an asset its Markdown links, not any version in its history (pending, published or dismissed,
 * since each can still be opened). Files younger than the grace period stay: an import writes its files
 * before the document that references them, and a download in progress is not referenced yet.
 */
export async function sweepUnreferencedFiles(s: AppServices): Promise<{ files: number }> {
  const cutoff = Date.now() - s.config.UNREFERENCED_FILE_GRACE_HOURS * 3600_000;
  let files = 0;
  for (const tenantId of await listTenantIds(s.db)) {
    const referenced = await withTenant(s.db, tenantId, async (trx) => {
      const keys = new Set<string>();
      const addAssets = (fileNames: string[]) => {
        for (const name of fileNames) keys.add(assetKey(tenantId, name.slice(0, name.indexOf('.'))));
      };
      for (const doc of await documentStorageUse(trx)) {
        if (doc.file_key) keys.add(doc.file_key);
        addAssets(doc.asset_refs);
      }
      for (const version of await revisionStorageUse(trx)) {
        if (version.file_key) keys.add(version.file_key);
        if (version.body_markdown) addAssets(assetRefsIn(version.body_markdown));
      }
      return keys;
    });
    for await (const object of s.storage.list(`${tenantId}/assets/`)) {
      if (object.modifiedAt.getTime() > cutoff || referenced.has(object.key)) continue;
      await s.storage.delete(object.key);
      files += 1;
    }
  }
  if (files > 0) s.logger.info({ files }, 'removed stored files no document references');
  return { files };
}

export const unreferencedFileSweep = {
  intervalMs: () => SWEEP_INTERVAL_MS,
  run: async (s: AppServices) => void (await sweepUnreferencedFiles(s)),
};
