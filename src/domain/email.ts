/**
 * The rules of the email channel that need no I/O: which mail is automated (never opens a conversation, never gets an
 * answer), how a message is threaded, what of its text the thread shows, and which mail a marketplace sent.
 */

/** What the mail reader hands the inbox: one parsed email, already reduced to text. */
export interface InboundEmail {
  /** `<…>`; the reader makes one from the message's hash when it has none. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  from: { address: string; name: string | null };
  replyTo: { address: string; name: string | null } | null;
  subject: string;
  /** Plain text: the text part, or the HTML part reduced to text. */
  text: string;
  /** The headers the rules below read, lower-case names: auto-submitted, precedence, list-id, x-autoreply, … */
  headers: Record<string, string>;
  /** `multipart/report` (a delivery status notification) or the top content type. */
  contentType: string;
  attachments: { filename: string; contentType: string; size: number; content: Uint8Array | null }[];
}

/** Why a mail is left alone, or null when a person wrote it. */
export type AutomatedReason = 'auto_submitted' | 'bulk_precedence' | 'mailing_list' | 'bounce' | 'auto_reply';

const SYSTEM_SENDER = /^(mailer-daemon|postmaster|no-?reply|bounces?)(\+[^@]*)?@/i;

/**
 * RFC 3834 (`Auto-Submitted` other than `no`), `Precedence: bulk | list | junk`, RFC 2919 `List-Id`, delivery reports
 * (RFC 3464 `multipart/report`) and the senders mail systems use for bounces. Such mail never opens a conversation or
 * gets an answer: answering an auto-reply is how mail loops start.
 */
export function automatedReason(mail: Pick<InboundEmail, 'headers' | 'from' | 'contentType'>): AutomatedReason | null {
  const h = mail.headers;
  const auto = h['auto-submitted']?.trim().toLowerCase();
  if (auto && auto !== 'no') return 'auto_submitted';
  if (/^(bulk|list|junk)\b/i.test(h.precedence?.trim() ?? '')) return 'bulk_precedence';
  if (h['list-id'] || h['list-unsubscribe']) return 'mailing_list';
  if (/^multipart\/report\b/i.test(mail.contentType) || SYSTEM_SENDER.test(mail.from.address)) return 'bounce';
  if (h['x-autoreply'] || h['x-autorespond'] || /\bauto[- ]?repl/i.test(h['x-auto-response-suppress'] ?? ''))
    return 'auto_reply';
  return null;
}

/** The reply marker sopdesk puts in the subjects it sends, for mail clients that drop In-Reply-To and References. */
export const subjectMarker = (conversationId: string): string => `[#${conversationId}]`;

/** The conversation id a subject's marker names, if any. */
export function markedConversation(subject: string): string | undefined {
  return /\[#(cnv_[0-9A-Za-z]{26})\]/.exec(subject)?.[1];
}

/** `Re: Fwd: AW: Subject [#cnv_…]` → `Subject`. */
export function baseSubject(subject: string): string {
  let s = subject.replace(/\s*\[#cnv_[0-9A-Za-z]{26}\]/g, '').trim();
  for (;;) {
    const next = s.replace(/^(re|fwd?|aw|sv|vs|antw)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === s) return s;
    s = next;
  }
}

/** The ids a reply points at, nearest first: In-Reply-To, then References from the newest. */
export function threadIds(mail: Pick<InboundEmail, 'inReplyTo' | 'references'>): string[] {
  const ids = [...(mail.inReplyTo ? [mail.inReplyTo] : []), ...[...mail.references].reverse()];
  return [...new Set(ids)];
}

/** The id of a message sopdesk sent, from its Message-ID (`<msg_…@domain>`), if it is one. */
export function sentMessageId(emailMessageId: string): string | undefined {
  return /^<(msg_[0-9A-Za-z]{26})@[^>]+>$/.exec(emailMessageId)?.[1];
}

const QUOTE_HEADER = [
  /^On .{4,200}wrote:\s*$/, // Gmail, Apple Mail, Thunderbird
  /^Am .{4,200}schrieb.{0,80}:\s*$/,
  /^Le .{4,200}a écrit\s*:\s*$/,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*Forwarded message\s*-{2,}\s*$/i,
  /^_{10,}\s*$/, // Outlook's rule above "From: … Sent: …"
  /^From:\s.+$/, // Outlook's header block, when it is followed by Sent: / Date:
];

/**
 * The part of a reply the thread shows: the text above the quoted history (`> …`, "On … wrote:", Outlook's header
 * block) and above the signature (`-- ` on its own line, RFC 3676). The full text is kept beside it.
 */
export function foldQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '-- ' || line === '--') {
      end = i;
      break;
    }
    if (QUOTE_HEADER.some((re) => re.test(line.trim()))) {
      if (line.trim().startsWith('From:') && !/^(Sent|Date):/i.test(lines[i + 1]?.trim() ?? '')) continue;
      end = i;
      break;
    }
    // A block of quoted lines that runs to the end (or to a signature) is the history.
    if (line.startsWith('>') && lines.slice(i).every((l) => l.startsWith('>') || l.trim() === '')) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).join('\n').trim();
  return kept === '' ? text.trim() : kept;
}

/**
 * Mail a marketplace sends the seller about a customer message: from `from` (a regular expression over the sender's
 * address), with its ticket reference in the subject (the first group of `subject`, or its group named `ref`). It is
 * filed on the marketplace's channel with that reference as the conversation's external ref; the customer is the
 * address `customerEmail` finds in the text (its first group), else the Reply-To, else the sender.
 */
export interface MarketplaceRule {
  channel: 'kogan' | 'marketplace';
  from: string;
  subject: string;
  customerEmail?: string | undefined;
}

export interface MarketplaceMatch {
  channel: MarketplaceRule['channel'];
  ticketRef: string;
  customerEmail: string | undefined;
}

export function matchMarketplace(
  rules: readonly MarketplaceRule[],
  mail: Pick<InboundEmail, 'from' | 'subject' | 'text'>,
): MarketplaceMatch | undefined {
  for (const rule of rules) {
    if (!new RegExp(rule.from, 'i').test(mail.from.address)) continue;
    const m = new RegExp(rule.subject, 'i').exec(mail.subject);
    const ticketRef = m?.groups?.ref ?? m?.[1];
    if (!ticketRef) continue;
    const customerEmail = rule.customerEmail ? new RegExp(rule.customerEmail, 'i').exec(mail.text)?.[1] : undefined;
    return { channel: rule.channel, ticketRef: ticketRef.trim(), customerEmail };
  }
  return undefined;
}
