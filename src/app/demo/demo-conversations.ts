/**
 * The demo's conversations (docs/demo-store.md), so a new user has work to open right after signing in. Each arrives
 * through its channel's own code, as it would from outside: the emails through the email ingest (`receiveEmail`: sender
 * matched to the customer, threading by In-Reply-To), Olivia's Kogan ticket through a marketplace mail rule, Jordan's
 * chat through the chat widget's own code (`sendVisitorMessage`) as a logged-in customer the store vouches for. Their
 * text, senders, Message-IDs and times (counted back from the demo's `now`) are fixed; their ids are made by that code,
 * as for any message.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { findVisitorConversation } from '../../db/repo/chat.js';
import { findCustomerIdByEmail } from '../../db/repo/email.js';
import type { InboundEmail, MarketplaceRule } from '../../domain/email.js';
import type { AppContext } from '../context.js';
import { receiveEmail } from '../email/receive-email.js';
import { VisitorMessageInput } from '../chat/schemas.js';
import { sendVisitorMessage } from '../chat/send-visitor-message.js';
import { listConversations } from '../inbox/list-conversations.js';
import { DEMO_EMAILS } from './fixed-cases.js';

/** The marketplace rule the demo's Kogan mail is filed by: the example of docs/email.md (Marketplace mail). */
export const DEMO_KOGAN_RULE: MarketplaceRule = {
  channel: 'kogan',
  from: '@(marketplace\\.)?kogan\\.com$',
  subject: 'ticket (?<ref>[A-Z0-9-]+)',
  customerEmail: 'Customer email: (\\S+@\\S+)',
};

/** The Kogan ticket of the demo: the conversation's external ref. */
export const DEMO_KOGAN_TICKET = 'KT-4471203';

const MINUTE = 60_000;

function email(
  minutesAgo: number,
  m: {
    id: string;
    from: string;
    name: string;
    subject: string;
    text: string;
    inReplyTo?: string;
    headers?: Record<string, string>;
  },
): { minutesAgo: number; mail: InboundEmail } {
  return {
    minutesAgo,
    mail: {
      messageId: `<${m.id}@demo.sopdesk.example>`,
      inReplyTo: m.inReplyTo ? `<${m.inReplyTo}@demo.sopdesk.example>` : null,
      references: m.inReplyTo ? [`<${m.inReplyTo}@demo.sopdesk.example>`] : [],
      from: { address: m.from, name: m.name },
      replyTo: null,
      subject: m.subject,
      text: m.text,
      headers: m.headers ?? {},
      contentType: 'text/plain',
      attachments: [],
    },
  };
}

const EMAILS = [
  email(26 * 60, {
    id: 'mohammed-1',
    from: DEMO_EMAILS.mohammed,
    name: 'Mohammed Rahman',
    subject: 'Wrong edition of BoardReview',
    text: 'Hi,\n\nLast week I bought BoardReview 2.0, but my course uses the 3.0 edition. Can you swap it for 3.0? The codes I got are still unused.\n\nThanks,\nMohammed',
  }),
  email(3 * 60, {
    id: 'mohammed-2',
    from: DEMO_EMAILS.mohammed,
    name: 'Mohammed Rahman',
    subject: 'Re: Wrong edition of BoardReview',
    inReplyTo: 'mohammed-1',
    text: 'Hello again — my course starts on Monday, so I would be grateful for the 3.0 codes before then.\n\n> Last week I bought BoardReview 2.0, but my course uses the 3.0 edition.',
  }),
  email(5 * 60, {
    id: 'kogan-ticket',
    from: 'messages@marketplace.kogan.com',
    name: 'Kogan Marketplace',
    subject: `New customer message - ticket ${DEMO_KOGAN_TICKET}`,
    headers: { 'auto-submitted': 'auto-generated' },
    text: `A customer sent you a message about order ESG-58231467.\n\nCustomer email: ${DEMO_EMAILS.kogan}\n\nMessage: The queen sheets arrived with a tear along the seam. Can I get a replacement, or else a refund?\n\nReply within 48 hours in the Kogan seller portal.`,
  }),
  email(90, {
    id: 'priya-1',
    from: DEMO_EMAILS.partialPaid,
    name: 'Priya Patel',
    subject: 'The rest of my mugs?',
    text: 'Hi, two of my five mugs arrived. When do the other three ship, and do I still owe anything on the order?\n\nPriya',
  }),
  email(40, {
    id: 'grace-1',
    from: DEMO_EMAILS.giftCard,
    name: 'Grace Kim',
    subject: 'Store credit',
    text: 'Hello! Can I use the store credit on my account for my next order, together with my gift card?',
  }),
];

/**
 * Loads the demo's conversations into a store that holds the demo's customers and orders; `now` is the demo's clock.
 * Returns how many conversations they opened.
 */
export async function loadDemoConversations(ctx: AppContext, now: Date): Promise<number> {
  const at = (minutesAgo: number): AppContext => ({
    ...ctx,
    clock: { now: () => new Date(now.getTime() - minutesAgo * MINUTE) },
  });
  const arrivals: { minutesAgo: number; arrive: () => Promise<string | undefined> }[] = EMAILS.map(
    ({ minutesAgo, mail }) => ({
      minutesAgo,
      arrive: async () => {
        const r = await receiveEmail(at(minutesAgo), mail, { marketplaceRules: [DEMO_KOGAN_RULE] });
        return r.kind === 'ignored' ? undefined : r.conversationId;
      },
    }),
  );
  const jordan = await findCustomerIdByEmail(ctx.database.db, DEMO_EMAILS.returns);
  if (jordan) {
    // Jordan is logged in on the store: the widget's first message carries the store's signature of his id, made
    // here with a secret of this load as a store's server makes it with SOPDESK_WIDGET_SECRET, and checked by the
    // same code; so his chat is bound to him as verified. Loaded once: a second load finds his chat and adds none.
    const secret = randomBytes(32).toString('hex');
    const identity = { customerId: jordan, hash: createHmac('sha256', secret).update(jordan).digest('hex') };
    const chats = await listConversations(ctx, { customerId: jordan, channel: 'chat', limit: 1 });
    let token: string | undefined;
    const visitor = (minutesAgo: number, body: string) => ({
      minutesAgo,
      arrive: async () => {
        if (chats.items.length) return undefined;
        const sent = await sendVisitorMessage(
          at(minutesAgo),
          token,
          VisitorMessageInput.parse(token ? { body } : { body, identity }),
          { identitySecret: secret },
        );
        token ??= sent.visitorToken;
        return findVisitorConversation(ctx.database.db, sent.message.id);
      },
    });
    arrivals.push(
      visitor(16, 'Hi, I would like to return a T-shirt.'),
      visitor(15, 'The black T-shirt from my last order is too small. I still have the tags on.'),
    );
  }
  // Oldest first, so each conversation's messages and the timeline read in the order they came.
  arrivals.sort((a, b) => b.minutesAgo - a.minutesAgo);
  const conversations = new Set<string>();
  for (const a of arrivals) {
    const id = await a.arrive();
    if (id) conversations.add(id);
  }
  return conversations.size;
}
