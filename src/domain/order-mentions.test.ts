import { describe, expect, it } from 'vitest';
import { orderMentionsIn } from './order-mentions.js';

describe('orderMentionsIn', () => {
  it('finds order numbers and channel references a customer quotes', () => {
    expect(orderMentionsIn('Hi, about #1004 and order 1002 (Kogan ESG-58231467, esg-11112222)')).toEqual([
      '#1004',
      '#1002',
      'ESG-58231467',
      'ESG-11112222',
    ]);
    expect(orderMentionsIn('my marketplace order #W2378156')).toEqual(['W2378156']);
  });

  it('takes no bare number, and each reference once', () => {
    expect(orderMentionsIn('call me on 0412 345 678, I ordered 2 lamps')).toEqual([]);
    expect(orderMentionsIn('#1004 … again #1004')).toEqual(['#1004']);
  });
});
