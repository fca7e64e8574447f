import { describe, expect, it } from 'vitest';
import { STRINGS, stringsFor } from './strings.js';

describe('the widget in the visitor language', () => {
  it('speaks each locale it has, by language, and English for any other', () => {
    expect(stringsFor('de', {}).open).toBe('Chatten Sie mit uns');
    expect(stringsFor('fr-CA', {}).title).toBe('Discuter avec le support');
    expect(stringsFor('ES', {}).send).toBe(STRINGS.es.send);
    expect(stringsFor('ja', {})).toEqual(STRINGS.en);
  });

  it('has every string in every locale', () => {
    for (const words of Object.values(STRINGS))
      expect(Object.keys(words).sort()).toEqual(Object.keys(STRINGS.en).sort());
  });

  it('takes any string from the script tag instead (data-text-<key>, in kebab-case)', () => {
    const t = stringsFor('de', { textTitle: 'Brauchen Sie Hilfe?', textSendFailed: 'Nicht gesendet.' });
    expect(t.title).toBe('Brauchen Sie Hilfe?');
    expect(t.sendFailed).toBe('Nicht gesendet.');
    expect(t.open).toBe('Chatten Sie mit uns');
  });
});
