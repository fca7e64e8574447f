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
    expect(renderTemplate('{{ customer.firstName }} / {{order.name}}', { 'customer.firstName': 'Ana', 'order.name': '#1' })).toBe('Ana / #1');
  });
});
