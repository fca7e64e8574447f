import { describe, expect, it } from 'vitest';
import { parseAnswer, parseEvidence } from './answers.js';
import type { StepOf } from './format.js';

const items: StepOf<'ask'> = { id: 'items', kind: 'ask', input: 'items', type: 'items' };
const ticket: StepOf<'manual'> = {
  id: 'ticket',
  kind: 'manual',
  hints: [],
  evidence: { ticketRef: { type: 'string' } },
};

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('not refused');
};

describe('fields an answer or evidence does not take are refused, not dropped', () => {
  it('an items answer with a field beside itemId and quantity', () => {
    expect(parseAnswer(items, [{ itemId: 'li_a1', quantity: 1 }])).toEqual([{ itemId: 'li_a1', quantity: 1 }]);
    const e = refusal(() => parseAnswer(items, [{ itemId: 'li_a1', quantity: 1, qty: 2 }]));
    expect(e).toMatchObject({
      code: 'invalid_argument',
      message: 'answer.0.qty: no such field; answer.0 takes itemId, quantity.',
      details: { reason: 'invalid_answer', fields: [{ path: 'answer.0.qty', message: 'unknown field' }] },
    });
  });

  it('evidence with a field the step does not name', () => {
    expect(parseEvidence(ticket, { ticketRef: 'T-1' })).toEqual({ ticketRef: 'T-1' });
    const e = refusal(() => parseEvidence(ticket, { ticketRef: 'T-1', extra: 'x' }));
    expect(e).toMatchObject({
      code: 'invalid_argument',
      message: 'evidence.extra: no such field; evidence takes ticketRef.',
      details: { reason: 'invalid_evidence', fields: [{ path: 'evidence.extra', message: 'unknown field' }] },
    });
  });
});

describe('an order answer is whatever the customer quotes for the order', () => {
  const order: StepOf<'ask'> = { id: 'order', kind: 'ask', input: 'orderId', type: 'order' };
  it('takes an id, a number (as #n) and a channel reference such as ESG-58231467 or #W2378156', () => {
    expect(parseAnswer(order, 'ord_abcd1234')).toBe('ord_abcd1234');
    expect(parseAnswer(order, 1001)).toBe('#1001');
    expect(parseAnswer(order, ' ESG-58231467 ')).toBe('ESG-58231467');
    expect(parseAnswer(order, '#W2378156')).toBe('#W2378156');
  });
  it('refuses text no order reference can be', () => {
    expect(refusal(() => parseAnswer(order, 'my order from last week'))).toMatchObject({
      code: 'invalid_argument',
      details: { reason: 'invalid_answer' },
    });
  });
});

describe('an answer or evidence of spaces only is nothing given', () => {
  it('refuses a blank ticket reference as required, with the label the procedure gives it', () => {
    const labelled: StepOf<'manual'> = {
      ...ticket,
      evidence: { ticketRef: { type: 'string', label: 'The Kogan ticket reference' } },
    };
    expect(refusal(() => parseEvidence(labelled, { ticketRef: '   ' }))).toMatchObject({
      code: 'invalid_argument',
      message: 'evidence.ticketRef: The Kogan ticket reference is required before the next step unlocks',
      details: { reason: 'invalid_evidence' },
    });
    expect(parseEvidence(labelled, { ticketRef: ' KT-4471203 ' })).toEqual({ ticketRef: 'KT-4471203' });
  });
  it('refuses a blank text answer', () => {
    const text: StepOf<'ask'> = { id: 'why', kind: 'ask', input: 'why', type: 'text' };
    expect(refusal(() => parseAnswer(text, ' \n '))).toMatchObject({ details: { reason: 'invalid_answer' } });
  });
});
