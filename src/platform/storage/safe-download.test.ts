import { describe, expect, it } from 'vitest';
import { isPublicAddress, pickFileName, sanitizeFileName } from './safe-download.ts';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '0.1.2.3',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:10.1.2.3',
    '64:ff9b::a00:1',
    '2002:7f00:1::',
    '::a9fe:a9fe',
    '::169.254.169.254',
    '::7f00:1',
    '::808:808',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '52.218.1.1', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('pickFileName', () => {
  const url = new URL('https://files.example.com/a/b/Security%20Policy.pdf?X-Amz-Expires=3600');

  it('prefers the RFC 8187 name from Content-Disposition', () => {
    expect(
      pickFileName({
        contentDisposition: `attachment; filename="fallback.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf`,
        url,
      }),
    ).toBe('Résumé.pdf');
    expect(
      pickFileName({
        contentDisposition: `attachment; filename*=iso-8859-1''caf%E9.txt`,
        url,
      }),
    ).toBe('café.txt');
  });

  it('reads a quoted or bare filename', () => {
    expect(
      pickFileName({
        contentDisposition: 'attachment; filename="SOC 2 \\"Type II\\".pdf"',
        url,
      }),
    ).toBe('SOC 2 _Type II_.pdf');
    expect(
      pickFileName({
        contentDisposition: 'inline; filename=report.pdf; size=3',
        url,
      }),
    ).toBe('report.pdf');
  });

  it('falls back to the URL basename, then the hint, then a default with the sniffed extension', () => {
    expect(pickFileName({ url })).toBe('Security Policy.pdf');
    expect(
      pickFileName({
        url: new URL('https://h.example/'),
        hint: 'Pen test',
        ext: 'pdf',
      }),
    ).toBe('Pen test.pdf');
    expect(pickFileName({ url: new URL('https://h.example/'), ext: 'png' })).toBe('download.png');
  });

  it('never lets a header smuggle a path', () => {
    expect(
      pickFileName({
        contentDisposition: 'attachment; filename="../../etc/passwd"',
        url,
      }),
    ).toBe('passwd');
    expect(
      pickFileName({
        contentDisposition: `attachment; filename*=UTF-8''..%2F..%2Fsecret.pdf`,
        url,
      }),
    ).toBe('secret.pdf');
  });
});

describe('sanitizeFileName', () => {
  it('removes control and reserved characters and hidden-file dots', () => {
    expect(sanitizeFileName('a\u0000b\r\nc<d>:e|f?.pdf')).toBe('a_b__c_d__e_f_.pdf');
    expect(sanitizeFileName('..hidden.txt')).toBe('hidden.txt');
    expect(sanitizeFileName('C:\\Users\\x\\evil.exe')).toBe('evil.exe');
    expect(sanitizeFileName('...')).toBe('');
    expect(sanitizeFileName('???')).toBe('');
  });

  it('caps length but keeps the extension', () => {
    const long = sanitizeFileName(`${'x'.repeat(500)}.pdf`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
