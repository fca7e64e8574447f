import { describe, expect, it } from 'vitest';
import { shopifyGid } from './shopify.js';

describe('shopifyGid: the Shopify id sopdesk keeps as an external reference', () => {
  it('takes a GID of the right kind as it is, and makes one of a bare number', () => {
    expect(shopifyGid('Order', 'gid://shopify/Order/450789469')).toBe('gid://shopify/Order/450789469');
    expect(shopifyGid('Order', '450789469')).toBe('gid://shopify/Order/450789469');
    expect(shopifyGid('LineItem', '466157049')).toBe('gid://shopify/LineItem/466157049');
  });

  it('is undefined for anything else: no reference, another kind of GID, a marketplace reference', () => {
    expect(shopifyGid('Order', null)).toBeUndefined();
    expect(shopifyGid('Order', 'gid://shopify/LineItem/1')).toBeUndefined();
    expect(shopifyGid('Order', 'ESG-58231467')).toBeUndefined();
    expect(shopifyGid('Order', 'gid-4500001001')).toBeUndefined();
  });
});
