/** One file a customer's email carried, for an agent to download (docs/email.md, Attachments). */
import { findEmailAttachment } from '../../db/repo/email.js';
import { DomainError, notFound } from '../../kernel/errors.js';
import type { AppContext } from '../context.js';

export interface AttachmentFile {
  filename: string;
  contentType: string;
  size: number;
  content: Uint8Array;
}

export async function getAttachment(
  ctx: AppContext,
  key: { conversationId: string; messageId: string; position: number },
): Promise<AttachmentFile> {
  const a = await findEmailAttachment(ctx.database.db, key);
  if (!a) throw notFound('attachment', `${key.messageId}/${key.position}`);
  if (!a.content)
    throw new DomainError(
      'not_found',
      `${a.filename} (${a.size} bytes) was over the size limit and was left in the mailbox: open it in the mail client.`,
      { reason: 'attachment_not_stored', entity: 'attachment', id: `${key.messageId}/${key.position}` },
    );
  return { filename: a.filename, contentType: a.contentType, size: a.size, content: a.content };
}
