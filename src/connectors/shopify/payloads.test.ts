import { describe, expect, it } from 'vitest';
import { keepLongIntegers, ShopifyRefund } from './payloads.js';

describe('reading Shopify bodies', () => {
  it("keeps an id past 2^53 digit for digit (Shopify's sample payloads carry 820982911946154508), and every other value as it was", () => {
    const raw =
      '{"id":820982911946154508,"order_id":-90071992547409931,"n":9007199254740991,"price":"199.00","f":1.12345678901234567,"e":12345678901234567e2,' +
      '"s":"820982911946154508 \\"1234567890123456789\\"","a":[0,18446744073709551615],"t":true,"z":null}';
    expect(JSON.parse(keepLongIntegers(raw))).toEqual({
      id: '820982911946154508',
      order_id: '-90071992547409931',
      n: 9007199254740991,
      price: '199.00',
      // biome-ignore lint/correctness/noPrecisionLoss: the same literals as in `raw`, which parse to the same doubles
      f: 1.12345678901234567,
      // biome-ignore lint/correctness/noPrecisionLoss: the same literals as in `raw`, which parse to the same doubles
      e: 12345678901234567e2,
      s: '820982911946154508 "1234567890123456789"',
      a: [0, '18446744073709551615'],
      t: true,
      z: null,
    });
    expect(() => JSON.parse(keepLongIntegers('{"id": 820982911946154508,'))).toThrow(SyntaxError);
  });

  it('an id kept as a string is read as the id it is', () => {
    const refund = ShopifyRefund.parse(
      JSON.parse(
        keepLongIntegers(
          '{"id":890088186047892319,"order_id":820982911946154508,"created_at":"2021-12-31T19:00:00-05:00"}',
        ),
      ),
    );
    expect(refund).toMatchObject({ id: '890088186047892319', order_id: '820982911946154508' });
  });
});
