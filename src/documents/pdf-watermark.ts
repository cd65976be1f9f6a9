import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont } from 'pdf-lib';

/** Who a stamped copy was handed to, and when. */
export interface WatermarkStamp {
  email: string;
  company: string;
  date: Date;
}

/** A stamped copy, or why the original could not be stamped. */
export type StampResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'unreadable' };

/**
 * The standard PDF fonts encode WinAnsi only: accents are folded to their base letter where Unicode knows
 * one, anything else the font cannot draw becomes "?" (a stamp must never fail on a name).
 */
export function encodableText(font: PDFFont, text: string): string {
  const known = new Set(font.getCharacterSet());
  return [...text.normalize('NFKD').replace(/\p{M}/gu, '')]
    .map((ch) => (known.has(ch.codePointAt(0)!) ? ch : '?'))
    .join('');
}

/** The words stamped on every page. */
export function stampLine(stamp: WatermarkStamp): string {
  const who = stamp.company ? `${stamp.email} (${stamp.company})` : stamp.email;
  return `${who} · ${stamp.date.toISOString().slice(0, 10)}`;
}

/**
 * Stamp every page of a PDF with who it was handed to: one light diagonal line across the middle (hard to
 * crop away, easy to read through) and a small footer line. The original bytes are not touched; the stamped
 * copy is built in memory, so callers bound the input size. Encrypted, damaged or otherwise unparsable files
 * come back as `unreadable` for the caller to decide what to serve.
 */
export async function stampPdf(original: Uint8Array, stamp: WatermarkStamp): Promise<StampResult> {
  try {
    return { ok: true, bytes: await stampPages(await PDFDocument.load(original, { updateMetadata: false }), stamp) };
  } catch {
    // pdf-lib refuses encrypted files and fails on damaged ones at load or at the first page it walks.
    return { ok: false, reason: 'unreadable' };
  }
}

async function stampPages(pdf: PDFDocument, stamp: WatermarkStamp): Promise<Uint8Array> {
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const line = encodableText(font, stampLine(stamp));
  const footer = encodableText(font, `Shared with ${line}. Do not redistribute.`);
  const grey = rgb(0.45, 0.45, 0.5);
  for (const page of pdf.getPages()) {
    const { width, height } = page.getSize();
    // Across the page's diagonal, sized to span most of it but never huge on a big page.
    const angle = Math.atan2(height, width);
    const span = Math.hypot(width, height) * 0.75;
    const size = Math.max(8, Math.min(40, span / Math.max(1, font.widthOfTextAtSize(line, 1))));
    const textWidth = font.widthOfTextAtSize(line, size);
    page.drawText(line, {
      x: width / 2 - (Math.cos(angle) * textWidth) / 2 + (Math.sin(angle) * size) / 2,
      y: height / 2 - (Math.sin(angle) * textWidth) / 2 - (Math.cos(angle) * size) / 2,
      size,
      font,
      color: grey,
      opacity: 0.18,
      rotate: degrees((angle * 180) / Math.PI),
    });
    const footerSize = Math.max(5, Math.min(7, (width - 24) / Math.max(1, font.widthOfTextAtSize(footer, 1))));
    page.drawText(footer, { x: 12, y: 8, size: footerSize, font, color: grey, opacity: 0.8 });
  }
  return pdf.save();
}
