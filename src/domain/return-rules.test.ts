import { describe, expect, it } from 'vitest';
import { checkReturnEligibility, returnableQuantity, type ReturnLineState } from './return-rules.js';
import { resolveReturnWindow, type ReturnWindow } from './return-window.js';

const line = (over: Partial<ReturnLineState> = {}): ReturnLineState => ({
  lineId: 'li_1',
  sku: 'LAMP',
  title: 'Lamp',
  quantity: 3,
  delivered: 3,
  returnable: true,
  returnedOrRequested: 0,
  refundedWithoutReturn: 0,
  exchanged: 0,
  ...over,
});
const win: ReturnWindow = { days: 30, source: 'default' };
const order = (now: string, window = win) => ({
  name: '#1001',
  placedAt: '2026-11-01T00:00:00.000Z',
  canceled: false,
  now: new Date(now),
  window,
});

describe('return rules', () => {
  it('resolves the window most specific first: product > category > channel > store > 30 days', () => {
    const rules = [
      { scope: 'category' as const, key: 'shoes', windowDays: 60 },
      { scope: 'channel' as const, key: 'kogan', windowDays: 14 },
      { scope: 'store' as const, key: '*', windowDays: 45 },
    ];
    expect(resolveReturnWindow({ productWindowDays: 7, category: 'shoes', channel: 'kogan' }, rules)).toEqual({
      days: 7,
      source: 'product',
    });
    expect(resolveReturnWindow({ productWindowDays: null, category: 'shoes', channel: 'kogan' }, rules)).toEqual({
      days: 60,
      source: 'category',
    });
    expect(resolveReturnWindow({ productWindowDays: null, category: 'home', channel: 'kogan' }, rules)).toEqual({
      days: 14,
      source: 'channel',
    });
    expect(resolveReturnWindow({ productWindowDays: null, category: null, channel: 'web' }, rules)).toEqual({
      days: 45,
      source: 'store',
    });
    expect(resolveReturnWindow({ productWindowDays: null, category: null, channel: 'web' }, [])).toEqual({
      days: 30,
      source: 'default',
    });
  });

  it('counts the window from order placement: the last day is in, the day after is out', () => {
    expect(checkReturnEligibility(line(), order('2026-12-01T00:00:00.000Z')).eligible).toBe(true);
    const late = checkReturnEligibility(line(), order('2026-12-01T00:00:00.001Z'));
    expect(late.reason).toBe('return_window_expired');
    expect(late.window.deadline).toBe('2026-12-01T00:00:00.000Z');
    expect(late.message).toMatch(/30-day return window .* ended on 1 December 2026/);
  });

  it('refuses a no-return item with not_returnable', () => {
    expect(checkReturnEligibility(line({ returnable: false }), order('2026-11-05T00:00:00Z')).reason).toBe(
      'not_returnable',
    );
  });

  it('refuses an item in transit with not_delivered: it can be returned after it is delivered', () => {
    const r = checkReturnEligibility(line({ delivered: 0 }), order('2026-11-05T00:00:00Z'));
    expect(r.reason).toBe('not_delivered');
    expect(r.message).toMatch(/can be returned after it is delivered/);
  });

  it('never returns more than delivered less returned or requested', () => {
    expect(returnableQuantity(line({ delivered: 2, returnedOrRequested: 1 }))).toBe(1);
    expect(returnableQuantity(line({ delivered: 3, returnedOrRequested: 1, exchanged: 1 }))).toBe(1);
    expect(returnableQuantity(line({ delivered: 2, exchanged: 2 }))).toBe(0);
    const r = checkReturnEligibility(line({ delivered: 2, returnedOrRequested: 1 }), order('2026-11-05T00:00:00Z'), 2);
    expect(r.reason).toBe('exceeds_returnable_quantity');
    expect(r.returnableQuantity).toBe(1);
    expect(checkReturnEligibility(line({ returnedOrRequested: 3 }), order('2026-11-05T00:00:00Z')).reason).toBe(
      'exceeds_returnable_quantity',
    );
  });

  it('does not count an undelivered unit refunded as lost against the delivered ones', () => {
    expect(returnableQuantity(line({ delivered: 2, refundedWithoutReturn: 1 }))).toBe(2);
  });
});
