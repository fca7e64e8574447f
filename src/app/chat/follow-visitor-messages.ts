/**
 * A chat visitor's live feed (the widget's `GET /widget/v1/events`): the messages of their conversation as they are
 * written, with the same visibility as `listVisitorMessages` (never notes; confirmations only for a verified visitor).
 * It listens to the live events of the visitor's customer (src/app/live/live-events.ts) only as a signal to read the
 * visitor's messages again after its cursor: nothing of an event itself reaches the visitor, so another conversation
 * of the same customer shows nothing but what this visitor may read anyway.
 */
import { findVisitorMessages } from '../../db/repo/chat.js';
import type { AppContext } from '../context.js';
import { subscribeEvents } from '../live/live-events.js';
import { authenticateVisitor, toVisitorMessage, type VisitorMessage } from './visitor.js';

const PAGE = 100;

export interface VisitorFeed {
  /** Reads what is new now (a heartbeat, or a message whose writing sent no event, such as a confirmation). */
  check(): Promise<void>;
  /** False once the token is no longer known (the visitor is gone): the stream should end. */
  stillValid(): Promise<boolean>;
  close(): void;
}

export async function followVisitorMessages(
  ctx: AppContext,
  token: string | undefined,
  after: number,
  handlers: {
    onMessages(batch: { verified: boolean; messages: VisitorMessage[] }): void;
    onEnd(): void;
  },
): Promise<VisitorFeed> {
  const db = ctx.database.db;
  const visitor = await authenticateVisitor(db, token);
  let cursor = after;
  // Reads run one after another, so the cursor only moves forward and no message is sent twice.
  let chain: Promise<void> = Promise.resolve();
  const check = (): Promise<void> => {
    chain = chain
      .then(async () => {
        for (;;) {
          const found = await findVisitorMessages(db, visitor.id, cursor, visitor.verified, PAGE);
          if (!found.length) return;
          cursor = found.at(-1)!.seq;
          handlers.onMessages({ verified: visitor.verified, messages: found.map(toVisitorMessage) });
          if (found.length < PAGE) return;
        }
      })
      .catch((e: unknown) => console.error('sopdesk: a chat visitor feed could not be read', e));
    return chain;
  };
  const subscription = await subscribeEvents(ctx, {
    filter: { customerId: visitor.customerId },
    onEvent: (e) => {
      if (e.conversationId) void check();
    },
    onReset: () => void check(),
    onEnd: handlers.onEnd,
  });
  // What was written before the subscription began (a reconnect's catch-up) comes first.
  await check();
  return {
    check,
    stillValid: () =>
      authenticateVisitor(db, token).then(
        () => true,
        () => false,
      ),
    close: () => subscription.close(),
  };
}
