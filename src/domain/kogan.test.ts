import { describe, expect, it } from 'vitest';
import { CANCEL_REASONS } from './cancel-rules.js';
import { RETURN_REASONS } from './return-rules.js';
import {
  KOGAN_CANCEL_REASON,
  KOGAN_CANCEL_REASONS,
  KOGAN_REFUND_REASONS,
  KOGAN_RETURN_REFUND_REASON,
  koganCarrierCode,
  koganRefundReason,
} from './kogan.js';

describe("sopdesk's reasons on Kogan's lists", () => {
  it('maps every cancel and return reason to one of Kogan’s', () => {
    for (const r of CANCEL_REASONS) expect(KOGAN_CANCEL_REASONS).toContain(KOGAN_CANCEL_REASON[r]);
    for (const r of RETURN_REASONS) expect(KOGAN_REFUND_REASONS).toContain(KOGAN_RETURN_REFUND_REASON[r]);
    expect(KOGAN_CANCEL_REASON.customer).toBe('BuyerCanceled');
  });

  it('takes a refund’s reason from its return, else from its words, else Change of Mind', () => {
    expect(koganRefundReason('anything', 'DEFECTIVE')).toBe('Faulty Item');
    expect(koganRefundReason('Arrived damaged')).toBe('Damage In Transit');
    expect(koganRefundReason('Wrong size sent')).toBe('Wrong Goods');
    expect(koganRefundReason('Parcel lost, never received')).toBe('Return Sender');
    expect(koganRefundReason('faulty part')).toBe('Faulty Part');
    expect(koganRefundReason('Listing Error')).toBe('Listing Error');
    expect(koganRefundReason('Kogan marketplace refund')).toBe('Change of Mind');
  });
});

describe("a package's carrier on Kogan's carrier codes", () => {
  it('sends a known carrier name as its code, a code as it is, and anything else as written', () => {
    expect(koganCarrierCode('AusPost')).toBe('AUP');
    expect(koganCarrierCode(' Australia Post ')).toBe('AUP');
    expect(koganCarrierCode('StarTrack')).toBe('ST');
    expect(koganCarrierCode('Couriers-Please')).toBe('CP');
    expect(koganCarrierCode('aup')).toBe('AUP');
    expect(koganCarrierCode('Pigeon Post')).toBe('Pigeon Post');
  });
});
