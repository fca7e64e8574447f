import nodemailer from 'nodemailer';
import type { Mailer } from '../app/outbox/mailer.js';

/**
 * Sends mail with nodemailer. `transport` is an SMTP URL (`smtp://user:pass@host:587`, `smtps://…`) or any
 * nodemailer transport options (tests use `{ streamTransport: true, buffer: true }`).
 */
export function smtpMailer(
  transport: string | Record<string, unknown>,
  from: string,
  fromName?: string,
): Mailer & { sent: { to: string; subject: string; raw?: string }[] } {
  const opts =
    typeof transport === 'string'
      ? { url: transport, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 }
      : transport;
  const t = nodemailer.createTransport(opts as Parameters<typeof nodemailer.createTransport>[0]);
  const sent: { to: string; subject: string; raw?: string }[] = [];
  return {
    sent,
    domain: from.split('@')[1] || undefined,
    async send(mail) {
      const info = (await t.sendMail({
        from: fromName ? { name: fromName, address: from } : from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references?.length ? { references: mail.references } : {}),
      })) as { message?: Buffer | string };
      sent.push({ to: mail.to, subject: mail.subject, ...(info.message ? { raw: info.message.toString() } : {}) });
    },
  };
}
