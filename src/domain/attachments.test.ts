import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentDisposition, dispositionOf, safeFilename, servedContentType } from './attachments.js';

describe('a customer attachment handed to the browser', () => {
  it('loses every directory part of its name, so it cannot point outside its folder', () => {
    expect(safeFilename('../../etc/passwd')).toBe('passwd');
    expect(safeFilename('C:\\Users\\x\\..\\evil.exe')).toBe('evil.exe');
    expect(safeFilename('..')).toBe('attachment');
    expect(safeFilename('.htaccess')).toBe('htaccess');
    expect(safeFilename('')).toBe('attachment');
  });

  it('keeps an ordinary name, also a non-ASCII one, and the extension of a very long one', () => {
    expect(safeFilename('receipt 2026.pdf')).toBe('receipt 2026.pdf');
    expect(safeFilename('Quittung für Müller.pdf')).toBe('Quittung für Müller.pdf');
    const long = safeFilename(`${'a'.repeat(400)}.jpeg`);
    expect(long).toHaveLength(150);
    expect(long.endsWith('.jpeg')).toBe(true);
  });

  it('any name becomes a header value with no quote, control, separator or path in it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const safe = safeFilename(name);
        expect(safe.length).toBeGreaterThan(0);
        expect(safe.length).toBeLessThanOrEqual(150);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not be there
        expect(safe).not.toMatch(/[/\\"\u0000-\u001f\u007f;]/);
        expect(safe.startsWith('.')).toBe(false);
        const header = contentDisposition('attachment', name);
        // One quoted ASCII name, then the exact name percent-encoded: nothing can close the quotes or add a parameter.
        expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]*$/);
        expect(header.match(/"/g)).toHaveLength(2);
        expect(decodeURIComponent(header.split("UTF-8''")[1]!)).toBe(safe);
      }),
    );
  });

  it('is served with its type only when the type is well formed', () => {
    expect(servedContentType('application/pdf')).toBe('application/pdf');
    expect(servedContentType('Image/PNG; name="x.png"')).toBe('image/png');
    expect(servedContentType('text/html\r\nSet-Cookie: a=b')).toBe('application/octet-stream');
    expect(servedContentType('nonsense')).toBe('application/octet-stream');
  });

  it('is shown inline only when it is a raster image asked for inline: HTML and SVG are always downloads', () => {
    expect(dispositionOf('image/png', true)).toBe('inline');
    expect(dispositionOf('image/jpeg', false)).toBe('attachment');
    expect(dispositionOf('image/svg+xml', true)).toBe('attachment');
    expect(dispositionOf('text/html', true)).toBe('attachment');
    expect(dispositionOf('application/pdf', true)).toBe('attachment');
  });
});
