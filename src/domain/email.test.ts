import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  automatedReason,
  baseSubject,
  foldQuoted,
  markedConversation,
  matchMarketplace,
  sentMessageId,
  subjectMarker,
  threadIds,
} from './email.js';
import { newId } from '../kernel/ids.js';

const person: { address: string; name: string | null } = { address: 'jane@example.com', name: 'Jane' };
const plain = (headers: Record<string, string> = {}, from = person) => ({ headers, from, contentType: 'text/plain' });

describe('automated mail', () => {
  it('Auto-Submitted other than "no", Precedence bulk/list/junk, List-Id, delivery reports and bounce senders are automated', () => {
    expect(automatedReason(plain({ 'auto-submitted': 'auto-replied' }))).toBe('auto_submitted');
    expect(automatedReason(plain({ 'auto-submitted': 'auto-generated' }))).toBe('auto_submitted');
    expect(automatedReason(plain({ precedence: 'bulk' }))).toBe('bulk_precedence');
    expect(automatedReason(plain({ precedence: 'Junk' }))).toBe('bulk_precedence');
    expect(automatedReason(plain({ 'list-id': '<a.b.c>' }))).toBe('mailing_list');
    expect(automatedReason({ ...plain(), contentType: 'multipart/report' })).toBe('bounce');
    expect(automatedReason(plain({}, { address: 'MAILER-DAEMON@mx.example.com', name: null }))).toBe('bounce');
    expect(automatedReason(plain({}, { address: 'postmaster@example.com', name: null }))).toBe('bounce');
    expect(automatedReason(plain({ 'x-autoreply': 'yes' }))).toBe('auto_reply');
  });

  it('a person\'s mail, even with "Auto-Submitted: no" or "Precedence: first-class", is not', () => {
    expect(automatedReason(plain())).toBeNull();
    expect(automatedReason(plain({ 'auto-submitted': 'no' }))).toBeNull();
    expect(automatedReason(plain({ precedence: 'first-class' }))).toBeNull();
  });
});

describe('threading', () => {
  it('the subject marker names the conversation, and is found again in any reply subject', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('', 'Re: ', 'RE: Fwd: ', 'AW: '), (subject, prefix) => {
        const id = newId('conversation');
        const s = `${prefix}${subject} ${subjectMarker(id)}`;
        expect(markedConversation(s)).toBe(id);
        expect(baseSubject(s)).toBe(baseSubject(`${prefix}${subject}`));
      }),
    );
  });

  it('reply prefixes and the marker are taken off the subject; taking them off twice changes nothing', () => {
    expect(baseSubject('Re: RE: Fwd: Lamp broken [#cnv_01ARZ3NDEKTSV4RRFFQ69G5FAV]')).toBe('Lamp broken');
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        expect(baseSubject(baseSubject(s))).toBe(baseSubject(s));
      }),
    );
  });

  it('In-Reply-To comes first, then References from the newest, without repeats', () => {
    expect(threadIds({ inReplyTo: '<c@x>', references: ['<a@x>', '<b@x>', '<c@x>'] })).toEqual([
      '<c@x>',
      '<b@x>',
      '<a@x>',
    ]);
    expect(threadIds({ inReplyTo: null, references: [] })).toEqual([]);
  });

  it('our own Message-IDs give back the message id; others do not', () => {
    const id = newId('message');
    expect(sentMessageId(`<${id}@shop.test>`)).toBe(id);
    expect(sentMessageId('<abc@mail.example>')).toBeUndefined();
  });
});

describe('folding quoted history and signatures', () => {
  it('cuts at "On … wrote:", Outlook\'s header block, a trailing quote and the signature delimiter', () => {
    expect(foldQuoted('Yes please.\n\nOn Mon, 1 Dec 2026, Shop <s@x> wrote:\n> Shall we refund?')).toBe('Yes please.');
    expect(foldQuoted('Thanks\n\nFrom: Shop <s@x>\nSent: Monday\nSubject: Re: x\n\nold')).toBe('Thanks');
    expect(foldQuoted('Thanks\n\n> old\n> older\n')).toBe('Thanks');
    expect(foldQuoted('Thanks\n-- \nJane\n+61 400 000 000')).toBe('Thanks');
    expect(foldQuoted('Thanks\r\n\r\n-----Original Message-----\r\nold')).toBe('Thanks');
  });

  it('keeps inline quotes followed by an answer, and a "From:" line that is no header block', () => {
    expect(foldQuoted('> Is it blue?\nYes, blue.')).toBe('> Is it blue?\nYes, blue.');
    expect(foldQuoted('From: my phone, sorry for typos\nIt broke.')).toBe('From: my phone, sorry for typos\nIt broke.');
  });

  it('never leaves a message empty: a mail that is all quote is kept whole', () => {
    expect(foldQuoted('> only a quote')).toBe('> only a quote');
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
        (s) => {
          expect(foldQuoted(s)).not.toBe('');
        },
      ),
    );
  });
});

describe('marketplace mail', () => {
  const rules = [
    {
      channel: 'kogan' as const,
      from: '@kogan\\.test$',
      subject: 'ticket (?<ref>KT-\\d+)',
      customerEmail: 'Customer: (\\S+@\\S+)',
    },
  ];
  it('matches sender and subject, takes the ticket reference and the customer the text names', () => {
    expect(
      matchMarketplace(rules, {
        from: { address: 'noreply@kogan.test', name: null },
        subject: 'Message on ticket KT-42',
        text: 'Customer: olivia@example.com\nHi',
      }),
    ).toEqual({ channel: 'kogan', ticketRef: 'KT-42', customerEmail: 'olivia@example.com' });
  });
  it('another sender, or a subject without a reference, is no marketplace mail', () => {
    expect(matchMarketplace(rules, { from: person, subject: 'ticket KT-42', text: '' })).toBeUndefined();
    expect(
      matchMarketplace(rules, {
        from: { address: 'noreply@kogan.test', name: null },
        subject: 'Weekly report',
        text: '',
      }),
    ).toBeUndefined();
  });
});
