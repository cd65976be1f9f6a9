import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderNdaCertificate } from './nda-certificate.ts';

async function text(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocument({ data: bytes }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  return content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
}

describe('NDA certificate', () => {
  it('states the evidence, and replaces what the standard font cannot encode instead of failing', async () => {
    const pdf = await renderNdaCertificate({
      companyName: 'Acme Cloud',
      signatureName: 'Zoë Łukasiewicz 王小明 🙂',
      email: 'zoe@example.test',
      company: 'Ünïcode GmbH',
      ndaVersion: 3,
      ndaSha256: 'a'.repeat(64),
      acceptedAt: new Date('2026-01-02T03:04:05.000Z'),
      ip: '203.0.113.7',
      userAgent: `Mozilla/5.0 ${'(very long user agent) '.repeat(20)}`,
      accessRequestId: '11111111-1111-4111-8111-111111111111',
      acceptanceId: '22222222-2222-4222-8222-222222222222',
      siteUrl: 'https://trust.acme.test',
    });
    const out = await text(pdf);
    expect(out).toContain('Zoë Lukasiewicz ??? ?');
    expect(out).toContain('Ünïcode GmbH');
    expect(out).toContain('2026-01-02T03:04:05.000Z');
    expect(out).toContain('203.0.113.7');
    expect(out).toContain('11111111-1111-4111-8111-111111111111');
    expect(out.replace(/\s/g, '')).toContain('a'.repeat(64));
  });
});
