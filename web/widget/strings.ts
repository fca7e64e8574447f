/**
 * The widget's words. A locale is picked by `data-locale` or the page's language; any one string can be overridden
 * on the script tag with `data-text-<key>` (e.g. `data-text-title="Need help?"`, keys written in kebab-case).
 */
export const STRINGS = {
  en: {
    open: 'Chat with us',
    close: 'Close chat',
    title: 'Chat with support',
    intro: 'Ask us anything about your order. We usually answer within a few minutes.',
    email: 'Your email',
    emailHint: 'So we can reach you if you leave this page.',
    message: 'Message',
    send: 'Send',
    sending: 'Sending…',
    you: 'You',
    support: 'Support',
    unread: 'unread replies',
    sendFailed: 'Your message was not sent. Please try again.',
    tooMany: 'Too many messages at once. Please wait a moment.',
    invalidEmail: 'Please enter a valid email address.',
    unavailable: 'Chat is not available right now.',
  },
  de: {
    open: 'Chatten Sie mit uns',
    close: 'Chat schließen',
    title: 'Chat mit dem Support',
    intro: 'Fragen Sie uns alles zu Ihrer Bestellung. Wir antworten meist innerhalb weniger Minuten.',
    email: 'Ihre E-Mail-Adresse',
    emailHint: 'Damit wir Sie erreichen, falls Sie die Seite verlassen.',
    message: 'Nachricht',
    send: 'Senden',
    sending: 'Wird gesendet…',
    you: 'Sie',
    support: 'Support',
    unread: 'ungelesene Antworten',
    sendFailed: 'Ihre Nachricht wurde nicht gesendet. Bitte versuchen Sie es erneut.',
    tooMany: 'Zu viele Nachrichten auf einmal. Bitte warten Sie einen Moment.',
    invalidEmail: 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
    unavailable: 'Der Chat ist gerade nicht verfügbar.',
  },
  fr: {
    open: 'Discuter avec nous',
    close: 'Fermer le chat',
    title: 'Discuter avec le support',
    intro: 'Posez-nous vos questions sur votre commande. Nous répondons en général en quelques minutes.',
    email: 'Votre e-mail',
    emailHint: 'Pour vous répondre si vous quittez cette page.',
    message: 'Message',
    send: 'Envoyer',
    sending: 'Envoi…',
    you: 'Vous',
    support: 'Support',
    unread: 'réponses non lues',
    sendFailed: "Votre message n'a pas été envoyé. Veuillez réessayer.",
    tooMany: 'Trop de messages à la fois. Veuillez patienter un instant.',
    invalidEmail: 'Veuillez saisir une adresse e-mail valide.',
    unavailable: "Le chat n'est pas disponible pour le moment.",
  },
  es: {
    open: 'Chatea con nosotros',
    close: 'Cerrar el chat',
    title: 'Chat con soporte',
    intro: 'Pregúntanos lo que quieras sobre tu pedido. Solemos responder en pocos minutos.',
    email: 'Tu correo electrónico',
    emailHint: 'Para poder responderte si sales de esta página.',
    message: 'Mensaje',
    send: 'Enviar',
    sending: 'Enviando…',
    you: 'Tú',
    support: 'Soporte',
    unread: 'respuestas sin leer',
    sendFailed: 'Tu mensaje no se envió. Inténtalo de nuevo.',
    tooMany: 'Demasiados mensajes a la vez. Espera un momento.',
    invalidEmail: 'Introduce un correo electrónico válido.',
    unavailable: 'El chat no está disponible ahora mismo.',
  },
} as const;

export type Strings = { -readonly [K in keyof (typeof STRINGS)['en']]: string };

/** The strings for `locale` (its language, else English), with the script tag's `data-text-*` overrides. */
export function stringsFor(locale: string, data: DOMStringMap): Strings {
  const lang = locale.toLowerCase().split('-')[0] as keyof typeof STRINGS;
  const out: Strings = { ...STRINGS.en, ...(STRINGS[lang] ?? {}) };
  for (const key of Object.keys(out) as (keyof Strings)[]) {
    // data-text-new-reply → dataset.textNewReply
    const v = data[`text${key[0]!.toUpperCase()}${key.slice(1)}`];
    if (v) out[key] = v;
  }
  return out;
}
