import type { Transporter } from 'nodemailer';
import type { Mailer } from '../app/outbox/mailer.js';

/**
 * Sends mail with nodemailer. `transport` is an SMTP URL (`smtp://user:pass@host:587`, `smtps://…`) or any
 * nodemailer transport options (tests use `{ streamTransport: true, buffer: true }`). nodemailer loads with the first
 * mail sent, so a start does not wait for it.
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
  let made: Promise<Transporter> | undefined;
  const transporter = () =>
    (made ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(opts as Parameters<typeof nodemailer.createTransport>[0]),
    ));
  const sent: { to: string; subject: string; raw?: string }[] = [];
  // SOPDESK_SMTP_FROM is an address or `"Name" <address>`; our Message-IDs take the address's domain.
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return {
    sent,
    domain: address.split('@')[1]?.trim() || undefined,
    async send(mail) {
      const info = (await (
        await transporter()
      ).sendMail({
        from: fromName ? { name: fromName, address } : from,
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
