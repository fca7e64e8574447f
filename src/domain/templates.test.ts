import { describe, expect, it } from 'vitest';
import { assertKnownPlaceholders, placeholdersIn, renderTemplate } from './templates.js';

describe('template placeholders', () => {
  it('refuses names inherited from Object.prototype ({{constructor}}, {{toString}}) and never renders them', () => {
    expect(() => assertKnownPlaceholders('body', 'Hi {{constructor}}')).toThrow(/constructor/);
    expect(() => assertKnownPlaceholders('body', 'Hi {{ toString }}')).toThrow(/toString/);
    expect(renderTemplate('Hi {{constructor}}{{__proto__}}', {})).toBe('Hi ');
  });

  it('refuses any other spelling between {{ and }}: underscores, digits, dashes, spaces, empty', () => {
    for (const p of ['customer.first_name', ' return.tracking_id ', 'order2.name', 'agent-name', 'customer name', '']) {
      expect(() => assertKnownPlaceholders('subject', `x {{${p}}} y`), p).toThrow(/unknown placeholder/);
    }
    expect(placeholdersIn('{{ customer.first_name }} {{order.name}}')).toEqual(['customer.first_name', 'order.name']);
  });

  it('accepts and renders the listed names, with or without spaces', () => {
    expect(() => assertKnownPlaceholders('body', 'Hi {{customer.firstName}}, {{ return.trackingId }}')).not.toThrow();
    expect(
      renderTemplate('{{ customer.firstName }} / {{order.name}}', { 'customer.firstName': 'Ana', 'order.name': '#1' }),
    ).toBe('Ana / #1');
  });

  it('drops a paragraph a placeholder without a value left empty, and never leaves a trailing blank line', () => {
    const body =
      'Hi {{customer.firstName}},\n\nRefunded {{amount}}. {{refund.arrival}}\n\n{{refund.shippingNote}}\n\nThanks';
    expect(
      renderTemplate(body, { 'customer.firstName': 'Ana', amount: '$9.95', 'refund.arrival': 'It is back.' }),
    ).toBe('Hi Ana,\n\nRefunded $9.95. It is back.\n\nThanks');
    expect(renderTemplate('A.\n\n{{refund.shippingNote}}', {})).toBe('A.');
    expect(renderTemplate('No placeholders,\n\n\n kept as written ', {})).toBe(
      'No placeholders,\n\n\n kept as written ',
    );
  });
});
