import { Readable } from 'node:stream';
import type { AppServices } from '../platform/app-services.ts';
import type { DocumentRow } from '../platform/db/schema.ts';
import { openDocumentFile } from '../documents/documents.service.ts';
import { stampPdf } from '../documents/pdf-watermark.ts';
import { AppError } from '../platform/errors.ts';
import { readAtMost } from '../platform/storage/stream-meter.ts';

/** A file as the public site hands it out. */
export interface PublicFile {
  body: Readable;
  type: string;
  name: string;
  size: number | null;
  disposition: 'inline' | 'attachment';
}

const isPdf = (doc: Pick<DocumentRow, 'kind' | 'file_content_type'>) =>
  doc.kind === 'file' && doc.file_content_type === 'application/pdf';

/** Whether the public site shows this document in its viewer only (a PDF set to view only). */
export const isViewOnly = (doc: Pick<DocumentRow, 'kind' | 'file_content_type' | 'view_only'>) =>
  doc.view_only && isPdf(doc);

/** Why a contact's copy went out unstamped (or, for a view-only document, not at all). */
type Unstamped = 'too_large' | 'unreadable';

/**
 * Open the file of a document the viewer's gate has opened, as the public site hands it out, with what the
 * audit entry of the hand-out should add. A signed-in contact's copy of a restricted PDF is stamped with
 * their email, company and the date on every page, in memory; the stored original is never changed and the
 * stamped copy never stored. Public documents go out as stored: anyone may have them.
 *
 * When a contact's PDF cannot be stamped (larger than WATERMARK_MAX_BYTES, encrypted or damaged): a view-only
 * document is refused (it exists to be shown stamped), any other goes out as stored, which is what the
 * contact was granted, and the audit details say it was not stamped and why. A view-only PDF is never handed
 * out as an attachment.
 */
export async function openPublicFile(
  s: Pick<AppServices, 'db' | 'storage' | 'config'>,
  input: {
    doc: DocumentRow;
    /** The signed-in contact, if any. */
    contact: { email: string; company: string } | undefined;
    disposition: 'inline' | 'attachment';
  },
): Promise<{ file: PublicFile; audit: Record<string, unknown> }> {
  const { doc, contact } = input;
  const viewOnly = isViewOnly(doc);
  if (viewOnly && input.disposition === 'attachment') {
    throw new AppError({
      code: 'view_only',
      message: 'This document can be read on this site but not downloaded.',
    });
  }
  const original = await openDocumentFile(s, doc);
  const file = {
    type: doc.file_content_type ?? 'application/octet-stream',
    name: doc.file_name ?? 'file',
    disposition: input.disposition,
    size: doc.file_size === null ? null : Number(doc.file_size),
  };
  const marks = viewOnly ? { viewOnly: true } : {};
  if (!contact || doc.access_level === 'public' || !isPdf(doc)) {
    return { file: { ...file, body: original }, audit: marks };
  }
  const bytes = await readAtMost(original, s.config.WATERMARK_MAX_BYTES);
  let unstamped: Unstamped = 'too_large';
  if (bytes) {
    const stamped = await stampPdf(bytes, { email: contact.email, company: contact.company, date: new Date() });
    if (stamped.ok) {
      return {
        file: { ...file, body: Readable.from([stamped.bytes]), size: stamped.bytes.length },
        audit: { ...marks, watermarked: true },
      };
    }
    unstamped = stamped.reason;
  }
  if (viewOnly) {
    throw new AppError({
      code: 'cannot_watermark',
      message:
        'This document cannot be shown here right now. Please ask the company that shared it to send it another way.',
      internal: `watermark skipped: ${unstamped}`,
    });
  }
  return {
    file: { ...file, body: bytes ? Readable.from([bytes]) : await openDocumentFile(s, doc) },
    audit: { ...marks, watermarked: false, watermarkSkipped: unstamped },
  };
}
