/**
 * A storefront visitor wrote in the chat widget (docs/chat-widget.md). A first message (no visitor token) makes the
 * visitor: an anonymous one by the email they typed (an unknown address becomes a new customer, as for email), a
 * logged-in customer by the store's signed identity, which binds the conversation to that customer as verified. The
 * message goes through the inbox's own `receiveMessageIn` on channel `chat`, with the visitor's id as the ticket id:
 * the visitor's messages join one conversation, and after it is closed the next one opens a new conversation.
 */
import { findVisitorMessage, insertVisitor } from '../../db/repo/chat.js';
import { findCustomerById, findCustomersByExternalId } from '../../db/repo/customers.js';
import { findCustomerIdByEmail, insertCustomerWithEmail } from '../../db/repo/email.js';
import type { Actor } from '../../domain/timeline.js';
import { DomainError, invalid } from '../../kernel/errors.js';
import { newId } from '../../kernel/ids.js';
import { TEXT_LIMITS } from '../../kernel/limits.js';
import { truncateText } from '../../kernel/text.js';
import type { AppContext } from '../context.js';
import { receiveMessageIn } from '../inbox/receive-message.js';
import { write, type WriteScope } from '../write.js';
import { assertIdentity, newVisitorToken, visitorTokenHash } from './identity.js';
import { authenticateVisitor, toVisitorMessage, type VisitorMessage } from './visitor.js';
import type { VisitorMessageInput } from './schemas.js';

const WIDGET_ACTOR: Actor = { kind: 'system', id: 'chat_widget' };
const SUBJECT_CHARS = 100;

export interface VisitorMessageSent {
  /** Only for a new visitor: the secret the widget keeps and sends back. */
  visitorToken?: string;
  verified: boolean;
  message: VisitorMessage;
}

export async function sendVisitorMessage(
  ctx: AppContext,
  token: string | undefined,
  input: VisitorMessageInput,
  opts: { identitySecret?: string | undefined; idempotencyKey?: string | undefined },
): Promise<VisitorMessageSent> {
  const known = token === undefined ? undefined : await authenticateVisitor(ctx.database.db, token);
  if (known && (input.email !== undefined || input.identity !== undefined))
    throw invalid(input.identity ? 'identity' : 'email', 'a visitor with a token is known already: send only the body');
  if (!known && input.identity) assertIdentity(input.identity, opts.identitySecret);
  else if (!known && input.email === undefined)
    throw invalid('email', 'an email is needed to start a chat, so that support can answer', {
      reason: 'email_required',
    });
  // A retry of the same message (same key) is stored once; keys are the visitor's own.
  const idempotencyKey = known && opts.idempotencyKey ? `${known.id}:${opts.idempotencyKey}` : undefined;
  return write(
    ctx,
    'send_visitor_message',
    { visitorId: known?.id ?? null, body: input.body },
    { actor: WIDGET_ACTOR, idempotencyKey },
    async (scope) => {
      let visitor = known;
      let visitorToken: string | undefined;
      if (!visitor) {
        visitorToken = newVisitorToken();
        visitor = {
          id: newId('visitor', scope.now.getTime()),
          customerId: await customerOf(scope, input),
          verified: input.identity !== undefined,
        };
        await insertVisitor(scope.tx, {
          ...visitor,
          tokenHash: visitorTokenHash(visitorToken),
          at: scope.now.toISOString(),
        });
      }
      const { messageId } = await receiveMessageIn(scope, {
        customerId: visitor.customerId,
        channel: 'chat',
        subject: truncateText(input.body.split('\n')[0]!.trim(), SUBJECT_CHARS),
        body: input.body,
        externalRef: visitor.id,
      });
      const message = toVisitorMessage((await findVisitorMessage(scope.tx, messageId))!);
      return { ...(visitorToken ? { visitorToken } : {}), verified: visitor.verified, message };
    },
  );
}

/** The customer a new visitor is: the one the store's identity names, or the one with the email they typed. */
async function customerOf(scope: WriteScope, input: VisitorMessageInput): Promise<string> {
  const id = input.identity?.customerId;
  if (id !== undefined) {
    const found = id.startsWith('cus_')
      ? [await findCustomerById(scope.tx, id)].filter((c) => c !== undefined)
      : await findCustomersByExternalId(scope.tx, 'shopify', id);
    if (found.length !== 1)
      throw new DomainError('not_found', `No customer ${id} here: give the customer's sopdesk or Shopify id.`, {
        reason: 'unknown_customer',
        fields: [{ path: 'identity.customerId', message: 'no such customer' }],
      });
    return found[0]!.id;
  }
  const email = (input.identity?.email ?? input.email)!.trim().toLowerCase();
  const known = await findCustomerIdByEmail(scope.tx, email);
  if (known) return known;
  const name = truncateText(email.split('@')[0]!, TEXT_LIMITS.name);
  const made = await insertCustomerWithEmail(scope.tx, {
    id: newId('customer', scope.now.getTime()),
    name,
    email,
    at: scope.now.toISOString(),
  });
  if (made.created)
    await scope.record({ type: 'customer.created', customerId: made.id, data: { name, emails: [email] } });
  return made.id;
}
