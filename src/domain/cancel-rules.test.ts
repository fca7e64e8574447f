import { describe, expect, it } from 'vitest';
import type { DomainError } from '../kernel/errors.js';
import { checkCancelable, defaultCancelRefund } from './cancel-rules.js';

function reasonOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as DomainError).details.reason as string;
  }
}

describe('cancel rules', () => {
  it('cancels only orders that are not canceled and have nothing delivered', () => {
    expect(reasonOf(() => checkCancelable({ name: '#1', orderStatus: 'canceled', anyDelivered: false }))).toBe(
      'order_canceled',
    );
    expect(reasonOf(() => checkCancelable({ name: '#1', orderStatus: 'open', anyDelivered: true }))).toBe(
      'order_delivered',
    );
    expect(reasonOf(() => checkCancelable({ name: '#1', orderStatus: 'open', anyDelivered: false }))).toBeUndefined();
  });

  it('refunds everything by default, keeping shipping back once something has shipped', () => {
    expect(defaultCancelRefund({ refundable: 5500 }, 500, false)).toBe(5500);
    expect(defaultCancelRefund({ refundable: 5500 }, 500, true)).toBe(5000);
    expect(defaultCancelRefund({ refundable: 300 }, 500, true)).toBe(0);
  });
});
