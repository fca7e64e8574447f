/**
 * How a customer's attachment is handed to an agent's browser (docs/email.md, Attachments). The file came from a
 * stranger, so its name and type are treated as hostile: the name loses any path, control and quoting characters; the
 * type is kept only when it is a well-formed `type/subtype`; and only raster images, which a browser cannot run, are
 * ever shown inline — everything else (HTML, SVG, PDF, …) is a download, so no file runs in the desk's origin.
 */

/** Shown inline (the image preview in the thread) when asked; every other type is always a download. */
export const INLINE_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

const MAX_NAME_CHARS = 150;

/** The name without any directory part, controls, quotes, or characters a file system or header would misread. */
export function safeFilename(name: string, fallback = 'attachment'): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  const cleaned = last
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
    .replace(/[\u0000-\u001f\u007f-\u009f"*:<>?|;]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!cleaned) return fallback;
  if (cleaned.length <= MAX_NAME_CHARS) return cleaned;
  // Keep the extension: it is how the agent's machine opens the file.
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_NAME_CHARS - ext.length) + ext;
}

/** The stored type when it is a plain `type/subtype` token pair (lower case, no parameters), else a byte stream. */
export function servedContentType(stored: string): string {
  const t = stored.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(t) ? t : 'application/octet-stream';
}

/** Inline only for a raster image that was asked for inline; a download otherwise. */
export function dispositionOf(contentType: string, wantInline: boolean): 'inline' | 'attachment' {
  return wantInline && INLINE_IMAGE_TYPES.includes(contentType) ? 'inline' : 'attachment';
}

/**
 * `Content-Disposition` with the name twice (RFC 6266): an ASCII `filename` for old clients, and the exact name as
 * UTF-8 in `filename*` (RFC 5987).
 */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const name = safeFilename(filename);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
