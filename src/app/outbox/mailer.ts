/** The port the outbox sends mail through; src/connectors/smtp-mailer.ts implements it with nodemailer. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Our message id (`<msg_…@domain>`), so a reply or a bounce can be matched. */
  messageId: string;
  /** The customer's email this answers, and the thread's ids before it, so their mail client threads the reply. */
  inReplyTo?: string | undefined;
  references?: string[] | undefined;
}

export interface Mailer {
  /** The domain of our Message-IDs (the From address's); default `sopdesk`. */
  domain?: string | undefined;
  send(mail: OutgoingMail): Promise<void>;
}
