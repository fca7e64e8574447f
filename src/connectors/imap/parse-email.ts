/** One raw message (RFC 5322) → an InboundEmail: parsed by mailparser, HTML reduced to plain text. */
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { parse as parseHtml } from 'node-html-parser';
import type { InboundEmail } from '../../domain/email.js';
import { MAX_EMAIL_ATTACHMENT_BYTES } from '../../kernel/limits.js';

/** The headers the inbox rules read (src/domain/email.ts). */
const KEPT_HEADERS = ['auto-submitted', 'precedence', 'x-autoreply', 'x-autorespond', 'x-auto-response-suppress'];

export async function parseEmail(source: Buffer): Promise<InboundEmail> {
  const m = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const from = firstAddress(m.from) ?? { address: 'unknown@invalid', name: null };
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const v = m.headers.get(name);
    if (v !== undefined) headers[name] = headerText(v);
  }
  // mailparser gathers the List-* headers (RFC 2369, 2919) into one `list` header.
  const list = m.headers.get('list') as Record<string, unknown> | undefined;
  if (list?.id) headers['list-id'] = headerText(list.id as HeaderValue);
  if (list?.unsubscribe) headers['list-unsubscribe'] = 'yes';
  const contentType = headerText(m.headers.get('content-type') ?? 'text/plain');
  const references = typeof m.references === 'string' ? [m.references] : (m.references ?? []);
  // An HTML-only mail: mailparser's own text of it when it made one, else ours.
  const text = m.text?.trim() ? m.text : typeof m.html === 'string' ? htmlToText(m.html) : '';
  return {
    messageId: m.messageId ?? `<${createHash('sha256').update(source).digest('hex')}@sopdesk.invalid>`,
    inReplyTo: m.inReplyTo?.trim() || null,
    references,
    from,
    replyTo: firstAddress(m.replyTo) ?? null,
    subject: m.subject ?? '',
    text: text.replace(/\r\n?/g, '\n').trim(),
    headers,
    contentType,
    attachments: m.attachments.map((a, i) => ({
      filename: a.filename ?? `attachment-${i + 1}`,
      contentType: a.contentType,
      size: a.size,
      content: a.size <= MAX_EMAIL_ATTACHMENT_BYTES ? new Uint8Array(a.content) : null,
    })),
  };
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): InboundEmail['from'] | undefined {
  const v = (Array.isArray(a) ? a[0] : a)?.value[0];
  return v?.address ? { address: v.address.toLowerCase(), name: v.name || null } : undefined;
}

function headerText(v: HeaderValue): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'value' in v && typeof v.value === 'string') return v.value;
  if (v && typeof v === 'object' && 'text' in v && typeof v.text === 'string') return v.text;
  if (v && typeof v === 'object' && 'id' in v && typeof v.id === 'string') return v.id;
  return JSON.stringify(v);
}

/**
 * HTML → plain text: scripts, styles and the head dropped, entities decoded, block elements on their own lines, quoted
 * blocks (`<blockquote>`) prefixed with `> ` so the quote folding finds them. Nothing of the markup survives, so the
 * text is safe to show anywhere.
 */
export function htmlToText(html: string): string {
  const root = parseHtml(html, { blockTextElements: { script: false, style: false, noscript: false } });
  for (const el of root.querySelectorAll('head, title, script, style, noscript')) el.remove();
  for (const q of root.querySelectorAll('blockquote')) {
    const quoted = q.structuredText
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    q.replaceWith(`<div>${escapeHtml(quoted)}</div>`);
  }
  return root.structuredText.replace(/\n{3,}/g, '\n\n').trim();
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
