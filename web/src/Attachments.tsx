import type { Conversation } from './api/types';

type Message = Conversation['messages'][number];

/** The images the server shows inline (src/domain/attachments.ts); any other file is a download. */
const PREVIEWED = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The files a customer's email carried: name and size, a download link, and a preview of each image. */
export function Attachments({ conversationId, message }: { conversationId: string; message: Message }) {
  if (message.attachments.length === 0) return null;
  const base = `/v1/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(message.id)}/attachments`;
  return (
    <ul className="attachments" aria-label="Attachments">
      {message.attachments.map((a) => {
        const href = `${base}/${a.position}`;
        const preview = a.stored && PREVIEWED.includes(a.contentType.toLowerCase());
        return (
          <li key={a.position}>
            {preview && (
              <a href={`${href}?inline=true`} target="_blank" rel="noopener noreferrer">
                <img src={`${href}?inline=true`} alt={`Preview of ${a.filename}`} loading="lazy" />
              </a>
            )}
            {a.stored ? (
              <a href={href} download={a.filename}>
                {a.filename}
              </a>
            ) : (
              <span>{a.filename}</span>
            )}{' '}
            <span className="muted">
              {formatSize(a.size)}
              {!a.stored && ' — too large to keep, left in the mailbox'}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
