/**
 * Placeholders in macros and confirmation templates: `{{customer.name}}`, `{{order.name}}`, … A template may
 * only use the placeholders listed here (checked when it is saved), so a typo fails at save time, not in a
 * customer's inbox.
 */
import { invalid } from '../kernel/errors.js';

export const PLACEHOLDERS = {
  'customer.name': "The customer's full name",
  'customer.firstName': "The customer's first name",
  'customer.email': "The customer's primary email",
  'order.name': 'The order number as customers quote it, e.g. #1001',
  'agent.name': 'The name of the agent replying',
  'conversation.subject': 'The subject of the conversation',
  amount: 'The amount refunded, formatted with its currency (e.g. $20.00)',
  'refund.destination': 'Where a refund goes: "your original payment method", "your store credit" or "your gift card"',
  'refund.made':
    'Who refunds: "We have refunded", or on a marketplace order the marketplace, e.g. "Kogan will refund" (Kogan took the payment and pays it back)',
  'refund.arrival':
    'A sentence on when the refunded money can be used: "It goes back to your original payment method and can take a few days to appear." or, for store credit and gift cards, that it is ready to use now',
  'refund.summary':
    'For a cancellation, what happens to the money: "We have refunded $20.00 to your original payment method; …", or, when nothing was paid, that there is nothing to refund',
  'refund.shippingNote':
    'For a refund, a sentence on shipping: "This includes $9.95 for shipping." when shipping was refunded, else "Shipping fees are not refunded unless we told you otherwise."',
  reason: 'The reason given for the action',
  items:
    'The items concerned, e.g. "1 × Desk lamp"; for a refund, everything it covers: "1 × Desk lamp", "shipping" or "1 × Desk lamp and shipping"',
  'exchange.summary':
    'For an exchange, what is exchanged or replaced and what the price difference did, in whole sentences',
  'exchange.nextSteps': 'For an exchange, what happens next: when the new item ships and how the old one comes back',
  'return.id': 'The return id',
  'return.trackingId': 'The return tracking id to quote',
  'product.from': 'The product swapped from',
  'product.to': 'The product swapped to',
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;
export type PlaceholderValues = Partial<Record<Placeholder, string>>;

// Anything between `{{` and `}}` is a placeholder, whatever its spelling, so a misspelt one (`{{customer.first_name}}`)
// is refused when saved instead of reaching a customer verbatim.
const PATTERN = /\{\{([^{}]*)\}\}/g;

/** Only the names listed above: `{{constructor}}` or `{{toString}}` are not placeholders (no inherited keys). */
export function isPlaceholder(name: string): name is Placeholder {
  return Object.hasOwn(PLACEHOLDERS, name);
}

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]!.trim());
}

/** The placeholders `text` uses that `values` has no value for, each once: what a macro still needs to be sent. */
export function missingPlaceholders(text: string, values: PlaceholderValues): Placeholder[] {
  const names = placeholdersIn(text).filter(isPlaceholder);
  return [...new Set(names)].filter((name) => !values[name]);
}

/** Throws invalid_argument naming the field and the unknown placeholder. */
export function assertKnownPlaceholders(field: string, text: string): void {
  const unknown = placeholdersIn(text).filter((p) => !isPlaceholder(p));
  if (unknown.length)
    throw invalid(
      field,
      `unknown placeholder {{${unknown[0]}}}; use one of ${Object.keys(PLACEHOLDERS)
        .map((p) => `{{${p}}}`)
        .join(', ')}`,
    );
}

/**
 * Fills the placeholders; one without a value becomes empty text, and a paragraph left empty by it goes away (no
 * blank run of lines, no trailing blank line), so a sentence placeholder that does not apply leaves no gap.
 */
export function renderTemplate(text: string, values: PlaceholderValues): string {
  const filled = text.replace(PATTERN, (_, raw: string) => {
    const name = raw.trim();
    return isPlaceholder(name) && Object.hasOwn(values, name) ? (values[name] ?? '') : '';
  });
  return filled === text
    ? text
    : filled
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .replace(/\n\s*$/, '');
}

/** The events that send the customer a confirmation (the Shopify order rules), and the built-in wording. */
export const TEMPLATE_KEYS = [
  'order.canceled',
  'refund.issued',
  'return.requested',
  'return.refunded',
  'product.swapped',
  'exchange.requested',
  'approval.declined',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export interface TemplateText {
  subject: string;
  body: string;
}

export const DEFAULT_TEMPLATES: Record<TemplateKey, TemplateText> = {
  'order.canceled': {
    subject: 'Your order {{order.name}} has been canceled',
    body: 'Hi {{customer.firstName}},\n\nYour order {{order.name}} has been canceled. {{refund.summary}}\n\nIf you have any questions, just reply to this message.',
  },
  'refund.issued': {
    subject: 'Refund for your order {{order.name}}',
    body: 'Hi {{customer.firstName}},\n\n{{refund.made}} {{amount}} for {{items}} on your order {{order.name}}. {{refund.arrival}}\n\n{{refund.shippingNote}}',
  },
  'return.requested': {
    subject: 'Your return for order {{order.name}}',
    body: 'Hi {{customer.firstName}},\n\nWe have started a return of {{items}} from your order {{order.name}}. Your return tracking id is {{return.trackingId}}.\n\nThe return will be approved first, and only then will the pickup of the item begin. Shipping fees are not refunded; only the item cost will be refunded.',
  },
  'return.refunded': {
    subject: 'Your return for order {{order.name}} has been refunded',
    body: 'Hi {{customer.firstName}},\n\nWe received your return {{return.trackingId}}. {{refund.made}} {{amount}} for {{items}}. {{refund.arrival}}\n\nShipping fees are not refunded on a return; only the item cost is.',
  },
  'product.swapped': {
    subject: 'Your purchase on order {{order.name}} has been changed',
    body: 'Hi {{customer.firstName}},\n\nWe have changed {{product.from}} to {{product.to}} on your order {{order.name}}. Your new access codes are ready in your account.',
  },
  'exchange.requested': {
    subject: 'Your exchange for order {{order.name}}',
    body: 'Hi {{customer.firstName}},\n\n{{exchange.summary}}\n\n{{exchange.nextSteps}}\n\nIf you have any questions, just reply to this message.',
  },
  'approval.declined': {
    subject: 'About your request on order {{order.name}}',
    body: 'Hi {{customer.firstName}},\n\nWe looked at your request on order {{order.name}} and cannot go ahead with it: {{reason}}.\n\nIf you have any questions, just reply to this message.',
  },
};

export function isTemplateKey(k: string): k is TemplateKey {
  return (TEMPLATE_KEYS as readonly string[]).includes(k);
}
