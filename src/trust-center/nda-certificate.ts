import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';

/** What a certificate of NDA acceptance states. */
export interface CertificateFacts {
  companyName: string;
  signatureName: string;
  email: string;
  company: string;
  ndaVersion: number;
  ndaSha256: string;
  acceptedAt: Date;
  ip: string;
  userAgent: string;
  accessRequestId: string;
  acceptanceId: string;
  siteUrl: string;
}

/** Latin letters that Unicode does not decompose into a base letter and an accent. */
const UNDECOMPOSABLE: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
};

/**
 * The standard PDF fonts encode only WinAnsi (Latin-1 plus a few signs). A name in another script must not
 * fail the request it belongs to: each character the font cannot encode becomes its unaccented form when it
 * has one (ő → o, ł → l), otherwise "?".
 */
function winAnsiSafe(font: PDFFont, text: string): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const ch of text.replace(/[\r\n\t]+/g, ' ')) {
    if (supported.has(ch.codePointAt(0)!)) out += ch;
    else {
      const base = UNDECOMPOSABLE[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base && [...base].every((c) => supported.has(c.codePointAt(0)!)) ? base : '?';
    }
  }
  return out;
}

/** Break text into lines no wider than `width` (long unbroken runs such as hashes are cut). */
function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      if (line) lines.push(line);
      lines.push(rest.slice(0, cut));
      line = '';
      rest = rest.slice(cut);
    }
    const next = line ? `${line} ${rest}` : rest;
    if (font.widthOfTextAtSize(next, size) > width) {
      lines.push(line);
      line = rest;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A one-page PDF certificate that the person named signed this NDA version, with the evidence kept. */
export async function renderNdaCertificate(facts: CertificateFacts): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`NDA acceptance certificate - ${facts.acceptanceId}`);
  pdf.setCreator('Trust Center');
  pdf.setCreationDate(facts.acceptedAt);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage([595, 842]);
  const left = 56;
  const width = 595 - left * 2;
  let y = 780;
  const text = (value: string, font: PDFFont, size: number, color = rgb(0.1, 0.1, 0.12)) => {
    for (const line of wrap(font, winAnsiSafe(font, value), size, width)) {
      page.drawText(line, { x: left, y, size, font, color });
      y -= size * 1.45;
    }
  };
  text('Certificate of NDA acceptance', bold, 20);
  y -= 6;
  text(
    `${facts.companyName} non-disclosure agreement, version ${facts.ndaVersion}, accepted with a typed signature on its trust center (${facts.siteUrl}).`,
    regular,
    11,
    rgb(0.3, 0.3, 0.35),
  );
  y -= 14;
  const rows: [string, string][] = [
    ['Signed by (typed full name)', facts.signatureName],
    ['Email', facts.email],
    ['Company', facts.company || '-'],
    ['NDA version', String(facts.ndaVersion)],
    ['SHA-256 of the NDA text', facts.ndaSha256],
    ['Accepted at (UTC)', facts.acceptedAt.toISOString()],
    ['IP address', facts.ip],
    ['User agent', facts.userAgent || '-'],
    ['Access request', facts.accessRequestId],
    ['Acceptance record', facts.acceptanceId],
  ];
  for (const [label, value] of rows) {
    text(label, bold, 10, rgb(0.35, 0.35, 0.4));
    text(value, regular, 12);
    y -= 6;
  }
  y -= 10;
  text(
    'The SHA-256 of the agreement identifies the exact text that was shown and accepted. The trust center keeps the SHA-256 of this certificate with the acceptance record, so a copy can be checked against it.',
    regular,
    9,
    rgb(0.4, 0.4, 0.45),
  );
  return pdf.save();
}
