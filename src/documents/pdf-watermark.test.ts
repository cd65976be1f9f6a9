import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/support/pdf-text.ts';
import { encodableText, stampPdf } from './pdf-watermark.ts';

/** A PDF with one line of text per page, as a word processor would export it. */
async function buildPdf(title: string, pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) pdf.addPage([612, 792]).drawText(`${title} page ${n}`, { x: 56, y: 740, font });
  // A classic trailer (no cross-reference stream), so a test can add an /Encrypt entry to it.
  return pdf.save({ useObjectStreams: false });
}

const stamp = { email: 'pat@prospect.test', company: 'Prospect Inc', date: new Date('2026-11-30T10:00:00Z') };

describe('stampPdf', () => {
  it('stamps every page with the email, company and date and keeps the original text', async () => {
    const result = await stampPdf(await buildPdf('SOC 2 report', 2), stamp);
    expect(result.ok).toBe(true);
    const pages = await pdfText(result.ok ? result.bytes : new Uint8Array());
    expect(pages).toHaveLength(2);
    for (const text of pages) {
      expect(text).toContain('SOC 2 report');
      expect(text).toContain('pat@prospect.test (Prospect Inc)');
      expect(text).toContain('2026-11-30');
    }
  });

  it('folds accents and replaces what the standard font cannot draw instead of failing', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    expect(encodableText(font, 'Zoë Müller · 東京 ✓')).toBe('Zoe Muller · ?? ?');
    const result = await stampPdf(await buildPdf('Doc', 1), { ...stamp, company: 'Société 東京' });
    expect(result.ok).toBe(true);
    expect((await pdfText(result.ok ? result.bytes : new Uint8Array())).join(' ')).toContain('Societe ??');
  });

  it('reports files it cannot read instead of throwing', async () => {
    expect(await stampPdf(Buffer.from('%PDF-1.4 not really a pdf'), stamp)).toEqual({
      ok: false,
      reason: 'unreadable',
    });
    const encrypted = Buffer.from(
      Buffer.from(await buildPdf('Doc', 1))
        .toString('latin1')
        .replace('trailer\n<<', 'trailer\n<< /Encrypt << /Filter /Standard /V 1 /R 2 >>'),
      'latin1',
    );
    expect(await stampPdf(encrypted, stamp)).toEqual({ ok: false, reason: 'unreadable' });
  });
});
