/** The port the outbox sends mail through; src/connectors/smtp-mailer.ts implements it with nodemailer. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Our message id, so a reply or a bounce can be matched. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}
