import { describe, expect, it } from 'vitest';
import { buildPdf } from './pdf.ts';

describe('buildPdf', () => {
  it('writes a PDF whose cross-reference table points at every object', () => {
    const pdf = buildPdf('Title (with parens)', ['Line one', 'Back\\slash']);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);

    const startxref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(6);
    offsets.forEach((offset, i) => expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));

    const length = Number(/\/Length (\d+)/.exec(text)?.[1]);
    const stream = /stream\n([\s\S]*?)\nendstream/.exec(text)?.[1] ?? '';
    expect(Buffer.byteLength(stream, 'latin1')).toBe(length);
    expect(text).toContain('(Title \\(with parens\\))');
  });
});
